using System.Diagnostics;

namespace OrderHub.Benchmarks.Events;

/// <summary>How a follower of the change log (the webhook deliverer, or the bare reader) kept up with a paced writer.</summary>
/// <param name="RateDuringWrites">Changes it received while the writer ran, per second of the writer's run.</param>
/// <param name="BacklogAtEnd">Changes committed but not yet received when the last commit returned.</param>
/// <param name="DrainSeconds">From the last commit to the last change received.</param>
/// <param name="Missing">Changes committed and never received before the wait gave up.</param>
/// <param name="Lag">Received minus committed, each change.</param>
/// <param name="LagOfLastSecond">The same, for the changes of the writer's last second only: a lag that grows shows here.</param>
internal sealed record FollowerThroughput(double RateDuringWrites, int BacklogAtEnd, double DrainSeconds, int Missing, Lags Lag, Lags LagOfLastSecond)
{
    /// <summary>Whether it received at a pace (the rate stored): 98 % of it or more while the writer ran.</summary>
    public bool KeptUp(double perSecond) => RateDuringWrites >= 0.98 * perSecond;

    public static FollowerThroughput Of(WriteRun run, IReadOnlyDictionary<string, long> receivedAt)
    {
        var lags = new List<double>(run.Count);
        var lastSecond = new List<double>();
        var lastSecondFrom = run.End - Stopwatch.Frequency;
        var byEnd = 0;
        var missing = 0;
        var last = run.End;
        foreach (var (order, committed) in run.CommittedAt)
        {
            if (!receivedAt.TryGetValue(order, out var received))
            {
                missing++;
                continue;
            }

            var lag = Lags.Between(committed, received);
            lags.Add(lag);
            if (committed >= lastSecondFrom)
            {
                lastSecond.Add(lag);
            }

            byEnd += received <= run.End ? 1 : 0;
            last = Math.Max(last, received);
        }

        return new FollowerThroughput(byEnd / run.Seconds, run.Count - byEnd, Stopwatch.GetElapsedTime(run.End, last).TotalSeconds, missing, Lags.Of(lags), Lags.Of(lastSecond));
    }
}
