namespace OrderHub.RateLimits;

/// <summary>What a caller asks of a bucket.</summary>
public sealed record QuotaReservationRequest
{
    /// <summary>Gets how many permits; 1 to the bucket's burst. The default is 1.</summary>
    public int Permits { get; init; } = 1;

    /// <summary>
    /// Gets the longest wait accepted; a reservation that would be due later is refused and takes nothing.
    /// <see langword="null"/> (the default) accepts any wait; <see cref="TimeSpan.Zero"/> only permits free now.
    /// </summary>
    public TimeSpan? MaxWait { get; init; }

    /// <summary>
    /// Gets whether a bucket the store does not hold yet starts full (the default) or empty. A client that has just
    /// seen the store come back after an outage starts new buckets empty: the store may have lost what was spent.
    /// </summary>
    public bool StartFull { get; init; } = true;
}

/// <summary>The answer to a reservation.</summary>
/// <param name="IsGranted">Whether the permits are reserved.</param>
/// <param name="Wait">Granted: how long until they are due (zero when free now). Refused: how long they would take.</param>
/// <param name="Bucket">The bucket after the reservation.</param>
public sealed record QuotaReservation(bool IsGranted, TimeSpan Wait, QuotaBucket Bucket);

/// <summary>A bucket as the store holds it, refilled up to <see cref="ObservedAt"/>.</summary>
public sealed record QuotaBucket
{
    /// <summary>Gets the partition.</summary>
    public required string Partition { get; init; }

    /// <summary>Gets the rate now (the one adopted from the upstream, where it announced one).</summary>
    public required double PermitsPerSecond { get; init; }

    /// <summary>Gets how many permits the bucket holds when full.</summary>
    public required int Burst { get; init; }

    /// <summary>Gets the permits in the bucket; negative by the permits reserved ahead for callers still waiting.</summary>
    public required double Permits { get; init; }

    /// <summary>Gets the permits reserved by callers that are still waiting for them to be due.</summary>
    public int Waiting => Permits < 0 ? (int)Math.Ceiling(-Permits - 1e-9) : 0;

    /// <summary>Gets the permits free now for a newcomer.</summary>
    public double Available => Math.Max(0, Permits);

    /// <summary>Gets when the upstream last answered 429 for this bucket, if the store has seen it.</summary>
    public DateTimeOffset? LastThrottledAt { get; init; }

    /// <summary>Gets the store's time when this state was read.</summary>
    public required DateTimeOffset ObservedAt { get; init; }
}
