using System.Collections.Concurrent;

namespace OrderHub.Throttling;

/// <summary>
/// The process's rate-limit buckets, one per partition key. A provider builds the key from what its upstream meters
/// (for Selling Partner: the seller credential, the region and the operation), so every client, adapter instance and
/// caller that spends the same quota shares one bucket.
/// </summary>
internal sealed class RateLimiterRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<AdaptiveTokenBucketRateLimiter>> _limiters = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="RateLimiterRegistry"/> class.</summary>
    /// <param name="timeProvider">The clock every bucket reads; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public RateLimiterRegistry(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the registry shared by every source created without dependency injection in this process.</summary>
    public static RateLimiterRegistry Shared { get; } = new();

    /// <summary>Gets the number of buckets.</summary>
    public int Count => _limiters.Count;

    /// <summary>Gets the bucket for a partition, creating it with the given shape the first time.</summary>
    /// <param name="partitionKey">The partition, for example <c>sp-api|&lt;credential hash&gt;|na|getOrder</c>; never a secret.</param>
    /// <param name="options">The shape of the bucket if it has to be created.</param>
    /// <returns>The partition's bucket.</returns>
    public AdaptiveTokenBucketRateLimiter GetOrAdd(string partitionKey, AdaptiveTokenBucketRateLimiterOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        ArgumentNullException.ThrowIfNull(options);
        return _limiters.GetOrAdd(
            partitionKey,
            static (_, state) => new Lazy<AdaptiveTokenBucketRateLimiter>(() => new AdaptiveTokenBucketRateLimiter(state.options, state.time)),
            (options, time: _timeProvider)).Value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            if (limiter.IsValueCreated)
            {
                limiter.Value.Dispose();
            }
        }

        _limiters.Clear();
    }
}
