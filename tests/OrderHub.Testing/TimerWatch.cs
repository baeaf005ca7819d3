using Microsoft.Extensions.Time.Testing;

namespace OrderHub.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells how many of its timers are armed and when the next is due, so a
/// test can wait until code under test has scheduled its wait (a retry's delay, a poll interval) and move the clock to
/// exactly that moment, never past a wait that is armed.
/// </summary>
public sealed class TimerWatch : TimeProvider
{
    private readonly HashSet<WatchedTimer> _armedTimers = [];
    private int _armed;

    /// <summary>Initializes a new instance of the <see cref="TimerWatch"/> class.</summary>
    /// <param name="clock">The fake clock the timers run on.</param>
    public TimerWatch(FakeTimeProvider clock) => Clock = clock;

    /// <summary>Gets the fake clock; advance it to fire the timers.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Gets how many timers are armed and have not fired (one-shot) or been disposed.</summary>
    public int ArmedTimers => Volatile.Read(ref _armed);

    /// <summary>Gets when the earliest armed timer is due, if any is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_armedTimers)
            {
                return _armedTimers.Count == 0 ? null : _armedTimers.Min(t => t.DueAt);
            }
        }
    }

    /// <summary>
    /// Moves the clock from one armed timer's due time to the next, giving the work each one starts a moment of real
    /// time to run (socket I/O, continuations), until <paramref name="done"/> holds. Real time bounds the whole wait.
    /// </summary>
    /// <param name="done">What is awaited.</param>
    /// <param name="because">What is awaited, in words, for the failure message.</param>
    /// <param name="whileWaiting">Checked at every step (a task that must not end meanwhile, say).</param>
    /// <param name="readyToAdvance">
    /// When given, the clock moves only while it holds: code that arms a long wait first (a deadline) and its next short
    /// one a moment later would otherwise see the clock jump to the long one in between.
    /// </param>
    /// <returns>A task that completes when <paramref name="done"/> holds.</returns>
    public async Task AdvanceUntilAsync(Func<bool> done, string because, Action? whileWaiting = null, Func<bool>? readyToAdvance = null)
    {
        await Eventually.TrueAsync(
            () =>
            {
                if (done())
                {
                    return true;
                }

                whileWaiting?.Invoke();
                if ((readyToAdvance?.Invoke() ?? true) && NextDue is { } due)
                {
                    Clock.Advance(due > Clock.GetUtcNow() ? due - Clock.GetUtcNow() : TimeSpan.Zero);
                }

                return false;
            },
            $"the clock was moved until {because}");
    }

    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    public override long GetTimestamp() => Clock.GetTimestamp();

    public override long TimestampFrequency => Clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var watched = new WatchedTimer(this);
        watched.Inner = Clock.CreateTimer(
            s =>
            {
                watched.Fired(period);
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        watched.Change(dueTime, period);
        return watched;
    }

    private sealed class WatchedTimer(TimerWatch owner) : ITimer
    {
        private readonly Lock _lock = new();
        private bool _armed;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                DueAt = owner.Clock.GetUtcNow() + (dueTime == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : dueTime);
                Arm(dueTime != Timeout.InfiniteTimeSpan);
            }

            return Inner.Change(dueTime, period);
        }

        public void Fired(TimeSpan period)
        {
            lock (_lock)
            {
                if (period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero)
                {
                    Arm(false);
                }
                else
                {
                    DueAt = owner.Clock.GetUtcNow() + period;
                }
            }
        }

        public void Dispose()
        {
            lock (_lock)
            {
                Arm(false);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Arm(bool armed)
        {
            if (armed != _armed)
            {
                _armed = armed;
                Interlocked.Add(ref owner._armed, armed ? 1 : -1);
            }

            lock (owner._armedTimers)
            {
                if (armed)
                {
                    owner._armedTimers.Add(this);
                }
                else
                {
                    owner._armedTimers.Remove(this);
                }
            }
        }
    }
}
