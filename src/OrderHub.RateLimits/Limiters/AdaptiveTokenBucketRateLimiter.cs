using System.Threading.RateLimiting;

namespace OrderHub.RateLimits;

/// <summary>
/// A token bucket (System.Threading.RateLimiting's <see cref="ReplenishingRateLimiter"/> contract) that fills
/// continuously from an injected <see cref="TimeProvider"/>, can adopt a new rate while in use, and can be emptied.
/// </summary>
/// <remarks>
/// <para>
/// It exists because the runtime's <see cref="TokenBucketRateLimiter"/> reads <c>Stopwatch</c> and real timers only
/// (so it cannot be tested without sleeping), fixes its rate at construction (so it cannot adopt the rate an upstream
/// announces in <c>x-amzn-RateLimit-Limit</c>), and cannot be emptied when the upstream answers 429.
/// </para>
/// <para>
/// Permits accrue at <see cref="PermitsPerSecond"/> up to <see cref="Burst"/>; the bucket starts full. Waiters are
/// served first in, first out, each woken by one timer at the exact moment its permits have accrued, so N requests
/// against a bucket of burst B and rate r take exactly max(0, N − B) / r.
/// </para>
/// </remarks>
internal sealed class AdaptiveTokenBucketRateLimiter : ReplenishingRateLimiter, IQuotaLimiter
{
    // Floating-point accrual can land a hair under a whole permit at the exact due time; this much is forgiven.
    private const double Tolerance = 1e-9;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly int _documentedBurst;
    private readonly GrantedBurstEstimator _granted;
    private readonly int _queueLimit;
    private int _burst;
    private ITimer? _timer;
    private long? _timerDueAt;
    private readonly long _refillDelayTicks;
    private long _accrualResumesAt;
    private double _permitsPerSecond;
    private double _tokens;
    private long _lastRefillTimestamp;
    private long? _fullSinceTimestamp;
    private int _queuedPermits;
    private long _successfulLeases;
    private long _failedLeases;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="AdaptiveTokenBucketRateLimiter"/> class.</summary>
    /// <param name="options">The bucket's rate, burst and queue limit.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public AdaptiveTokenBucketRateLimiter(AdaptiveTokenBucketRateLimiterOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _documentedBurst = options.Burst;
        _burst = options.Burst;
        _granted = new GrantedBurstEstimator(options.Burst, _timeProvider);
        _queueLimit = options.QueueLimit;
        _permitsPerSecond = options.PermitsPerSecond;
        _tokens = options.Burst;
        _lastRefillTimestamp = _timeProvider.GetTimestamp();
        _refillDelayTicks = (long)(options.RefillDelayAfterBurst.TotalSeconds * _timeProvider.TimestampFrequency);
        _fullSinceTimestamp = _lastRefillTimestamp;
    }

    /// <summary>Gets how many permits the bucket adds each second.</summary>
    public double PermitsPerSecond
    {
        get
        {
            lock (_lock)
            {
                return _permitsPerSecond;
            }
        }
    }

    /// <summary>Gets how many permits the bucket holds when full: the documented burst, or the smaller one the upstream was seen to grant.</summary>
    public int Burst
    {
        get
        {
            lock (_lock)
            {
                return _burst;
            }
        }
    }

    /// <summary>Gets the permits in the bucket now, fractions included.</summary>
    public double AvailablePermits
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _tokens;
            }
        }
    }

    /// <inheritdoc />
    public int QueuedPermits
    {
        get
        {
            lock (_lock)
            {
                return _queuedPermits;
            }
        }
    }

    /// <inheritdoc />
    public TimeSpan EstimateWait() => EstimateWait(1);

    /// <summary>Estimates how long a newcomer asking for <paramref name="permitCount"/> permits would wait now, behind the queue.</summary>
    /// <param name="permitCount">The permits it would ask for.</param>
    /// <returns>Zero when they are free now.</returns>
    public TimeSpan EstimateWait(int permitCount)
    {
        CheckPermitCount(permitCount);
        lock (_lock)
        {
            Refill();
            return RetryAfterLocked(permitCount);
        }
    }

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                Refill();
                return _fullSinceTimestamp is { } since ? _timeProvider.GetElapsedTime(since) : null;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The bucket fills by itself from its <see cref="TimeProvider"/>; <see cref="TryReplenish"/> does nothing.</remarks>
    public override bool IsAutoReplenishing => true;

    /// <inheritdoc />
    /// <remarks>The time one permit takes to accrue at the current rate.</remarks>
    public override TimeSpan ReplenishmentPeriod => TimeSpan.FromSeconds(1 / PermitsPerSecond);

    /// <inheritdoc />
    public override bool TryReplenish() => false;

    /// <summary>
    /// Adopts a new rate from now on, keeping the permits already accrued (an upstream may announce its real rate in a
    /// response header).
    /// </summary>
    /// <param name="permitsPerSecond">The new rate; positive and finite.</param>
    public void SetPermitsPerSecond(double permitsPerSecond)
    {
        if (!(permitsPerSecond > 0) || double.IsInfinity(permitsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(permitsPerSecond), permitsPerSecond, "The rate must be a positive, finite number.");
        }

        lock (_lock)
        {
            Refill();
            _permitsPerSecond = permitsPerSecond;
            ScheduleLocked();
        }
    }

    /// <summary>
    /// Empties the bucket: the upstream said it is out of quota (HTTP 429), so no permit is handed out until the
    /// bucket has refilled at its rate.
    /// </summary>
    public void Drain()
    {
        lock (_lock)
        {
            Refill();
            _tokens = 0;
            _fullSinceTimestamp = null;
            ScheduleLocked();
        }
    }

    /// <summary>
    /// Holds at most <paramref name="burst"/> permits from now on; permits above it are dropped. As in a shared store
    /// (<see cref="IQuotaStore.AdoptBurstAsync"/>), the first burst below the documented one is taken as it is, and after
    /// that the burst only rises, so answers learned from concurrently land in any order.
    /// </summary>
    /// <param name="burst">The burst; from 1 to the documented one.</param>
    public void AdoptBurst(int burst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(burst, _documentedBurst);
        lock (_lock)
        {
            Refill();
            _burst = TokenBucketState.NextBurst(_burst, burst, _documentedBurst);
            _tokens = Math.Min(_tokens, _burst);
            _fullSinceTimestamp = _tokens >= _burst ? _fullSinceTimestamp ?? _timeProvider.GetTimestamp() : null;
            ScheduleLocked();
        }
    }

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = (long)Math.Floor(_tokens + Tolerance),
                CurrentQueuedCount = _queuedPermits,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = _failedLeases,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Refill();
            if (_queue.Count == 0 && TryTakeLocked(permitCount))
            {
                return PermitLease.Acquired;
            }

            _failedLeases++;
            return PermitLease.Rejected(RetryAfterLocked(permitCount));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        AcquireCore(permitCount, null, cancellationToken);

    /// <summary>
    /// Takes permits, waiting for them only if they would come within <paramref name="maxWait"/>; otherwise the lease
    /// is rejected at once with the wait as its <see cref="MetadataName.RetryAfter"/>. The check and the place in the
    /// queue are taken together, so however many callers arrive at once, none is admitted that would wait longer.
    /// </summary>
    /// <param name="permitCount">The permits.</param>
    /// <param name="maxWait">The longest wait accepted.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The lease.</returns>
    public ValueTask<RateLimitLease> AcquireWithinAsync(int permitCount, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        AcquireCore(permitCount, maxWait, cancellationToken);

    private ValueTask<RateLimitLease> AcquireCore(int permitCount, TimeSpan? maxWait, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Refill();
            if (_queue.Count == 0 && TryTakeLocked(permitCount))
            {
                return new ValueTask<RateLimitLease>(PermitLease.Acquired);
            }

            if (_queueLimit - _queuedPermits < permitCount || (maxWait is { } limit && RetryAfterLocked(permitCount) > limit))
            {
                _failedLeases++;
                return new ValueTask<RateLimitLease>(PermitLease.Rejected(RetryAfterLocked(permitCount)));
            }

            waiter = new Waiter(permitCount);
            waiter.Node = _queue.AddLast(waiter);
            _queuedPermits += permitCount;
            ScheduleLocked();
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(
                static state =>
                {
                    var (limiter, w, token) = ((AdaptiveTokenBucketRateLimiter, Waiter, CancellationToken))state!;
                    limiter.CancelWaiter(w, token);
                },
                (this, waiter, cancellationToken));
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    /// <inheritdoc />
    ValueTask<RateLimitLease> IQuotaLimiter.AcquireAsync(TimeSpan? maxWait, CancellationToken cancellationToken) =>
        ((IQuotaLimiter)this).AcquireAsync(maxWait, null, cancellationToken);

    /// <inheritdoc />
    ValueTask<RateLimitLease> IQuotaLimiter.AcquireAsync(TimeSpan? maxWait, Action<TimeSpan>? waiting, CancellationToken cancellationToken)
    {
        if (waiting is not null && EstimateWait() is { } wait && wait > TimeSpan.Zero && (maxWait is null || wait <= maxWait))
        {
            waiting(wait);
        }

        return maxWait is { } limit ? AcquireWithinAsync(1, limit, cancellationToken) : AcquireAsync(1, cancellationToken);
    }

    /// <inheritdoc />
    ValueTask IQuotaLimiter.AdoptRateAsync(double permitsPerSecond, CancellationToken cancellationToken)
    {
        SetPermitsPerSecond(permitsPerSecond);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    ValueTask IQuotaLimiter.DrainAsync(CancellationToken cancellationToken)
    {
        if (_granted.Throttled(PermitsPerSecond) is { } burst)
        {
            AdoptBurst(burst);
        }

        Drain();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    ValueTask IQuotaLimiter.RecordAcceptedAsync(CancellationToken cancellationToken)
    {
        if (_granted.Accepted(PermitsPerSecond) is { } burst)
        {
            AdoptBurst(burst);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        List<Waiter> abandoned;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            abandoned = [.. _queue];
            _queue.Clear();
            _queuedPermits = 0;
        }

        _timer?.Dispose();
        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult(PermitLease.Rejected(null));
        }
    }

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore()
    {
        Dispose(true);
        return ValueTask.CompletedTask;
    }

    private void CheckPermitCount(int permitCount)
    {
        if (permitCount < 0 || permitCount > _documentedBurst)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"A request may ask for 0 to {_documentedBurst} permits (the bucket's burst).");
        }
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        var elapsedSeconds = (double)(now - Math.Max(_lastRefillTimestamp, _accrualResumesAt)) / _timeProvider.TimestampFrequency;
        _lastRefillTimestamp = now;
        if (elapsedSeconds <= 0 || _tokens >= _burst)
        {
            return;
        }

        var filled = _tokens + (elapsedSeconds * _permitsPerSecond);
        if (filled >= _burst - Tolerance)
        {
            // The bucket became full part-way through the interval: idle time counts from that moment.
            var overflowSeconds = Math.Max(0, filled - _burst) / _permitsPerSecond;
            _fullSinceTimestamp ??= now - (long)(overflowSeconds * _timeProvider.TimestampFrequency);
            _tokens = _burst;
        }
        else
        {
            _tokens = filled;
        }
    }

    private bool TryTakeLocked(int permitCount)
    {
        if (_tokens + Tolerance < permitCount)
        {
            return false;
        }

        if (_tokens >= _burst && permitCount > 0)
        {
            // Leaving "full": the refill starts a little later, as the server's does (see RefillDelayAfterBurst).
            _accrualResumesAt = _timeProvider.GetTimestamp() + _refillDelayTicks;
        }

        _tokens = Math.Max(0, _tokens - permitCount);
        _fullSinceTimestamp = _tokens >= _burst ? _fullSinceTimestamp : null;
        _successfulLeases++;
        return true;
    }

    // How long until this many permits are free for a newcomer, behind everyone already waiting.
    private TimeSpan RetryAfterLocked(int permitCount)
    {
        var missing = (_queuedPermits + permitCount) - _tokens;
        var accrualPause = Math.Max(0, _accrualResumesAt - _timeProvider.GetTimestamp()) / (double)_timeProvider.TimestampFrequency;
        return missing <= 0 ? TimeSpan.Zero : SecondsToDue(accrualPause + (missing / _permitsPerSecond));
    }

    // Hands out what is due now, in queue order, then arms a timer for the next waiter. Waiters are completed here,
    // under the lock (their continuations run asynchronously, and a waiter still in the queue cannot have been
    // cancelled: cancelling takes it out of the queue first). No timer is ever set to fire at once, and a timer is never
    // re-armed from its own callback: each wake-up gets a timer of its own (some TimeProviders run a zero-due callback
    // inside Change, and do not fire again a one-shot timer re-armed while it runs).
    private void ScheduleLocked()
    {
        if (_disposed)
        {
            return;
        }

        Refill();
        while (_queue.First is { } head && TryTakeLocked(head.Value.PermitCount))
        {
            _queue.RemoveFirst();
            head.Value.Node = null;
            _queuedPermits -= head.Value.PermitCount;
            head.Value.Registration.Unregister();
            head.Value.Completion.TrySetResult(PermitLease.Acquired);
        }

        if (_queue.First is not { } next)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timerDueAt = null;
            return;
        }

        var missing = next.Value.PermitCount - _tokens;
        var accrualPause = Math.Max(0, _accrualResumesAt - _timeProvider.GetTimestamp()) / (double)_timeProvider.TimestampFrequency;
        var due = SecondsToDue(accrualPause + (missing / _permitsPerSecond));
        var dueAt = _timeProvider.GetTimestamp() + (long)Math.Ceiling(due.TotalSeconds * _timeProvider.TimestampFrequency);
        if (_timer is not null && _timerDueAt == dueAt)
        {
            return; // already armed for this moment (a newcomer joined behind the head)
        }

        _timer?.Dispose();
        _timerDueAt = dueAt;
        _timer = _timeProvider.CreateTimer(static state => ((AdaptiveTokenBucketRateLimiter)state!).OnTimer(), this, due, Timeout.InfiniteTimeSpan);
    }

    // Rounds up to a whole tick so the timer never fires before the permits have accrued.
    private static TimeSpan SecondsToDue(double seconds) => TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond));

    private void OnTimer()
    {
        lock (_lock)
        {
            _timerDueAt = null;
            ScheduleLocked();
        }
    }

    private void CancelWaiter(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
            waiter.Node = null;
            _queuedPermits -= waiter.PermitCount;
            ScheduleLocked();
        }

        waiter.Completion.TrySetCanceled(cancellationToken);
    }

    private sealed class Waiter(int permitCount)
    {
        public int PermitCount { get; } = permitCount;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
