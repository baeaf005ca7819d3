using System.Threading.RateLimiting;

namespace OrderHub.RateLimits;

/// <summary>
/// One rate-limit bucket as a provider uses it, wherever its state lives: in this process
/// (<see cref="AdaptiveTokenBucketRateLimiter"/>) or in a store every process shares (<see cref="SharedQuotaLimiter"/>).
/// </summary>
public interface IQuotaLimiter : IRateLimitStatus
{
    /// <summary>Gets how many permits the bucket holds when full.</summary>
    int Burst { get; }

    /// <summary>Gets the time one permit takes to accrue at the current rate.</summary>
    TimeSpan ReplenishmentPeriod { get; }

    /// <summary>
    /// Gets what the bucket's state is shared through (the quota store's description: a file path or Redis endpoints,
    /// never a password), or <see langword="null"/> when it lives in this process alone.
    /// </summary>
    string? SharedThrough => null;

    /// <summary>Gets this process's view of the bucket's counters.</summary>
    /// <returns>The counters.</returns>
    RateLimiterStatistics? GetStatistics();

    /// <summary>Takes one permit, waiting for it (at most <paramref name="maxWait"/> when given; zero: only a permit free now).</summary>
    /// <param name="maxWait">The longest wait accepted; a permit that would come later is refused at once with the wait as its retry-after.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lease; refused leases carry <see cref="MetadataName.RetryAfter"/>.</returns>
    ValueTask<RateLimitLease> AcquireAsync(TimeSpan? maxWait, CancellationToken cancellationToken);

    /// <summary>Takes one permit as <see cref="AcquireAsync(TimeSpan?, CancellationToken)"/> does, saying first how long the caller is about to wait.</summary>
    /// <param name="maxWait">The longest wait accepted; a permit that would come later is refused at once with the wait as its retry-after.</param>
    /// <param name="waiting">Called, before the wait, with about how long the permit takes to come, when the caller has to wait for it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lease; refused leases carry <see cref="MetadataName.RetryAfter"/>.</returns>
    ValueTask<RateLimitLease> AcquireAsync(TimeSpan? maxWait, Action<TimeSpan>? waiting, CancellationToken cancellationToken);

    /// <summary>Adopts the rate the upstream announced, keeping the permits already accrued.</summary>
    /// <param name="permitsPerSecond">The new rate.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the rate is adopted.</returns>
    ValueTask AdoptRateAsync(double permitsPerSecond, CancellationToken cancellationToken);

    /// <summary>
    /// Empties the bucket because the upstream answered 429, and, the first time, makes the bucket hold no more than the
    /// burst the upstream was seen to grant (<see cref="GrantedBurstEstimator"/>), for every process that shares it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the bucket is empty.</returns>
    ValueTask DrainAsync(CancellationToken cancellationToken);

    /// <summary>Records that the upstream accepted a request sent with one of this bucket's permits (its answer was not a 429).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the answer is recorded.</returns>
    ValueTask RecordAcceptedAsync(CancellationToken cancellationToken);
}
