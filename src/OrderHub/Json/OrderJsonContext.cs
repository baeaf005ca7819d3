using System.Text.Json.Serialization;

namespace OrderHub.Json;

/// <summary>
/// The unified model's contracts, generated at build time: serializing an order needs no reflection and no
/// run-time code generation. The shape comes from <see cref="OrderJson.Options"/> (names, converters), not from here.
/// </summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(OrderSummary))]
internal sealed partial class OrderJsonContext : JsonSerializerContext;
