using System.Threading.RateLimiting;

namespace OrderHub.Throttling;

/// <summary>
/// Takes one permit from a bucket as the caller chose: wait (cancellable) or fail fast. A rejected lease becomes an
/// <see cref="OrderSourceThrottledException"/> here, at the public edge, not inside the limiter.
/// </summary>
public static class RateLimitGate
{
    /// <summary>Takes one permit, waiting or failing fast as <paramref name="mode"/> says.</summary>
    /// <param name="limiter">The bucket.</param>
    /// <param name="mode">Wait for a permit, or fail at once.</param>
    /// <param name="context">The source and order the permit is for, for the exception.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The acquired lease; dispose it when the request is sent.</returns>
    public static async ValueTask<RateLimitLease> AcquireAsync(
        RateLimiter limiter, ThrottleMode mode, OrderErrorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        var lease = mode == ThrottleMode.FailFast
            ? limiter.AttemptAcquire(1)
            : await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (lease.IsAcquired)
        {
            return lease;
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        lease.Dispose();
        throw new OrderSourceThrottledException(
            mode == ThrottleMode.FailFast
                ? $"The {context.SourceName} rate limit has no permit free now and the call was set to fail fast."
                : $"The {context.SourceName} rate limit's queue is full.",
            retryAfter,
            context);
    }
}
