using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OrderHub.Json;

namespace OrderHub.Sync;

/// <summary>Reads an order back from its stored public JSON.</summary>
internal static class PublicOrderJson
{
    // The unified shape's options, passing over providerDetails: a provider's details are written by its own package's
    // contracts and are not read back here (they stay in the JSON view).
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static Order Read(byte[] publicJson) =>
        JsonSerializer.Deserialize<Order>(publicJson, Options) ?? throw new JsonException("A stored order's JSON is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(OrderJson.Options)
        {
            TypeInfoResolver = OrderJson.Options.TypeInfoResolver!.WithAddedModifier(static info =>
            {
                if (info.Type == typeof(Order))
                {
                    foreach (var property in info.Properties.Where(p => p.PropertyType == typeof(ProviderOrderDetails)))
                    {
                        property.CustomConverter = new SkippedDetails();
                    }
                }
            }),
        };
        options.MakeReadOnly();
        return options;
    }

    private sealed class SkippedDetails : JsonConverter<ProviderOrderDetails>
    {
        public override ProviderOrderDetails? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            reader.Skip();
            return null;
        }

        public override void Write(Utf8JsonWriter writer, ProviderOrderDetails value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Only read.");
    }
}
