using System.Globalization;

namespace OrderHub.Sync;

/// <summary>
/// A change log read started after a position the store no longer keeps: entries after it were pruned (older than the
/// store's retention), so reading on would skip changes. Start again from a query of the stored orders
/// (<see cref="IOrderQuery"/>), then follow the log from its current position.
/// </summary>
public sealed class OrderChangePositionExpiredException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OrderChangePositionExpiredException"/> class.</summary>
    /// <param name="position">The position read after.</param>
    /// <param name="prunedThrough">The highest position the store pruned.</param>
    public OrderChangePositionExpiredException(long position, long prunedThrough)
        : base(string.Create(CultureInfo.InvariantCulture, $"The change log no longer keeps what follows position {position}: entries up to {prunedThrough} were pruned. Start again from a query of the stored orders, then read the change log after position {prunedThrough} or later."))
    {
        Position = position;
        PrunedThrough = prunedThrough;
    }

    /// <summary>Gets the position that was read after.</summary>
    public long Position { get; }

    /// <summary>Gets the highest position the store pruned: a read after it, or after a later position, is valid.</summary>
    public long PrunedThrough { get; }
}
