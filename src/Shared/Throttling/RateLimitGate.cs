using System.Globalization;
using System.Threading.RateLimiting;
using OrderHub.RateLimits;

namespace OrderHub.Throttling;

/// <summary>
/// Takes one permit from a bucket as the caller chose: wait (cancellable, at most a budget when given) or fail fast. A
/// refused lease becomes an <see cref="OrderSourceThrottledException"/> here, at the public edge, not inside the
/// limiter; a shared store that cannot be used becomes an <see cref="OrderSourceUnavailableException"/>.
/// </summary>
internal static class RateLimitGate
{
    /// <summary>Takes one permit, waiting or failing fast as <paramref name="mode"/> says.</summary>
    /// <param name="limiter">The bucket.</param>
    /// <param name="mode">Wait for a permit, or fail at once.</param>
    /// <param name="context">The source and order the permit is for, for the exception.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The acquired lease; dispose it when the request is sent.</returns>
    public static ValueTask<RateLimitLease> AcquireAsync(
        IQuotaLimiter limiter, ThrottleMode mode, OrderErrorContext context, CancellationToken cancellationToken = default) =>
        AcquireAsync(limiter, mode, null, context, cancellationToken);

    /// <summary>Takes one permit, waiting (at most <paramref name="maxWait"/>, when given) or failing fast as <paramref name="mode"/> says.</summary>
    /// <param name="limiter">The bucket.</param>
    /// <param name="mode">Wait for a permit, or fail at once.</param>
    /// <param name="maxWait">The longest wait accepted; a permit that would come later fails at once, with the wait as its retry-after.</param>
    /// <param name="context">The source and order the permit is for, for the exception.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The acquired lease; dispose it when the request is sent.</returns>
    public static async ValueTask<RateLimitLease> AcquireAsync(
        IQuotaLimiter limiter, ThrottleMode mode, TimeSpan? maxWait, OrderErrorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(mode == ThrottleMode.FailFast ? TimeSpan.Zero : maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (QuotaStoreUnavailableException e)
        {
            throw new OrderSourceUnavailableException(e.Message, context, e);
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null;
        lease.Dispose();
        throw new OrderSourceThrottledException(
            mode == ThrottleMode.FailFast
                ? $"The {context.SourceName} rate limit has no permit free now and the call was set to fail fast."
                : maxWait is { } accepted && retryAfter > accepted
                    ? $"The {context.SourceName} rate limit has no permit free within the {accepted.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s this call may wait."
                    : $"The {context.SourceName} rate limit's queue is full.",
            retryAfter,
            context);
    }
}
