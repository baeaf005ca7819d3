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

    /// <summary>Serializes, hashes and compresses an order (outside any lock: the writer is the bottleneck, not the CPU).</summary>
    public static StoredOrderRow Of(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var json = OrderJson.SerializeToUtf8Bytes(order, includeRaw: true);
        var publicJson = OrderJson.SerializeToUtf8Bytes(order.WithoutPersonalData());
        return new StoredOrderRow(order, StoredDocument.Encode(publicJson, json), publicJson.Length, OrderJson.ContentHash(json));
    }

    /// <summary>What writing this row over the stored one does; see <see cref="Outcome"/>.</summary>
    public StoreOutcome OutcomeOver(string? storedHash, DateTimeOffset? storedLastUpdatedAt) =>
        Outcome(storedHash, storedLastUpdatedAt, ContentHash, LastUpdatedAt);

    /// <summary>
    /// What writing a copy over the stored one does: nothing stored, it is inserted; an older copy than the stored one
    /// is not written (times are compared only when both are known); otherwise the hashes tell unchanged from updated.
    /// </summary>
    /// <param name="storedHash">The stored copy's hash; <see langword="null"/> when none is stored.</param>
    /// <param name="storedLastUpdatedAt">The stored copy's last update, as the store keeps it.</param>
    /// <param name="hash">The copy's hash.</param>
    /// <param name="lastUpdatedAt">The copy's last update, at the precision the store keeps.</param>
    public static StoreOutcome Outcome(string? storedHash, DateTimeOffset? storedLastUpdatedAt, string hash, DateTimeOffset? lastUpdatedAt) =>
        storedHash is null ? StoreOutcome.Inserted
        : lastUpdatedAt < storedLastUpdatedAt ? StoreOutcome.Superseded
        : storedHash == hash ? StoreOutcome.Unchanged
        : StoreOutcome.Updated;
}
