using System.Collections.Concurrent;
using OrderHub.RateLimits;

namespace OrderHub.Throttling;

/// <summary>
/// The process's rate-limit buckets, one per partition key. A provider builds the key from what its upstream meters
/// (for Selling Partner: the seller credential, the region and the operation), so every client, adapter instance and
/// caller that spends the same quota shares one bucket. With a shared store, the bucket's state lives there, and every
/// process with the same credentials shares it too.
/// </summary>
internal sealed class RateLimiterRegistry : IDisposable
{
    private static readonly Lazy<RateLimiterRegistry> MachineWide = new(() =>
        new RateLimiterRegistry(new QuotaStoreAccess(new LocalFileQuotaStore(LocalFileQuotaStore.DefaultPath)), TimeProvider.System));

    private readonly ConcurrentDictionary<string, Lazy<IQuotaLimiter>> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly QuotaStoreAccess? _store;

    /// <summary>Initializes a new instance of the <see cref="RateLimiterRegistry"/> class whose buckets live in this process only.</summary>
    /// <param name="timeProvider">The clock every bucket reads; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public RateLimiterRegistry(TimeProvider? timeProvider = null)
        : this(null, timeProvider)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RateLimiterRegistry"/> class over a shared store.</summary>
    /// <param name="store">The store every process shares; <see langword="null"/> for buckets in this process only.</param>
    /// <param name="timeProvider">The clock every bucket reads; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public RateLimiterRegistry(QuotaStoreAccess? store, TimeProvider? timeProvider)
    {
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the registry of sources created without dependency injection: the machine-wide file every process of the user shares.</summary>
    public static RateLimiterRegistry Shared => MachineWide.Value;

    /// <summary>Gets the number of buckets.</summary>
    public int Count => _limiters.Count;

    /// <summary>Gets the bucket for a partition, creating it with the given shape the first time.</summary>
    /// <param name="partitionKey">The partition, for example <c>sp-api|&lt;credential hash&gt;|na|getOrder</c>; never a secret.</param>
    /// <param name="options">The shape of the bucket if it has to be created.</param>
    /// <returns>The partition's bucket.</returns>
    public IQuotaLimiter GetOrAdd(string partitionKey, AdaptiveTokenBucketRateLimiterOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return _limiters.GetOrAdd(
            partitionKey,
            static (key, state) => new Lazy<IQuotaLimiter>(() => state.self.Create(key, state.options)),
            (options, self: this)).Value;
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

    private IQuotaLimiter Create(string key, AdaptiveTokenBucketRateLimiterOptions options) =>
        _store is null
            ? new AdaptiveTokenBucketRateLimiter(options, _timeProvider)
            : new SharedQuotaLimiter(
                _store,
                new QuotaDefinition(key, options.PermitsPerSecond, options.Burst) { RefillDelayAfterBurst = options.RefillDelayAfterBurst },
                _timeProvider);
}
