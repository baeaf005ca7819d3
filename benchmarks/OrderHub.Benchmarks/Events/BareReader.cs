using System.Collections.Concurrent;
using System.Diagnostics;
using OrderHub.Sync;

namespace OrderHub.Benchmarks.Events;

/// <summary>
/// The baseline: a reader of the same change log in the same process, with nothing after it
/// (<see cref="OrderChangeLogExtensions.FollowAsync"/>, pages of 100 as the deliverer reads), noting when each entry is
/// seen: the log's own wake-up and read, without signing, HTTP or a stored position.
/// </summary>
internal sealed class BareReader : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, long> _seenAt = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _following;

    private BareReader(IOrderChangeLog log) => _following = Task.Run(() => FollowAsync(log, _stop.Token));

    /// <summary>Gets how many entries it has seen.</summary>
    public int Count => _seenAt.Count;

    /// <summary>Gets when each entry was seen (a <see cref="Stopwatch"/> timestamp), by order id.</summary>
    public IReadOnlyDictionary<string, long> SeenAt => _seenAt;

    /// <summary>Starts following the log from the oldest entry it keeps.</summary>
    public static BareReader Start(IOrderChangeLog log) => new(log);

    private async Task FollowAsync(IOrderChangeLog log, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in log.FollowAsync(null, 100, cancellationToken))
            {
                var at = Stopwatch.GetTimestamp();
                foreach (var change in page.Changes)
                {
                    _seenAt.TryAdd(change.Reference.OrderId, at);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _following;
        _stop.Dispose();
    }
}
