using System.Text.Json.Serialization;

namespace OrderHub.Outposts.Wire;

/// <summary>Source-generated (reflection-free) serialization of every Outposts wire shape.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OrderEnvelope))]
[JsonSerializable(typeof(ListOrdersOutput))]
[JsonSerializable(typeof(CreateOrderInput))]
[JsonSerializable(typeof(AwsErrorBody))]
internal sealed partial class OutpostsJsonContext : JsonSerializerContext;
