namespace OrderHub;

/// <summary>How and when an order ships, and where to.</summary>
public sealed record OrderShipping
{
    /// <summary>Gets the provider's shipment service level (Selling Partner <c>ShipServiceLevel</c>).</summary>
    public string? ServiceLevel { get; init; }

    /// <summary>Gets the service level category (Selling Partner <c>ShipmentServiceLevelCategory</c>: Standard, Expedited, ...).</summary>
    public string? ServiceLevelCategory { get; init; }

    /// <summary>Gets the window the order must ship within.</summary>
    public TimeWindow? ShipBy { get; init; }

    /// <summary>Gets the window the order must be delivered within.</summary>
    public TimeWindow? DeliverBy { get; init; }

    /// <summary>Gets the destination. Personal data: present only when the caller asked for it and was allowed to see it.</summary>
    public PostalAddress? Address { get; init; }

    /// <summary>Gets the address the order ships from.</summary>
    public PostalAddress? ShipFrom { get; init; }
}
