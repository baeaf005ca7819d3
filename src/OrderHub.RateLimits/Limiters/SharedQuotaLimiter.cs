using System.Threading.RateLimiting;
using OrderHub.RateLimits;

namespace OrderHub.RateLimits;

/// <summary>
/// A bucket whose state lives in an <see cref="IQuotaStore"/> every process with the same credentials shares. Each
/// permit is one reservation in the store, which says how long until it is due; the caller then sleeps exactly that
/// long on this process's <see cref="TimeProvider"/>, so nobody polls and reservations are served in the order they
/// reached the store.
/// </summary>
/// <remarks>
/// A reservation is final: a caller cancelled while it sleeps does not give its permit back (another process may
/// already be scheduled behind it), so a cancellation can only slow the others, never speed them past the quota.
/// The status properties are this process's view as of its last exchange with the store.
/// </remarks>
internal sealed class SharedQuotaLimiter : IQuotaLimiter
{
    private const int MaxStaleReservations = 3;

    // How many reservations a process holds ahead at once: enough to keep its place in the store's queue, few enough
    // that a process that dies (kill -9) leaves only this many permits reserved and never used.
    private const int MaxReservationsAhead = 2;
    private readonly SemaphoreSlim _reservationsAhead = new(MaxReservationsAhead, MaxReservationsAhead);
    private static readonly TimeSpan MinimumStaleAfter = TimeSpan.FromMilliseconds(100);
    private readonly QuotaStoreAccess _store;
    private readonly QuotaDefinition _quota;
    private readonly TimeProvider _timeProvider;
    private readonly GrantedBurstEstimator _granted;
    private Snapshot _snapshot;
    private int _waiting;
    private long _successfulLeases;
    private long _failedLeases;
    private long _staleReservations;

    /// <summary>Initializes a new instance of the <see cref="SharedQuotaLimiter"/> class.</summary>
    /// <param name="store">The shared store, under the outage policy.</param>
    /// <param name="quota">The bucket.</param>
    /// <param name="timeProvider">The clock the caller sleeps on.</param>
    public SharedQuotaLimiter(QuotaStoreAccess store, QuotaDefinition quota, TimeProvider timeProvider)
    {
        _store = store;
        _quota = quota;
        _timeProvider = timeProvider;
        _granted = new GrantedBurstEstimator(quota.Burst, timeProvider);
        _snapshot = new Snapshot(quota.Burst, quota.PermitsPerSecond, quota.Burst, timeProvider.GetTimestamp());
    }

    /// <inheritdoc />
    public string? SharedThrough => _store.Store is InProcessQuotaStore ? null : _store.Store.Description;

    /// <inheritdoc />
    public double PermitsPerSecond => Volatile.Read(ref _snapshot).PermitsPerSecond;

    /// <inheritdoc />
    /// <remarks>The documented burst, or the smaller one the upstream was seen to grant, as of the last exchange with the store.</remarks>
    public int Burst => Volatile.Read(ref _snapshot).Burst;

    /// <inheritdoc />
    public double AvailablePermits => Math.Max(0, ProjectedPermits());

    /// <inheritdoc />
    public int QueuedPermits => Volatile.Read(ref _waiting);

    /// <inheritdoc />
    public TimeSpan ReplenishmentPeriod => TimeSpan.FromSeconds(1 / PermitsPerSecond);

    /// <inheritdoc />
    public TimeSpan EstimateWait()
    {
        var missing = 1 - ProjectedPermits();
        return missing <= 1e-9 ? TimeSpan.Zero : TimeSpan.FromSeconds(missing / PermitsPerSecond);
    }

    /// <inheritdoc />
    public RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = (long)Math.Floor(AvailablePermits + 1e-9),
        CurrentQueuedCount = QueuedPermits,
        TotalSuccessfulLeases = Interlocked.Read(ref _successfulLeases),
        TotalFailedLeases = Interlocked.Read(ref _failedLeases),
    };

    /// <summary>Gets how many reservations this process let go stale (it woke too long after they were due) and replaced.</summary>
    public long StaleReservations => Interlocked.Read(ref _staleReservations);

    /// <inheritdoc />
    /// <remarks>
    /// A reservation is a promise about time: the permit is the upstream's at its due time, not later. A process that
    /// wakes long after (a pause of the collector, a starved CPU) would send every permit that fell due meanwhile at
    /// once, while the upstream's bucket, idle meanwhile, stopped filling at its burst. So a permit used more than
    /// <see cref="StaleAfter"/> late is dropped (it stays spent in the store) and a new one reserved, a few times at most.
    /// A process holds at most two reservations ahead; its other callers wait their turn here, first in first out, so a
    /// process that dies leaves at most two permits unused. A caller with a wait budget reserves at once.
    /// </remarks>
    public ValueTask<RateLimitLease> AcquireAsync(TimeSpan? maxWait, CancellationToken cancellationToken) => AcquireAsync(maxWait, null, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<RateLimitLease> AcquireAsync(TimeSpan? maxWait, Action<TimeSpan>? waiting, CancellationToken cancellationToken)
    {
        var queued = maxWait is null;
        if (queued)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                // Behind this process's own reservations: about what the bucket's projection says.
                if (!_reservationsAhead.Wait(0, CancellationToken.None))
                {
                    waiting?.Invoke(EstimateWait());
                    waiting = null;
                    await _reservationsAhead.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        try
        {
            return await ReserveAsync(maxWait, waiting, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (queued)
            {
                _reservationsAhead.Release();
            }
        }
    }

    private async ValueTask<RateLimitLease> ReserveAsync(TimeSpan? maxWait, Action<TimeSpan>? waiting, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var askedAt = _timeProvider.GetTimestamp();
            var reservation = await _store.CallAsync(
                _quota,
                (startFull, token) => _store.Store.ReserveAsync(_quota, new QuotaReservationRequest { MaxWait = maxWait, StartFull = startFull }, token),
                mayWait: maxWait is null,
                cancellationToken).ConfigureAwait(false);
            Remember(reservation.Bucket);
            if (!reservation.IsGranted)
            {
                Interlocked.Increment(ref _failedLeases);
                return PermitLease.Rejected(reservation.Wait);
            }

            if (reservation.Wait > TimeSpan.Zero)
            {
                waiting?.Invoke(reservation.Wait);
                waiting = null; // said once: a stale permit's second reservation follows at once
                Interlocked.Increment(ref _waiting);
                try
                {
                    await Task.Delay(reservation.Wait, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }

            var late = _timeProvider.GetElapsedTime(askedAt) - reservation.Wait;
            if (late <= StaleAfter(reservation.Bucket) || attempt >= MaxStaleReservations)
            {
                Interlocked.Increment(ref _successfulLeases);
                return PermitLease.Acquired;
            }

            Interlocked.Increment(ref _staleReservations);
        }
    }

    /// <summary>How late a permit may be used: one permit's time at the bucket's rate, and never less than 100 ms.</summary>
    /// <param name="bucket">The bucket as the reservation left it.</param>
    /// <returns>The lateness beyond which the permit is stale.</returns>
    internal static TimeSpan StaleAfter(QuotaBucket bucket) =>
        TimeSpan.FromSeconds(Math.Max(1 / bucket.PermitsPerSecond, MinimumStaleAfter.TotalSeconds));

    /// <inheritdoc />
    public async ValueTask AdoptRateAsync(double permitsPerSecond, CancellationToken cancellationToken)
    {
        // A rate that could not be shared now is adopted from the next response instead.
        if (await _store.TryCallAsync(_quota, (_, token) => _store.Store.AdoptRateAsync(_quota, permitsPerSecond, token), cancellationToken).ConfigureAwait(false) is { } bucket)
        {
            Remember(bucket);
        }
    }

    /// <inheritdoc />
    /// <remarks>The burst is learned from this process's answers only: a lower bound of the upstream's, shared through the store.</remarks>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_granted.Throttled(PermitsPerSecond) is { } burst)
        {
            await AdoptBurstAsync(burst, cancellationToken).ConfigureAwait(false);
        }

        // A 429 that could not be shared: the store is out, and nothing is sent until it is back.
        if (await _store.TryCallAsync(_quota, (_, token) => _store.Store.DrainAsync(_quota, token), cancellationToken).ConfigureAwait(false) is { } bucket)
        {
            Remember(bucket);
        }
    }

    /// <inheritdoc />
    public async ValueTask RecordAcceptedAsync(CancellationToken cancellationToken)
    {
        if (_granted.Accepted(PermitsPerSecond) is { } burst)
        {
            await AdoptBurstAsync(burst, cancellationToken).ConfigureAwait(false);
        }
    }

    // A burst that could not be shared now is learned again at the next 429.
    private async ValueTask AdoptBurstAsync(int burst, CancellationToken cancellationToken)
    {
        if (await _store.TryCallAsync(_quota, (_, token) => _store.Store.AdoptBurstAsync(_quota, burst, token), cancellationToken).ConfigureAwait(false) is { } bucket)
        {
            Remember(bucket);
        }
    }

    private void Remember(QuotaBucket bucket) =>
        Volatile.Write(ref _snapshot, new Snapshot(bucket.Permits, bucket.PermitsPerSecond, bucket.Burst, _timeProvider.GetTimestamp()));

    private double ProjectedPermits()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        return Math.Min(snapshot.Burst, snapshot.Permits + (_timeProvider.GetElapsedTime(snapshot.Timestamp).TotalSeconds * snapshot.PermitsPerSecond));
    }

    private sealed record Snapshot(double Permits, double PermitsPerSecond, int Burst, long Timestamp);
}
