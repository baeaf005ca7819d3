using System.Globalization;

namespace OrderHub.Sync;

/// <summary>What a change log entry says happened to an order.</summary>
public enum OrderChangeKind
{
    /// <summary>The order was stored for the first time.</summary>
    Created,

    /// <summary>The order was stored again with other content.</summary>
    Updated,
}

/// <summary>One entry of the change log (<see cref="IOrderChangeLog"/>).</summary>
/// <param name="Position">Its position: later entries have higher ones.</param>
/// <param name="Reference">The order.</param>
/// <param name="Kind">Created or updated.</param>
/// <param name="StatusBefore">The unified status before the change; <see langword="null"/> for a created order.</param>
/// <param name="StatusAfter">The unified status after it.</param>
/// <param name="ChangedAt">When it was stored, on the store's clock.</param>
/// <param name="PublicJson">
/// The order's public JSON (no personal data, no raw payload) as it is when the entry is read, not as it was at the
/// change; <see langword="null"/> only when the store no longer holds the order.
/// </param>
public sealed record OrderChange(long Position, OrderReference Reference, OrderChangeKind Kind, OrderStatus? StatusBefore, OrderStatus StatusAfter, DateTimeOffset ChangedAt, byte[]? PublicJson)
{
    /// <summary>Returns the position, the reference and the kind; never the order's content.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"OrderChange {{ Position = {Position}, {Reference}, {Kind} }}");
}
