namespace OrderHub;

/// <summary>The unified status of an order, the same for every source. The README has the full mapping table.</summary>
public enum OrderStatus
{
    /// <summary>A status this version of OrderHub does not know; the provider's string is kept beside it.</summary>
    Unknown = 0,

    /// <summary>Placed, but not yet being worked on (payment pending, being prepared, awaiting availability).</summary>
    Pending,

    /// <summary>Accepted and being worked on: built, picked, packed or shipped in parts not yet reported.</summary>
    InProgress,

    /// <summary>Some, but not all, items have shipped.</summary>
    PartiallyShipped,

    /// <summary>Every item has shipped.</summary>
    Shipped,

    /// <summary>Delivered to the destination.</summary>
    Delivered,

    /// <summary>Complete: nothing further will happen.</summary>
    Completed,

    /// <summary>Cancelled.</summary>
    Cancelled,

    /// <summary>Cannot be fulfilled, or in an error state that needs the provider's support.</summary>
    Failed,
}
