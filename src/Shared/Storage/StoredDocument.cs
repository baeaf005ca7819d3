using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace OrderHub.Storage;

/// <summary>
/// How a store keeps an order's two JSON views in one column: the public JSON (no personal data, no raw payload) and
/// the full JSON (raw payload included), one after the other, compressed together with Brotli. The full JSON repeats
/// most of the public one, so compressed together the second view costs tens of bytes, and the public view, first,
/// is read by decompressing only its own length.
/// </summary>
/// <remarks>
/// Layout: one format byte (<see cref="BrotliPublicThenFull"/>), the full JSON's length (4 bytes, little-endian),
/// then one Brotli stream of the public JSON followed by the full JSON. The public JSON's length is a column of the
/// row (<c>public_size</c>), because queries filter on whether a row has a public view (rows written before there
/// was one do not); such a row's document holds the full JSON alone.
/// </remarks>
internal static class StoredDocument
{
    /// <summary>The layout above. A later layout gets another number, and a database may then hold both.</summary>
    public const byte BrotliPublicThenFull = 1;

    private const int HeaderLength = 5;

    // Quality 5 of 11: within 2 % of the size quality 9 reaches on orders, at a fraction of the time; the window
    // (2^18 bytes) holds both views of any realistic order, so the second refers back to the first.
    private const int Quality = 5;
    private const int Window = 18;

    /// <summary>Compresses both views into one document.</summary>
    /// <param name="publicJson">The public JSON; empty for a row without a public view.</param>
    /// <param name="fullJson">The full JSON.</param>
    /// <returns>The document.</returns>
    public static byte[] Encode(ReadOnlySpan<byte> publicJson, ReadOnlySpan<byte> fullJson)
    {
        var length = publicJson.Length + fullJson.Length;
        var both = ArrayPool<byte>.Shared.Rent(length);
        var compressed = ArrayPool<byte>.Shared.Rent(HeaderLength + BrotliEncoder.GetMaxCompressedLength(length));
        try
        {
            publicJson.CopyTo(both);
            fullJson.CopyTo(both.AsSpan(publicJson.Length));
            if (!BrotliEncoder.TryCompress(both.AsSpan(0, length), compressed.AsSpan(HeaderLength), out var written, Quality, Window))
            {
                throw new InvalidOperationException("Brotli could not compress an order into a buffer of its maximum compressed length.");
            }

            compressed[0] = BrotliPublicThenFull;
            BinaryPrimitives.WriteInt32LittleEndian(compressed.AsSpan(1), fullJson.Length);
            return compressed.AsSpan(0, HeaderLength + written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(both);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    /// <summary>Reads the public JSON out of a document, decompressing nothing after it.</summary>
    /// <param name="document">The document.</param>
    /// <param name="publicSize">The row's <c>public_size</c>.</param>
    /// <returns>The public JSON, exactly as it was written.</returns>
    /// <exception cref="InvalidDataException">The document is not of a known layout, or it is damaged.</exception>
    public static byte[] ReadPublic(ReadOnlySpan<byte> document, int publicSize)
    {
        CheckHeader(document, publicSize);
        var json = new byte[publicSize];
        using var decoder = new BrotliDecoder();
        var status = decoder.Decompress(document[HeaderLength..], json, out _, out var written);
        // The public view is a prefix of the stream: the decoder stops there, asking for room for the rest.
        if (written != publicSize || status is OperationStatus.InvalidData)
        {
            throw Damaged();
        }

        return json;
    }

    /// <summary>Reads the full JSON out of a document.</summary>
    /// <param name="document">The document.</param>
    /// <param name="publicSize">The row's <c>public_size</c>; 0 for a row without a public view.</param>
    /// <returns>The full JSON, exactly as it was written.</returns>
    /// <exception cref="InvalidDataException">The document is not of a known layout, or it is damaged.</exception>
    public static byte[] ReadFull(ReadOnlySpan<byte> document, int publicSize)
    {
        CheckHeader(document, publicSize);
        var fullLength = BinaryPrimitives.ReadInt32LittleEndian(document[1..]);
        if (fullLength < 0)
        {
            throw Damaged();
        }

        var both = ArrayPool<byte>.Shared.Rent(publicSize + fullLength);
        try
        {
            if (!BrotliDecoder.TryDecompress(document[HeaderLength..], both.AsSpan(0, publicSize + fullLength), out var written)
                || written != publicSize + fullLength)
            {
                throw Damaged();
            }

            return both.AsSpan(publicSize, fullLength).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(both);
        }
    }

    private static void CheckHeader(ReadOnlySpan<byte> document, int publicSize)
    {
        if (document.Length < HeaderLength || publicSize < 0)
        {
            throw Damaged();
        }

        if (document[0] != BrotliPublicThenFull)
        {
            throw new InvalidDataException($"The stored order is in a layout this OrderHub does not know (format {document[0]}); it was written by a newer one.");
        }
    }

    private static InvalidDataException Damaged() => new("The stored order is damaged: its document does not decompress to the sizes recorded with it.");
}
