using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace OrderHub.RateLimits;

/// <summary>
/// The rate-limit buckets of a composition, one per partition of an upstream's quota: the seam a provider draws its
/// limiters from. A provider builds the partition from what its upstream meters (for Selling Partner: the seller
/// credential, the region and the operation), so every client, adapter instance and caller that spends the same quota
/// shares one bucket. With a shared store, the bucket's state lives there, and every process with the same credentials
/// shares it too.
/// </summary>
/// <remarks>
/// Dependency injection registers one per container (<c>AddOrderHubRateLimits</c>, over the store
/// <c>OrderHub:RateLimits</c> chooses). A source built by hand without one uses <see cref="ForProcess"/>: buckets in this
/// process, on the source's clock, and no file anywhere.
/// </remarks>
public sealed class RateLimiterRegistry : IDisposable
{
    // One in-process registry per clock: sources built by hand with the same clock share their buckets.
    private static readonly ConditionalWeakTable<TimeProvider, RateLimiterRegistry> PerClock = [];

    private readonly ConcurrentDictionary<string, Lazy<IQuotaLimiter>> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly QuotaStoreAccess? _store;

    /// <summary>Initializes a new instance of the <see cref="RateLimiterRegistry"/> class whose buckets live in this process only.</summary>
    /// <param name="timeProvider">The clock every bucket reads; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public RateLimiterRegistry(TimeProvider? timeProvider = null)
        : this((QuotaStoreAccess?)null, timeProvider)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="RateLimiterRegistry"/> class whose buckets live in a store every
    /// process that uses it shares (the machine-wide file, Redis).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="timeProvider">The clock callers wait on; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where the store's outages are logged.</param>
    /// <param name="outageTolerance">How long a caller that may wait keeps trying a store that cannot be used; the default is 2 minutes.</param>
    public RateLimiterRegistry(IQuotaStore store, TimeProvider? timeProvider = null, ILogger? logger = null, TimeSpan? outageTolerance = null)
        : this(new QuotaStoreAccess(store, timeProvider, logger, outageTolerance), timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RateLimiterRegistry"/> class over a store under its outage policy.</summary>
    /// <param name="store">The store; <see langword="null"/> for buckets in this process only.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    internal RateLimiterRegistry(QuotaStoreAccess? store, TimeProvider? timeProvider)
    {
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the number of buckets.</summary>
    public int Count => _limiters.Count;

    /// <summary>Gets this process's in-memory registry for a clock: what sources built by hand without a store share.</summary>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The registry; the same one for the same clock.</returns>
    public static RateLimiterRegistry ForProcess(TimeProvider? timeProvider = null) =>
        PerClock.GetValue(timeProvider ?? TimeProvider.System, static clock => new RateLimiterRegistry(clock));

    /// <summary>Gets the bucket of a partition, creating it with the given shape the first time.</summary>
    /// <param name="quota">The partition (never a secret) and the shape of the bucket if it has to be created.</param>
    /// <returns>The partition's bucket.</returns>
    public IQuotaLimiter GetOrAdd(QuotaDefinition quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return _limiters.GetOrAdd(
            quota.Partition,
            static (_, state) => new Lazy<IQuotaLimiter>(() => state.self.Create(state.quota)),
            (quota, self: this)).Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            if (limiter.IsValueCreated && limiter.Value is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        _limiters.Clear();
    }

    private IQuotaLimiter Create(QuotaDefinition quota) =>
        _store is null
            ? new AdaptiveTokenBucketRateLimiter(
                new AdaptiveTokenBucketRateLimiterOptions { PermitsPerSecond = quota.PermitsPerSecond, Burst = quota.Burst, RefillDelayAfterBurst = quota.RefillDelayAfterBurst },
                _timeProvider)
            : new SharedQuotaLimiter(_store, quota, _timeProvider);
}
