using System.Text.Json;

namespace OrderHub.Json;

/// <summary>
/// Reads one page of a listing response without building a document: the bytes of each object in one top-level array
/// (each deserialized and kept as its raw payload by the caller), and the page's string values (a next-page token,
/// the window's end), top-level or one object deep.
/// </summary>
internal static class JsonPageSlices
{
    /// <summary>Splits a page.</summary>
    /// <param name="body">The page: a JSON object, UTF-8.</param>
    /// <param name="arrayProperty">The top-level property holding the items.</param>
    /// <returns>The items' bytes (slices of <paramref name="body"/>), and the string values by name (<c>name</c>, or <c>parent.name</c> one object deep); <see langword="null"/> items when the array is missing.</returns>
    /// <exception cref="JsonException">The body is not one complete JSON object, or an item is not an object.</exception>
    public static (IReadOnlyList<ReadOnlyMemory<byte>>? Items, IReadOnlyDictionary<string, string> Values) Read(ReadOnlyMemory<byte> body, string arrayProperty)
    {
        var reader = new Utf8JsonReader(body.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The page is not a JSON object.");
        }

        List<ReadOnlyMemory<byte>>? items = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == arrayProperty && reader.TokenType == JsonTokenType.StartArray)
            {
                items = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException($"An item of '{arrayProperty}' is not an object.");
                    }

                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    items.Add(body.Slice(start, (int)reader.BytesConsumed - start));
                }
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                values[name] = reader.GetString()!;
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var inner = reader.GetString()!;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        values[$"{name}.{inner}"] = reader.GetString()!;
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new JsonException("The page continues after its JSON value.");
        }

        return (items, values);
    }
}
