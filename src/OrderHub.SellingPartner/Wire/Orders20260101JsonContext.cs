using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

/// <summary>Source-generated serialization of the Orders API 2026-01-01 shapes, whose wire names are camelCase.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SpTimestampConverter), typeof(OrderHub.Json.LocatedJsonConverter<V2026Order>)])]
[JsonSerializable(typeof(V2026GetOrderResponse))]
[JsonSerializable(typeof(V2026SearchOrdersResponse))]
[JsonSerializable(typeof(V2026Order))]
internal sealed partial class Orders20260101JsonContext : JsonSerializerContext;
