using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner;

/// <summary>
/// The contracts of <see cref="SellingPartnerOrderDetails"/> in the unified JSON, generated at build time and added to
/// <see cref="Json.OrderJson"/>; the shape comes from its options (names, converters), not from here.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(SellingPartnerOrderDetails))]
internal sealed partial class SellingPartnerDetailsJsonContext : JsonSerializerContext;
