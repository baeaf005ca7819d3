namespace OrderHub.Sync;

/// <summary>Counts a run's outcomes and derives its rate and the time left.</summary>
internal sealed class ProgressTracker
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Queue<long> _recent = new();
    private readonly List<IRateLimitedOrderSource> _limited = [];
    private readonly int _total;
    private readonly int _alreadyDone;
    private readonly int _storedAtStart;
    private int _doneElsewhere;
    private int _inserted;
    private int _updated;
    private int _unchanged;
    private int _failed;

    public ProgressTracker(TimeProvider time, SyncRunCounts atStart)
    {
        _time = time;
        _total = atStart.Total;
        _alreadyDone = atStart.Done + atStart.Failed;
        _storedAtStart = atStart.Done;
    }

    /// <summary>Takes in the whole run's counts from the store: what is stored beyond this worker's share was stored by others.</summary>
    public void Observe(SyncRunCounts counts)
    {
        lock (_lock)
        {
            _doneElsewhere = Math.Max(0, counts.Done - _storedAtStart - (_inserted + _updated + _unchanged));
        }
    }

    public void Track(IOrderSource? source)
    {
        lock (_lock)
        {
            if (source is IRateLimitedOrderSource limited)
            {
                _limited.Add(limited);
            }
        }
    }

    public void Record(StoreOutcome outcome)
    {
        lock (_lock)
        {
            switch (outcome)
            {
                case StoreOutcome.Inserted: _inserted++; break;
                case StoreOutcome.Updated: _updated++; break;
                case StoreOutcome.Unchanged or StoreOutcome.Superseded: _unchanged++; break;
                case StoreOutcome.LeaseLost: break; // another worker holds the reference: its share, counted there
                default: _failed++; break;
            }

            _recent.Enqueue(_time.GetTimestamp());
        }
    }

    public SyncProgress Snapshot()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            while (_recent.Count > 0 && _time.GetElapsedTime(_recent.Peek(), now) > RateWindow)
            {
                _recent.Dequeue();
            }

            var rate = _recent.Count < 2 ? 0 : _recent.Count / Math.Max(_time.GetElapsedTime(_recent.Peek(), now).TotalSeconds, 1e-3);
            var progress = new SyncProgress
            {
                Total = _total,
                AlreadyDone = _alreadyDone,
                DoneElsewhere = _doneElsewhere,
                Inserted = _inserted,
                Updated = _updated,
                Unchanged = _unchanged,
                Failed = _failed,
                RatePerSecond = rate,
            };
            return progress with { EstimatedTimeLeft = EstimateLocked(progress.Remaining, rate) };
        }
    }

    // With a rate limit the pace is known: what the bucket holds goes at once, the rest at the bucket's rate.
    private TimeSpan? EstimateLocked(int remaining, double observedRate)
    {
        if (remaining == 0)
        {
            return TimeSpan.Zero;
        }

        if (_limited.Count > 0)
        {
            var permitsPerSecond = _limited.Sum(s => s.GetOrderRateLimit.PermitsPerSecond);
            var available = _limited.Sum(s => Math.Floor(s.GetOrderRateLimit.AvailablePermits));
            return TimeSpan.FromSeconds(Math.Max(0, remaining - available) / permitsPerSecond);
        }

        return observedRate > 0 ? TimeSpan.FromSeconds(remaining / observedRate) : null;
    }
}
