using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderHub.Providers;

namespace OrderHub.Outposts.Wire;

/// <summary>
/// AWS JSON timestamps: epoch seconds as a number, possibly fractional (what rest-json sends), or an ISO-8601
/// string (accepted too). Written as epoch seconds.
/// </summary>
internal sealed class AwsTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDecimal(out var seconds):
                return ProviderTimestamp.FromEpochSeconds(seconds);
            case JsonTokenType.String:
                var text = reader.GetString();
                if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var quoted))
                {
                    return ProviderTimestamp.FromEpochSeconds(quoted);
                }

                return ProviderTimestamp.TryParseIso8601(text, out var value)
                    ? value
                    : throw new JsonException("A timestamp is neither epoch seconds nor ISO-8601.");
            default:
                throw new JsonException("A timestamp is neither epoch seconds nor ISO-8601.");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } instant)
        {
            writer.WriteNumberValue(ProviderTimestamp.ToEpochSeconds(instant));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
