using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OrderHub.Providers;

namespace OrderHub.Json;

/// <summary>
/// The unified order as JSON: the stable, documented shape of <c>orderhub get --json</c>, the store and the HTTP API.
/// camelCase names; enumerations as <c>{"value": "InProgress", "raw": "IN_PROGRESS"}</c>; timestamps as ISO-8601 UTC
/// (<c>2026-01-02T03:04:05Z</c>); money as <c>{"amount": "11.01", "currencyCode": "USD"}</c> with the amount a decimal
/// string; <c>providerDetails</c> with the provider's own members; <c>rawPayload</c> only when asked for.
/// </summary>
public static class OrderJson
{
    // Each provider package's generated contracts for its own details types, added as the package's details type is
    // first used (so before any of its instances can be serialized). Read without a lock; replaced whole under one.
    private static readonly Lock ProviderContractsGate = new();
    private static IJsonTypeInfoResolver[] s_providerContracts = [];

    /// <summary>Gets the serializer options of the unified JSON shape.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions(indented: false);

    /// <summary>Gets the same options, indented for people.</summary>
    public static JsonSerializerOptions IndentedOptions { get; } = CreateOptions(indented: true);

    /// <summary>
    /// Adds a provider package's build-time generated contracts for its <see cref="ProviderOrderDetails"/> type (a
    /// <see cref="JsonSerializerContext"/>), so that its details are serialized without reflection; the shape still
    /// comes from <see cref="Options"/>. Call it from the details type's static constructor. Details of a package that
    /// adds none are serialized the same way, through reflection.
    /// </summary>
    /// <param name="contracts">The package's contracts.</param>
    public static void AddProviderContracts(IJsonTypeInfoResolver contracts)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        lock (ProviderContractsGate)
        {
            if (!s_providerContracts.Contains(contracts))
            {
                Volatile.Write(ref s_providerContracts, [.. s_providerContracts, contracts]);
            }
        }
    }

    /// <summary>Serializes an order.</summary>
    /// <param name="order">The order.</param>
    /// <param name="includeRaw">Whether to include the provider's original payload.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] SerializeToUtf8Bytes(Order order, bool includeRaw = false, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(order);
        return JsonSerializer.SerializeToUtf8Bytes(includeRaw ? order : order with { RawPayload = null }, indented ? IndentedOptions : Options);
    }

    /// <summary>Serializes an order summary.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>UTF-8 JSON.</returns>
    public static byte[] SerializeToUtf8Bytes(OrderSummary summary, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return JsonSerializer.SerializeToUtf8Bytes(summary with { RawPayload = null }, indented ? IndentedOptions : Options);
    }

    /// <summary>
    /// The content hash of an order: SHA-256 over its unified JSON with the raw payload, so that any change the
    /// provider makes, even to a field the unified model does not name, counts as a change.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <returns>The lowercase hex hash.</returns>
    public static string ContentHash(Order order) => ContentHash(SerializeToUtf8Bytes(order, includeRaw: true));

    /// <summary>The content hash of an order already serialized with its raw payload (so it is not serialized twice).</summary>
    /// <param name="jsonWithRaw">The output of <see cref="SerializeToUtf8Bytes(Order, bool, bool)"/> with <c>includeRaw</c>.</param>
    /// <returns>The lowercase hex hash.</returns>
    public static string ContentHash(byte[] jsonWithRaw) => Convert.ToHexStringLower(SHA256.HashData(jsonWithRaw));

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // The unified model's contracts are generated at build time, and so are those of each provider package that
            // adds its own (AddProviderContracts); reflection serves only the details of a package that adds none.
            TypeInfoResolver = JsonTypeInfoResolver.Combine(OrderJsonContext.Default, new ProviderContracts(), new DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new ProviderValueConverterFactory());
        options.Converters.Add(new MoneyConverter());
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new ProviderDetailsConverter());
        options.MakeReadOnly();
        return options;
    }

    private sealed class ProviderContracts : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            foreach (var contracts in Volatile.Read(ref s_providerContracts))
            {
                if (contracts.GetTypeInfo(type, options) is { } info)
                {
                    return info;
                }
            }

            return null;
        }
    }

    private sealed class ProviderValueConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ProviderValue<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(ProviderValueConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
    }

    private sealed class ProviderValueConverter<TEnum> : JsonConverter<ProviderValue<TEnum>>
        where TEnum : struct, Enum
    {
        public override ProviderValue<TEnum> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var raw = document.RootElement.TryGetProperty("raw", out var r) ? r.GetString() ?? string.Empty : string.Empty;
            var value = document.RootElement.TryGetProperty("value", out var v) && Enum.TryParse<TEnum>(v.GetString(), out var parsed) ? parsed : default;
            return new ProviderValue<TEnum>(value, raw);
        }

        public override void Write(Utf8JsonWriter writer, ProviderValue<TEnum> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("value", value.Value.ToString());
            writer.WriteString("raw", value.Raw);
            writer.WriteEndObject();
        }
    }

    private sealed class MoneyConverter : JsonConverter<Money>
    {
        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var amount = document.RootElement.GetProperty("amount").GetString();
            return Money.TryParseAmount(amount, out var value)
                ? new Money(value, document.RootElement.TryGetProperty("currencyCode", out var c) ? c.GetString() : null)
                : throw new JsonException("A money amount is not a decimal string.");
        }

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("amount", value.Amount.ToString(CultureInfo.InvariantCulture));
            if (value.CurrencyCode is not null)
            {
                writer.WriteString("currencyCode", value.CurrencyCode);
            }

            writer.WriteEndObject();
        }
    }

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ProviderTimestamp.TryParseIso8601(reader.GetString(), out var value) ? value : throw new JsonException("A timestamp is not ISO-8601.");

        // The writer's own ISO 8601 form of a UTC time: yyyy-MM-ddTHH:mm:ss, the fraction without trailing zeros, then
        // Z; the same text as the custom format yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z' (compared over two million random
        // times).
        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }

    private sealed class ProviderDetailsConverter : JsonConverter<ProviderOrderDetails>
    {
        public override ProviderOrderDetails Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Provider details are written, not read: read orders back through their source.");

        public override void Write(Utf8JsonWriter writer, ProviderOrderDetails value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
    }
}
