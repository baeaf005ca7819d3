using System.Text.Json;
using System.Text.Json.Serialization;
using OrderHub.Providers;

namespace OrderHub.SellingPartner.Wire;

/// <summary>
/// Reads the Orders API's ISO 8601 date-times (with or without fractional seconds, with <c>Z</c> or an offset) as UTC
/// instants while the body is deserialized, with no string in between. A time without an offset is UTC, as Amazon
/// states all its times. What System.Text.Json's strict ISO 8601 reader refuses gets the general rule of
/// <see cref="ProviderTimestamp.TryParseIso8601"/>; what that refuses too is a <see cref="JsonException"/>, whose path
/// names the field.
/// </summary>
internal sealed class SpTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("A date-time is not a string.");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.TryGetDateTimeOffset(out var value))
        {
            // The reader gives a time without an offset the machine's own offset: take its clock reading as UTC instead.
            var text = reader.ValueSpan;
            var hasOffset = text[^1] is (byte)'Z' or (byte)'z' || text[10..].IndexOfAny((byte)'+', (byte)'-') >= 0;
            return hasOffset ? value.ToUniversalTime() : new DateTimeOffset(value.DateTime, TimeSpan.Zero);
        }

        return ProviderTimestamp.TryParseIso8601(reader.GetString(), out var parsed)
            ? parsed
            : throw new JsonException("A date-time is not in ISO 8601 form.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
