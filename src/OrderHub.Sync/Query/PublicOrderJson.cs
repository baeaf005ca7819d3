using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OrderHub.Json;

namespace OrderHub.Sync;

/// <summary>Reads an order back from its stored public JSON.</summary>
internal static class PublicOrderJson
{
    // The unified shape's options, reading past providerDetails: a provider's details are written by its own package's
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
                    for (var i = info.Properties.Count - 1; i >= 0; i--)
                    {
                        if (info.Properties[i].PropertyType == typeof(ProviderOrderDetails) || info.Properties[i].PropertyType == typeof(RawPayload))
                        {
                            info.Properties.RemoveAt(i);
                        }
                    }
                }
            }),
        };
        options.MakeReadOnly();
        return options;
    }
}
