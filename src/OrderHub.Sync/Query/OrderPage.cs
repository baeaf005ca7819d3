using System.Globalization;

namespace OrderHub.Sync;

/// <summary>
/// A page of stored orders, in two views of the same content: <see cref="Items"/>, each order's public JSON as the
/// store keeps it (to send on without serializing it again), and <see cref="Orders"/>, the same orders as
/// <see cref="Order"/> objects, read from that JSON when first asked for.
/// </summary>
public sealed class OrderPage
{
    private readonly Lazy<IReadOnlyList<Order>> _orders;

    /// <summary>Initializes a new instance of the <see cref="OrderPage"/> class.</summary>
    /// <param name="items">The page's orders, in the query's order.</param>
    /// <param name="nextCursor">The cursor of the next page; <see langword="null"/> when this page is the last.</param>
    public OrderPage(IReadOnlyList<StoredPublicOrder> items, string? nextCursor)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        NextCursor = nextCursor;
        _orders = new(() => [.. items.Select(i => PublicOrderJson.Read(i.PublicJson))]);
    }

    /// <summary>Gets the page's orders as stored: their public JSON (no personal data, no raw payload) and when each was stored.</summary>
    public IReadOnlyList<StoredPublicOrder> Items { get; }

    /// <summary>
    /// Gets the page's orders as objects, read from <see cref="Items"/>. They hold no personal data and no raw payload,
    /// and no <see cref="Order.ProviderDetails"/> either (those are in the JSON view, which keeps each provider's own
    /// members).
    /// </summary>
    public IReadOnlyList<Order> Orders => _orders.Value;

    /// <summary>Gets the cursor of the next page (<see cref="OrderQuery.Cursor"/>); <see langword="null"/> when there are no more orders.</summary>
    public string? NextCursor { get; }

    /// <summary>Returns how many orders the page holds and whether more follow; never their content.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"OrderPage {{ Count = {Items.Count}, More = {NextCursor is not null} }}");
}
