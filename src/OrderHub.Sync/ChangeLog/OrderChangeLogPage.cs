using System.Globalization;

namespace OrderHub.Sync;

/// <summary>A page of the change log: entries in position order, and where the next read starts.</summary>
public sealed class OrderChangeLogPage
{
    /// <summary>Initializes a new instance of the <see cref="OrderChangeLogPage"/> class.</summary>
    /// <param name="changes">The entries, in position order.</param>
    /// <param name="lastPosition">The last entry's position, or the position read after when there are none.</param>
    public OrderChangeLogPage(IReadOnlyList<OrderChange> changes, long lastPosition)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Changes = changes;
        LastPosition = lastPosition;
    }

    /// <summary>Gets the entries, in position order.</summary>
    public IReadOnlyList<OrderChange> Changes { get; }

    /// <summary>Gets the position to read after next: the last entry's, or the one read after when the page is empty.</summary>
    public long LastPosition { get; }

    /// <summary>Returns how many entries the page holds and its last position; never order content.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"OrderChangeLogPage {{ Count = {Changes.Count}, LastPosition = {LastPosition} }}");
}
