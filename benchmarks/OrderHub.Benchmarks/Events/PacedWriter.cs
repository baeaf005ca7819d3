using System.Diagnostics;
using OrderHub.Sync;

namespace OrderHub.Benchmarks.Events;

/// <summary>
/// Stores orders at a steady pace through the path a sync commits by: the orders are a run's references
/// (<see cref="IOrderStore.AddToRunAsync"/>), taken from <see cref="IOrderStore.GetPendingAsync"/> as they are due (so
/// the PostgreSQL store leases them as for a worker) and committed with <see cref="IOrderStore.CommitAsync"/>. Each
/// commit holds what is due when it starts, up to the sync's batch: one order at a time on schedule, a larger
/// transaction when behind, as <see cref="OrderSync"/>'s writer does.
/// </summary>
internal static class PacedWriter
{
    private static readonly int MaxBatch = new OrderSyncOptions().BatchSize;

    /// <summary>Commits the orders, <paramref name="perSecond"/> of them a second, until all are stored or <paramref name="limit"/> has passed.</summary>
    public static async Task<WriteRun> WriteAsync(IOrderStore store, string runId, IReadOnlyList<Order> orders, double perSecond, TimeSpan limit)
    {
        var byReference = orders.ToDictionary(o => new OrderReference(o.Source, o.OrderId));
        await store.AddToRunAsync(runId, byReference.Keys);
        var committedAt = new Dictionary<string, long>(orders.Count);
        var batch = new List<SyncResult>(MaxBatch);
        var taken = 0;
        var commits = 0;
        var notLogged = 0;
        long inCommits = 0;
        long inPending = 0;
        await using var pending = store.GetPendingAsync(runId).GetAsyncEnumerator();
        var start = Stopwatch.GetTimestamp();
        var end = start;
        while (taken < orders.Count)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed >= limit)
            {
                break;
            }

            var due = Math.Min(orders.Count, (long)(elapsed.TotalSeconds * perSecond) + 1);
            if (due <= taken)
            {
                var wait = TimeSpan.FromSeconds(taken / perSecond) - elapsed;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(wait.TotalMilliseconds))));
                continue;
            }

            var taking = Stopwatch.GetTimestamp();
            while (batch.Count < Math.Min(due - taken, MaxBatch) && await pending.MoveNextAsync())
            {
                batch.Add(new SyncResult { Reference = pending.Current, Order = byReference[pending.Current] });
            }

            var committing = Stopwatch.GetTimestamp();
            inPending += committing - taking;

            if (batch.Count == 0)
            {
                throw new InvalidOperationException($"The run '{runId}' has no pending reference left after {taken} of {orders.Count}.");
            }

            var outcomes = await store.CommitAsync(runId, batch);
            end = Stopwatch.GetTimestamp();
            inCommits += end - committing;
            commits++;
            taken += batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                // Only a new or changed order makes a change log entry; anything else would never be delivered.
                if (outcomes[i] is StoreOutcome.Inserted or StoreOutcome.Updated)
                {
                    committedAt[batch[i].Reference.OrderId] = end;
                }
                else
                {
                    notLogged++;
                }
            }

            batch.Clear();
        }

        return new WriteRun(perSecond, committedAt, start, end, commits, notLogged)
        {
            CommitSeconds = (double)inCommits / Stopwatch.Frequency,
            PendingSeconds = (double)inPending / Stopwatch.Frequency,
        };
    }
}

/// <summary>What a <see cref="PacedWriter"/> run stored.</summary>
/// <param name="Offered">The pace asked, in orders a second.</param>
/// <param name="CommittedAt">When each stored order's commit returned (a <see cref="Stopwatch"/> timestamp), by order id.</param>
/// <param name="Start">When the run started.</param>
/// <param name="End">When its last commit returned.</param>
/// <param name="Commits">How many transactions it took.</param>
/// <param name="NotLogged">Orders the store did not insert or update (so no change was logged); 0 expected.</param>
internal sealed record WriteRun(double Offered, IReadOnlyDictionary<string, long> CommittedAt, long Start, long End, int Commits, int NotLogged)
{
    public int Count => CommittedAt.Count;

    /// <summary>Gets the time spent inside <see cref="IOrderStore.CommitAsync"/>, all commits together.</summary>
    public double CommitSeconds { get; init; }

    /// <summary>Gets the time spent taking the next references from <see cref="IOrderStore.GetPendingAsync"/> (leasing them, in PostgreSQL).</summary>
    public double PendingSeconds { get; init; }

    /// <summary>Gets the share of the run the writer spent in the store (commits and pending references): near 1, the store is what bounds the pace.</summary>
    public double Busy => (CommitSeconds + PendingSeconds) / Seconds;

    public double CommitMilliseconds => CommitSeconds * 1000 / Commits;

    public double OrdersPerCommit => (double)Count / Commits;

    public double Seconds => Stopwatch.GetElapsedTime(Start, End).TotalSeconds;

    /// <summary>Gets the rate actually stored: orders over the time from the start to the last commit.</summary>
    public double Rate => Count / Seconds;
}
