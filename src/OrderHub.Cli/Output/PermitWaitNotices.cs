using System.Collections.Concurrent;
using OrderHub.Diagnostics;

namespace OrderHub.Cli.Output;

/// <summary>
/// Says on standard error what a command waits for when a rate-limit permit is a couple of seconds or more away
/// (<c>waiting for sp-eu searchOrders permit, about 2 m 50 s</c>), so that a long wait is never a blank screen: once per
/// source and operation every few seconds at most, since parallel readers would repeat it.
/// </summary>
internal static class PermitWaitNotices
{
    private static readonly TimeSpan Noticeable = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Repeat = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<(string Source, string Operation), long> LastSaid = new();

    private static int _subscribed;

    /// <summary>Starts saying the waits, once per process.</summary>
    public static void Subscribe()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            OrderHubDiagnostics.PermitWaiting += (_, wait) => Say(wait, Console.Error);
        }
    }

    internal static bool Say(PermitWaitEventArgs wait, TextWriter output)
    {
        if (wait.ExpectedWait < Noticeable)
        {
            return false;
        }

        var now = TimeProvider.System.GetTimestamp();
        var key = (wait.SourceName, wait.Operation);
        var said = false;
        LastSaid.AddOrUpdate(
            key,
            _ =>
            {
                said = true;
                return now;
            },
            (_, last) =>
            {
                if (TimeProvider.System.GetElapsedTime(last, now) < Repeat)
                {
                    return last;
                }

                said = true;
                return now;
            });
        if (said)
        {
            output.WriteLine(wait.ToString() + "...");
        }

        return said;
    }
}
