using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OrderHub.Sync;

/// <summary>
/// Where a page ended: the sorted time, source and order id of its last order. The next page starts after it in the
/// query's order.
/// </summary>
/// <param name="SortTime">The last order's time the query sorts by, as the store keeps it (<see langword="null"/> when it has none).</param>
/// <param name="Source">The last order's source.</param>
/// <param name="OrderId">The last order's id.</param>
public readonly record struct OrderQueryPosition(DateTimeOffset? SortTime, string Source, string OrderId);

/// <summary>
/// The cursors every <see cref="IOrderQuery"/> gives out, for store implementers: opaque text holding a page's last
/// position and a digest of the query's filters and sort, so that a cursor is refused with any other query.
/// </summary>
public static class OrderQueryCursor
{
    private const int Version = 1;

    // A cursor OrderHub makes is far shorter; a longer one is refused before it is decoded.
    private const int MaxLength = 4096;

    /// <summary>Makes the cursor of the page after a position, for this query.</summary>
    /// <param name="query">The query the page answered.</param>
    /// <param name="last">The page's last order.</param>
    /// <returns>The cursor.</returns>
    public static string Create(OrderQuery query, OrderQueryPosition last)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(last.Source);
        ArgumentNullException.ThrowIfNull(last.OrderId);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("q", Digest(query));
            if (last.SortTime is { } time)
            {
                writer.WriteNumber("t", time.UtcTicks);
            }

            writer.WriteString("s", last.Source);
            writer.WriteString("o", last.OrderId);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>
    /// Checks a query's parameters and reads its cursor, before any I/O: where its page starts after, or
    /// <see langword="null"/> for a first page.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <returns>The previous page's last position, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidOrderRequestException">A parameter is not accepted, or the cursor is malformed or was made for another query (<c>cursor</c>).</exception>
    public static OrderQueryPosition? Read(OrderQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.ValidateParameters();
        if (query.Cursor is not { } cursor)
        {
            return null;
        }

        if (cursor.Length is 0 or > MaxLength || !TryDecode(cursor, out var version, out var digest, out var position))
        {
            throw OrderFilter.Invalid("cursor", "The cursor is not one OrderHub gave out: pass a page's nextCursor unchanged, or leave it out to read the first page.");
        }

        if (version != Version || !string.Equals(digest, Digest(query), StringComparison.Ordinal))
        {
            throw OrderFilter.Invalid("cursor", "The cursor was given for other filters or another sort: a cursor continues only the query that made it. Repeat that query's filters and sort with it, or leave it out to start again.");
        }

        return position;
    }

    private static bool TryDecode(string cursor, out int version, out string? digest, out OrderQueryPosition position)
    {
        version = 0;
        digest = null;
        position = default;
        if (!Base64Url.IsValid(cursor))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(cursor));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("v", out var v) || !v.TryGetInt32(out version)
                || !root.TryGetProperty("q", out var q) || q.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("s", out var s) || s.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("o", out var o) || o.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            DateTimeOffset? time = null;
            if (root.TryGetProperty("t", out var t))
            {
                if (!t.TryGetInt64(out var ticks) || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                {
                    return false;
                }

                time = new DateTimeOffset(ticks, TimeSpan.Zero);
            }

            digest = q.GetString();
            position = new OrderQueryPosition(time, s.GetString()!, o.GetString()!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The filters and the sort, not the page size: a reader may take bigger or smaller pages as it goes.
    private static string Digest(OrderQuery query)
    {
        var text = new StringBuilder();
        query.Filter.WriteCanonical(text);
        text.Append("sort=").Append(query.Sort.ToString());
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 12));
    }
}
