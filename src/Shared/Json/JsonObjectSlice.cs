using System.Text.Json;

namespace OrderHub.Json;

/// <summary>Finds one top-level property's JSON object in a response body without building a document.</summary>
internal static class JsonObjectSlice
{
    /// <summary>
    /// Returns the bytes of the object value of the top-level <paramref name="property"/>, or <see langword="null"/> when
    /// the body is an object without it (or where it is not an object). Validates the whole body as JSON.
    /// </summary>
    /// <param name="body">The response body, UTF-8.</param>
    /// <param name="property">The property's exact name.</param>
    /// <returns>The object's bytes, a slice of <paramref name="body"/>.</returns>
    /// <exception cref="JsonException">The body is not one complete JSON value.</exception>
    public static ReadOnlyMemory<byte>? Find(byte[] body, string property)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read())
        {
            throw new JsonException("The body is empty.");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            return null;
        }

        ReadOnlyMemory<byte>? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTarget = reader.ValueTextEquals(property);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            if (isTarget && isObject)
            {
                found = body.AsMemory(start, (int)reader.BytesConsumed - start);
            }
        }

        EnsureEnd(ref reader);
        return found;
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException("The body continues after its JSON value.");
        }
    }
}
