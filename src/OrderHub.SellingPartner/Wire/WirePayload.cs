using System.Text.Json;

namespace OrderHub.SellingPartner.Wire;

/// <summary>Finds one top-level property's JSON value in a body without building a document.</summary>
internal static class WirePayload
{
    /// <summary>
    /// Returns the bytes of the object value of the top-level <paramref name="property"/>, or <see langword="null"/> when
    /// the body is an object without it (or where it is not an object). Validates the whole body as JSON.
    /// </summary>
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
