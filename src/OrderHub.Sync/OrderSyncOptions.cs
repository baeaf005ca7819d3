namespace OrderHub.Sync;

/// <summary>How a sync run behaves.</summary>
public sealed record OrderSyncOptions
{
    /// <summary>Gets how many reads may be in flight per source; the source's rate limiter paces them. The default is 16.</summary>
    public int MaxConcurrencyPerSource { get; init; } = 16;

    /// <summary>Gets the most results written in one transaction. The default is 200.</summary>
    public int BatchSize { get; init; } = 200;

    /// <summary>
    /// Gets how many reads of one source may fail in a row (after the source's own retries: unavailable, throttled,
    /// refused credentials, responses not understood) before the run stops spending that source's quota and ends with
    /// <see cref="OrderSyncHaltedException"/>. An order that is not found, or a failure between successes, does not
    /// count. The sync never retries a read itself: the source's retry policy, with backoff and jitter, is the only
    /// one. The default is 25.
    /// </summary>
    public int MaxConsecutiveFailuresPerSource { get; init; } = 25;

    /// <summary>Gets how orders are read (personal data, throttle mode). The default reads without personal data and waits for permits.</summary>
    public OrderReadOptions ReadOptions { get; init; } = OrderReadOptions.Default;
}

/// <summary>Where a sync run is, reported as it goes.</summary>
public sealed record SyncProgress
{
    /// <summary>Gets every reference in the run.</summary>
    public int Total { get; init; }

    /// <summary>Gets the references stored before this invocation (a resumed run).</summary>
    public int AlreadyDone { get; init; }

    /// <summary>Gets the orders stored for the first time.</summary>
    public int Inserted { get; init; }

    /// <summary>Gets the orders stored again with new content.</summary>
    public int Updated { get; init; }

    /// <summary>Gets the orders fetched again with the same content.</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets the orders that could not be fetched.</summary>
    public int Failed { get; init; }

    /// <summary>
    /// Gets the references other workers of the same run have stored since this invocation started (a store that
    /// splits runs between workers, such as PostgreSQL), as of the last report.
    /// </summary>
    public int DoneElsewhere { get; init; }

    /// <summary>Gets the references still to fetch, by this worker or the others.</summary>
    public int Remaining => Math.Max(0, Total - AlreadyDone - DoneElsewhere - Done - Failed);

    /// <summary>Gets the orders fetched and stored in this invocation.</summary>
    public int Done => Inserted + Updated + Unchanged;

    /// <summary>Gets the recent rate, in orders per second.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>Gets the estimated time left, from the sources' rate limits where they have them.</summary>
    public TimeSpan? EstimatedTimeLeft { get; init; }
}
