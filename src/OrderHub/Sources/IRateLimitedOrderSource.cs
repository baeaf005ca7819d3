namespace OrderHub;

/// <summary>A source whose reads are paced by a rate limit; the sync reads it to estimate the time left.</summary>
public interface IRateLimitedOrderSource : IOrderSource
{
    /// <summary>Gets a read-only view of the limit that paces <see cref="IOrderSource.GetOrderAsync"/>.</summary>
    IRateLimitStatus GetOrderRateLimit { get; }
}

/// <summary>What a rate limit looks like now: its rate, what is free, who waits. Read-only: the source owns the limit.</summary>
public interface IRateLimitStatus
{
    /// <summary>Gets the permits added each second (the rate adopted from the upstream, where it announces one).</summary>
    double PermitsPerSecond { get; }

    /// <summary>Gets the permits free now, fractions included.</summary>
    double AvailablePermits { get; }

    /// <summary>Gets how many permits callers are waiting for.</summary>
    int QueuedPermits { get; }

    /// <summary>Estimates how long a newcomer would wait for a permit now, behind those already waiting.</summary>
    /// <returns>Zero when one is free.</returns>
    TimeSpan EstimateWait();
}
