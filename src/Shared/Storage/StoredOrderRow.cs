using OrderHub.Json;
using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>
/// What every store keeps of an order: its unified JSON with the raw payload and the same JSON without personal data
/// or raw payload (what a reader without personal data is shown), compressed together into one
/// <see cref="StoredDocument"/>, and the content hash of the first (which tells an unchanged copy from an updated one),
/// beside the columns a store indexes.
/// </summary>
internal sealed class StoredOrderRow
{
    private StoredOrderRow(Order order, byte[] document, int publicSize, string contentHash)
    {
        Order = order;
        Document = document;
        PublicSize = publicSize;
        ContentHash = contentHash;
    }

    public Order Order { get; }

    /// <summary>Gets both views, compressed (<see cref="StoredDocument"/>).</summary>
    public byte[] Document { get; }

    /// <summary>Gets the public JSON's length, which the document needs to be read.</summary>
    public int PublicSize { get; }

    public string ContentHash { get; }

    public string Source => Order.Source;

    public string OrderId => Order.OrderId;

    public OrderReference Reference => new(Order.Source, Order.OrderId);

    public string Status => Order.Status.Value.ToString();

    public string StatusRaw => Order.Status.Raw;

    public string? AccountId => Order.AccountId;

    public DateTimeOffset? LastUpdatedAt => Order.LastUpdatedAt;

    public DateTimeOffset? CreatedAt => Order.CreatedAt;

    public string? SellerOrderId => Order.SellerOrderId;

    public decimal? TotalAmount => Order.Total?.Amount;

    public string? TotalCurrency => Order.Total?.CurrencyCode;

    /// <summary>Gets whether the copy is partial (read from a bulk export).</summary>
    public bool IsPartial => Order.Completeness == OrderCompleteness.Partial;

    /// <summary>Serializes, hashes and compresses an order (outside any lock: the writer is the bottleneck, not the CPU).</summary>
    public static StoredOrderRow Of(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var json = OrderJson.SerializeToUtf8Bytes(order, includeRaw: true);
        var publicJson = OrderJson.SerializeToUtf8Bytes(order.WithoutPersonalData());
        return new StoredOrderRow(order, StoredDocument.Encode(publicJson, json), publicJson.Length, OrderJson.ContentHash(json));
    }

    /// <summary>What writing this row over the stored one does; see <see cref="Outcome"/>.</summary>
    public StoreOutcome OutcomeOver(string? storedHash, DateTimeOffset? storedLastUpdatedAt, bool storedPartial) =>
        Outcome(new StoredState(storedHash, storedLastUpdatedAt, storedPartial), ContentHash, LastUpdatedAt, IsPartial);

    /// <summary>
    /// What writing a copy over the stored one does: nothing stored, it is inserted. A full copy always replaces a
    /// partial one; a partial copy replaces a full one only when it is of a newer update (both times known). Otherwise
    /// an older copy than the stored one is not written (times are compared only when both are known), and the hashes
    /// tell unchanged from updated.
    /// </summary>
    /// <param name="stored">What the store holds of the order (a <see langword="null"/> hash when nothing).</param>
    /// <param name="hash">The copy's hash.</param>
    /// <param name="lastUpdatedAt">The copy's last update, at the precision the store keeps.</param>
    /// <param name="partial">Whether the copy is partial.</param>
    public static StoreOutcome Outcome(StoredState stored, string hash, DateTimeOffset? lastUpdatedAt, bool partial) =>
        stored.Hash is null ? StoreOutcome.Inserted
        : partial && !stored.Partial && !(lastUpdatedAt > stored.LastUpdatedAt) ? StoreOutcome.Superseded
        : !partial && stored.Partial ? (stored.Hash == hash ? StoreOutcome.Unchanged : StoreOutcome.Updated)
        : lastUpdatedAt < stored.LastUpdatedAt ? StoreOutcome.Superseded
        : stored.Hash == hash ? StoreOutcome.Unchanged
        : StoreOutcome.Updated;

    /// <summary>What a store holds of an order, for <see cref="Outcome"/>.</summary>
    /// <param name="Hash">The stored copy's hash; <see langword="null"/> when none is stored.</param>
    /// <param name="LastUpdatedAt">The stored copy's last update, as the store keeps it.</param>
    /// <param name="Partial">Whether the stored copy is partial.</param>
    public readonly record struct StoredState(string? Hash, DateTimeOffset? LastUpdatedAt, bool Partial);
}
