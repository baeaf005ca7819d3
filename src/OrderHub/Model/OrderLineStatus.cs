namespace OrderHub;

/// <summary>The unified status of one line of an order.</summary>
public enum OrderLineStatus
{
    /// <summary>A status this version of OrderHub does not know; the provider's string is kept beside it.</summary>
    Unknown = 0,

    /// <summary>Received and being prepared.</summary>
    Pending,

    /// <summary>Being built or assembled.</summary>
    InProgress,

    /// <summary>Shipped.</summary>
    Shipped,

    /// <summary>Delivered to the destination.</summary>
    Delivered,

    /// <summary>Delivered and being installed.</summary>
    Installing,

    /// <summary>Installed.</summary>
    Installed,

    /// <summary>Cancelled.</summary>
    Cancelled,

    /// <summary>Replaced by a line of a replacement order.</summary>
    Replaced,

    /// <summary>In an error state.</summary>
    Failed,
}
