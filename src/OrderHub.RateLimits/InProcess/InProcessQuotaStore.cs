using System.Runtime.CompilerServices;

namespace OrderHub.RateLimits;

/// <summary>
/// Buckets held in this process only: for tests, or for a single process by choice. Other processes with the same
/// credentials do not see them, so two of them together may exceed the quota.
/// </summary>
public sealed class InProcessQuotaStore : IQuotaStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TokenBucketState> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="InProcessQuotaStore"/> class.</summary>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InProcessQuotaStore(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Description => "this process's memory";

    /// <inheritdoc />
    public ValueTask<QuotaReservation> ReserveAsync(QuotaDefinition quota, QuotaReservationRequest request, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Update(quota, request.StartFull, TokenBucketChanges.Reserve(quota, request)));

    /// <inheritdoc />
    public ValueTask<QuotaBucket> AdoptRateAsync(QuotaDefinition quota, double permitsPerSecond, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Update(quota, true, TokenBucketChanges.AdoptRate(quota, permitsPerSecond)));

    /// <inheritdoc />
    public ValueTask<QuotaBucket> AdoptBurstAsync(QuotaDefinition quota, int burst, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Update(quota, true, TokenBucketChanges.AdoptBurst(quota, burst)));

    /// <inheritdoc />
    public ValueTask<QuotaBucket> DrainAsync(QuotaDefinition quota, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Update(quota, true, TokenBucketChanges.Drain(quota)));

    /// <inheritdoc />
    public async IAsyncEnumerable<QuotaBucket> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<QuotaBucket> buckets;
        lock (_lock)
        {
            var now = TokenBucketState.ToMicros(_timeProvider.GetUtcNow());
            buckets = [.. _buckets.Select(pair =>
            {
                var state = pair.Value;
                state.Refill(now);
                return state.ToBucket(pair.Key, now);
            })];
        }

        foreach (var bucket in buckets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return bucket;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private T Update<T>(QuotaDefinition quota, bool startFull, TokenBucketChange<T> change)
    {
        lock (_lock)
        {
            var now = TokenBucketState.ToMicros(_timeProvider.GetUtcNow());
            var state = _buckets.TryGetValue(quota.Partition, out var held) ? held : TokenBucketState.New(quota, now, startFull);
            var result = change(ref state, now);
            _buckets[quota.Partition] = state;
            return result;
        }
    }
}
