using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

/// <summary>Source-generated (reflection-free) serialization of every Selling Partner wire shape.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SpTimestampConverter), typeof(OrderHub.Json.LocatedJsonConverter<V0Order>)])]
[JsonSerializable(typeof(GetOrderResponse))]
[JsonSerializable(typeof(GetOrdersResponse))]
[JsonSerializable(typeof(V0Order))]
[JsonSerializable(typeof(SpErrorList))]
[JsonSerializable(typeof(LwaTokenResponse))]
[JsonSerializable(typeof(LwaErrorResponse))]
[JsonSerializable(typeof(CreateRestrictedDataTokenRequest))]
[JsonSerializable(typeof(CreateRestrictedDataTokenResponse))]
[JsonSerializable(typeof(CreateReportSpecification))]
[JsonSerializable(typeof(CreateReportResponse))]
[JsonSerializable(typeof(ReportWire))]
[JsonSerializable(typeof(GetReportsResponse))]
[JsonSerializable(typeof(ReportDocumentWire))]
[JsonSerializable(typeof(CreateDestinationRequest))]
[JsonSerializable(typeof(DestinationResponse))]
[JsonSerializable(typeof(DestinationsResponse))]
[JsonSerializable(typeof(CreateSubscriptionRequest))]
[JsonSerializable(typeof(SubscriptionResponse))]
internal sealed partial class SellingPartnerJsonContext : JsonSerializerContext;
