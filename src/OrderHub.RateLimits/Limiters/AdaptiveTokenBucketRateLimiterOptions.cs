namespace OrderHub.RateLimits;

/// <summary>The shape of an <see cref="AdaptiveTokenBucketRateLimiter"/>.</summary>
internal sealed record AdaptiveTokenBucketRateLimiterOptions
{
    /// <summary>Gets how many permits the bucket adds each second; may be fractional (0.5 is one permit every 2 s).</summary>
    public required double PermitsPerSecond { get; init; }

    /// <summary>Gets how many permits the bucket holds when full, which is also how many it starts with.</summary>
    public required int Burst { get; init; }

    /// <summary>
    /// Gets how long after the bucket stops being full its refill starts. A server's bucket starts refilling when the
    /// first request of a burst arrives, later than the client sent it; without this allowance the first request
    /// after the burst can reach the server a hair early. It costs this much once per burst, not per request.
    /// The default is zero.
    /// </summary>
    public TimeSpan RefillDelayAfterBurst { get; init; } = TimeSpan.Zero;

    /// <summary>Gets how many permits may wait in the queue at once. The default is <see cref="int.MaxValue"/>.</summary>
    public int QueueLimit { get; init; } = int.MaxValue;

    internal void Validate()
    {
        if (!(PermitsPerSecond > 0) || double.IsInfinity(PermitsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(PermitsPerSecond), PermitsPerSecond, "PermitsPerSecond must be a positive, finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Burst, 1, nameof(Burst));
        ArgumentOutOfRangeException.ThrowIfNegative(QueueLimit, nameof(QueueLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(RefillDelayAfterBurst, TimeSpan.Zero, nameof(RefillDelayAfterBurst));
    }
}
