using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderHub.Providers;

/// <summary>
/// Writes a <see cref="RawPayload"/> as its JSON value, and reads any JSON value into one. Public because
/// <see cref="RawPayload"/> names it in its <see cref="JsonConverterAttribute"/>: a source-generated
/// <see cref="JsonSerializerContext"/> outside this assembly (a user's, over <see cref="Order"/>)
/// instantiates it directly. Nobody needs to name it.
/// </summary>
public sealed class RawPayloadJsonConverter : JsonConverter<RawPayload>
{
    /// <inheritdoc />
    public override RawPayload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return RawPayload.FromElement(document.RootElement);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, RawPayload value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteRawValue(value.Utf8Json.Span, skipInputValidation: true);
    }
}
