namespace OrderHub;

/// <summary>One line of an order: an item, how many, and where it is.</summary>
public sealed record OrderLine
{
    /// <summary>Gets the provider's id of the line (Outposts <c>LineItemId</c>, Selling Partner <c>OrderItemId</c>).</summary>
    public string? LineId { get; init; }

    /// <summary>Gets the provider's catalog id of the item (Outposts <c>CatalogItemId</c>, Amazon ASIN).</summary>
    public string? CatalogItemId { get; init; }

    /// <summary>Gets the seller's SKU of the item, where the provider has one.</summary>
    public string? Sku { get; init; }

    /// <summary>Gets the item's title, where the provider sends one.</summary>
    public string? Title { get; init; }

    /// <summary>Gets the quantity ordered.</summary>
    public int? Quantity { get; init; }

    /// <summary>Gets the line's unified status with the provider's raw string.</summary>
    public ProviderValue<OrderLineStatus>? Status { get; init; }

    /// <summary>Gets the line's price, where the provider sends one.</summary>
    public Money? Price { get; init; }

    /// <summary>Gets the carrier and tracking number of the line's shipment.</summary>
    public LineShipment? Shipment { get; init; }

    /// <summary>Gets the physical assets delivered for this line.</summary>
    public IReadOnlyList<LineAsset> Assets { get; init; } = [];

    /// <summary>Gets the id of the order this line's predecessor belonged to, for a replacement line.</summary>
    public string? ReplacesOrderId { get; init; }

    /// <summary>Gets the id of the line this line replaces, for a replacement line.</summary>
    public string? ReplacesLineId { get; init; }
}

/// <summary>The shipment of one line.</summary>
/// <param name="Carrier">The carrier, with the provider's raw string.</param>
/// <param name="TrackingNumber">The carrier's tracking number.</param>
public sealed record LineShipment(ProviderValue<ShipmentCarrier>? Carrier, string? TrackingNumber);

/// <summary>A physical asset delivered for a line, such as one server of a rack.</summary>
/// <param name="AssetId">The provider's id of the asset.</param>
/// <param name="MacAddresses">The asset's MAC addresses.</param>
public sealed record LineAsset(string? AssetId, IReadOnlyList<string> MacAddresses);
