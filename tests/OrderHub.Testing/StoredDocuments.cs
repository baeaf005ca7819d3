using System.IO.Compression;

namespace OrderHub.Testing;

/// <summary>
/// Reads a store's <c>document</c> column as a test sees it, with the runtime's Brotli and nothing of the store's: one
/// format byte (1), the full JSON's length (4 bytes), then one Brotli stream of the public JSON and the full JSON.
/// </summary>
public static class StoredDocuments
{
    /// <summary>Decompresses everything a document holds: the public JSON followed by the full JSON.</summary>
    /// <param name="document">The column's bytes.</param>
    /// <returns>The bytes the document compresses.</returns>
    public static byte[] Decompress(byte[] document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Length < 5 || document[0] != 1)
        {
            throw new InvalidDataException("Not a document of format 1.");
        }

        using var brotli = new BrotliStream(new MemoryStream(document, 5, document.Length - 5), CompressionMode.Decompress);
        using var all = new MemoryStream();
        brotli.CopyTo(all);
        return all.ToArray();
    }
}
