using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderHub.Providers;

namespace OrderHub;

/// <summary>
/// A provider's original JSON for one order, kept as the exact UTF-8 bytes received. It is parsed only when
/// <see cref="Element"/> is first read, so keeping it costs a copy, not a second parse. Serialized, it is written
/// as the JSON value itself. It may hold personal data: <see cref="ToString"/> prints only its size.
/// </summary>
[JsonConverter(typeof(RawPayloadJsonConverter))]
public sealed class RawPayload
{
    // The parsed form, boxed, made on first use only: most payloads are stored or hashed, never walked.
    private object? _element;

    /// <summary>Initializes a new instance of the <see cref="RawPayload"/> class.</summary>
    /// <param name="utf8Json">One complete JSON value, as UTF-8.</param>
    public RawPayload(ReadOnlyMemory<byte> utf8Json)
    {
        Utf8Json = utf8Json;
    }

    /// <summary>Gets the JSON exactly as received.</summary>
    public ReadOnlyMemory<byte> Utf8Json { get; }

    /// <summary>Gets the JSON parsed, for reading fields the unified model does not name.</summary>
    public JsonElement Element
    {
        get
        {
            if (_element is null)
            {
                var reader = new Utf8JsonReader(Utf8Json.Span);
                Interlocked.CompareExchange(ref _element, JsonElement.ParseValue(ref reader), null);
            }

            return (JsonElement)_element;
        }
    }

    /// <summary>Copies a JSON element's text into a payload.</summary>
    /// <param name="element">The element.</param>
    /// <returns>The payload.</returns>
    public static RawPayload FromElement(JsonElement element) => new(Encoding.UTF8.GetBytes(element.GetRawText()));

    /// <summary>Gets the JSON as text.</summary>
    /// <returns>The JSON exactly as received.</returns>
    public string GetRawText() => Encoding.UTF8.GetString(Utf8Json.Span);

    /// <summary>Returns the payload's size only: it may hold personal data.</summary>
    /// <returns>For example <c>RawPayload { 4210 bytes }</c>.</returns>
    public override string ToString() => $"RawPayload {{ {Utf8Json.Length} bytes }}";
}
