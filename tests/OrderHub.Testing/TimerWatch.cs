using Microsoft.Extensions.Time.Testing;

namespace OrderHub.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells how many of its timers are armed, so a test can wait until code
/// under test has scheduled its wait (a retry's delay) before it advances the clock past it.
/// </summary>
public sealed class TimerWatch : TimeProvider
{
    private int _armed;

    /// <summary>Initializes a new instance of the <see cref="TimerWatch"/> class.</summary>
    /// <param name="clock">The fake clock the timers run on.</param>
    public TimerWatch(FakeTimeProvider clock) => Clock = clock;

    /// <summary>Gets the fake clock; advance it to fire the timers.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Gets how many timers are armed and have not fired (one-shot) or been disposed.</summary>
    public int ArmedTimers => Volatile.Read(ref _armed);

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

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
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
        }
    }
}
