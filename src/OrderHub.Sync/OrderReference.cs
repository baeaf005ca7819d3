namespace OrderHub.Sync;

/// <summary>An order to sync: its source and its id.</summary>
/// <param name="Source">The source's name.</param>
/// <param name="OrderId">The order's id.</param>
public readonly record struct OrderReference(string Source, string OrderId)
{
    /// <summary>Returns <c>source/orderId</c>.</summary>
    /// <returns>The reference as text.</returns>
    public override string ToString() => $"{Source}/{OrderId}";
}
