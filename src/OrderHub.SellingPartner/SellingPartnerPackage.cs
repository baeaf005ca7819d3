namespace OrderHub.SellingPartner;

/// <summary>A package of a Selling Partner order (Orders API 2026-01-01 <c>packages[]</c>).</summary>
public sealed record SellingPartnerPackage
{
    /// <summary>Gets the package's id within the order (<c>packageReferenceId</c>).</summary>
    public required string PackageReferenceId { get; init; }

    /// <summary>Gets when the package was created, in UTC (<c>createdTime</c>).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets the package's status, as sent: <c>PENDING</c>, <c>IN_TRANSIT</c>, <c>DELIVERED</c>, ... (<c>packageStatus.status</c>).</summary>
    public string? Status { get; init; }

    /// <summary>Gets the finer status, as sent: <c>PICKED_UP</c>, <c>OUT_FOR_DELIVERY</c>, ... (<c>packageStatus.detailedStatus</c>).</summary>
    public string? DetailedStatus { get; init; }

    /// <summary>Gets the carrier (<c>carrier</c>).</summary>
    public string? Carrier { get; init; }

    /// <summary>Gets when the package shipped, in UTC (<c>shipTime</c>).</summary>
    public DateTimeOffset? ShippedAt { get; init; }

    /// <summary>Gets the carrier's service (<c>shippingService</c>).</summary>
    public string? ShippingService { get; init; }

    /// <summary>Gets the carrier's tracking number (<c>trackingNumber</c>).</summary>
    public string? TrackingNumber { get; init; }

    /// <summary>Gets the address the package ships from (<c>shipFromAddress</c>): the seller's, not personal data.</summary>
    public PostalAddress? ShipFrom { get; init; }

    /// <summary>Gets what the package holds (<c>packageItems</c>).</summary>
    public IReadOnlyList<PackageItem> Items { get; init; } = [];
}

/// <summary>Units of one order item in a package.</summary>
/// <param name="OrderItemId">The order item.</param>
/// <param name="Quantity">How many units.</param>
/// <param name="TransparencyCodes">The Transparency codes of the units.</param>
public sealed record PackageItem(string? OrderItemId, int? Quantity, IReadOnlyList<string> TransparencyCodes);
