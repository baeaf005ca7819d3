using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OrderHub.Json;

/// <summary>
/// A JSON value deserialized together with where its bytes lie in the document it was read from, so the one pass
/// that deserializes a response also finds the raw payload to keep (a slice of the body, never a copy).
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
internal readonly struct Located<T>
    where T : class
{
    public Located(T value, int start, int length)
    {
        Value = value;
        Start = start;
        Length = length;
    }

    /// <summary>Gets the value, or <see langword="null"/> when the document held <c>null</c> there.</summary>
    public T? Value { get; }

    /// <summary>Gets the offset of the value's first byte in the document.</summary>
    public int Start { get; }

    /// <summary>Gets the length of the value's text in bytes.</summary>
    public int Length { get; }

    /// <summary>Returns the value's bytes as a slice of the document it was read from.</summary>
    /// <param name="document">The whole document the value was deserialized from.</param>
    /// <returns>The slice.</returns>
    public ReadOnlyMemory<byte> In(byte[] document) => document.AsMemory(Start, Length);
}

/// <summary>
/// Reads a <see cref="Located{T}"/> through the context's own contract for <typeparamref name="T"/>. It is only right
/// when the whole document is deserialized from one span or array (the reader's offsets are then the document's).
/// </summary>
/// <typeparam name="T">The value's type, which must be in the same serializer context.</typeparam>
internal sealed class LocatedJsonConverter<T> : JsonConverter<Located<T>>
    where T : class
{
    private Resolved? _resolved;

    public override bool HandleNull => true;

    public override Located<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object for {typeof(T).Name}.");
        }

        // The contract's own converter reads straight on: JsonSerializer.Deserialize(ref reader) would first skip the
        // value to find its end, a second pass over the bytes.
        var resolved = _resolved is { } known && ReferenceEquals(known.Options, options)
            ? known
            : _resolved = Resolve(options);
        var start = checked((int)reader.TokenStartIndex);
        var atStart = reader;
        T value;
        try
        {
            value = resolved.Converter.Read(ref reader, typeof(T), options)!;
        }
        catch (JsonException e) when (e.Path is null)
        {
            // Read this way, a failure does not say where it lies. Read again the way that tracks the path (slower,
            // and only on failure), so the error names the field, for example $.PurchaseDate within the value.
            throw new JsonException(e.Message, PathOfFailure(ref atStart, resolved.TypeInfo), e.LineNumber, e.BytePositionInLine, e);
        }

        return new Located<T>(value, start, checked((int)reader.BytesConsumed) - start);
    }

    private static Resolved Resolve(JsonSerializerOptions options)
    {
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        return new Resolved(options, typeInfo, (JsonConverter<T>)typeInfo.Converter);
    }

    private static string? PathOfFailure(ref Utf8JsonReader reader, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            JsonSerializer.Deserialize(ref reader, typeInfo);
            return null;
        }
        catch (JsonException e)
        {
            return e.Path;
        }
    }

    private sealed record Resolved(JsonSerializerOptions Options, JsonTypeInfo<T> TypeInfo, JsonConverter<T> Converter);

    public override void Write(Utf8JsonWriter writer, Located<T> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("A located value is only read.");
}
