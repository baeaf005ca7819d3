using OrderHub.Storage.Sqlite;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Sync;

/// <summary>What <c>sync --ids</c> or <c>sync --all</c> did: the run, what its passes stored, what failed, the lines skipped.</summary>
internal sealed record SyncRunReport(string RunId, SyncProgress Progress, IReadOnlyList<SyncFailure> Failures, int Skipped)
{
    /// <summary>Gets the exit code: 9 when an order failed or a line was not an id of a configured source.</summary>
    public int ExitCode => Failures.Count > 0 || Skipped > 0 ? Output.ExitCodes.SyncHadFailures : Output.ExitCodes.Ok;
}

/// <summary>
/// The part of <c>sync --ids</c> and <c>sync --all</c> that is the same: add the run's orders, read them again with
/// <c>--refresh</c>, run passes until every order added is done, and collect the failures.
/// </summary>
/// <param name="sync">The sync.</param>
/// <param name="store">Its store.</param>
/// <param name="log">Where notes for people go (standard error).</param>
/// <param name="pass">Runs one pass of a run (under a progress bar, or silently for <c>--json</c>).</param>
internal sealed class SyncRun(OrderSync sync, IOrderStore store, TextWriter log, Func<OrderSync, string, CancellationToken, Task<SyncProgress>> pass)
{
    public OrderSync Sync => sync;

    /// <summary>Adds the run's orders, then runs it.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="add">Adds the orders; returns what is still adding (the ids of a file are added while the run reads them).</param>
    /// <param name="refresh">Whether to read again what the run already stored.</param>
    /// <param name="skipped">The lines skipped before, for the report.</param>
    /// <param name="cancellationToken">Stops the run; what was stored stays.</param>
    public async Task<SyncRunReport> RunAsync(string runId, Func<CancellationToken, Task<Task>> add, bool refresh, int skipped, CancellationToken cancellationToken)
    {
        Task adding;
        try
        {
            adding = await add(cancellationToken);
        }
        catch
        {
            // Adding failed before anything was stored: a database this command created is not left behind.
            if (store is SqliteOrderStore sqlite)
            {
                await SqliteOrderStore.DiscardIfNewAndEmptyAsync(sqlite);
            }

            throw;
        }

        if (refresh)
        {
            var requeued = await store.RequeueAsync(runId, cancellationToken);
            await log.WriteLineAsync($"refresh: {requeued} order(s) of run {runId} will be read again.");
        }

        SyncProgress? result = null;
        while (true)
        {
            // A run that ends while ids are still being added is followed by one more, once they all are; the
            // invocation reports what all its passes did, not only the last one's.
            var allAdded = adding.IsCompleted;
            var next = await pass(sync, runId, cancellationToken);
            result = result is null ? next : Followed(result, next);
            await adding;
            if (allAdded)
            {
                break;
            }
        }

        return new SyncRunReport(runId, result, await store.GetFailuresAsync(runId, cancellationToken), skipped);
    }

    // One invocation's outcome over two passes of the same run: what was stored before the first, then what both did.
    internal static SyncProgress Followed(SyncProgress first, SyncProgress next) => next with
    {
        AlreadyDone = first.AlreadyDone,
        DoneElsewhere = first.DoneElsewhere + next.DoneElsewhere,
        Inserted = first.Inserted + next.Inserted,
        Updated = first.Updated + next.Updated,
        Unchanged = first.Unchanged + next.Unchanged,
        Failed = first.Failed + next.Failed,
    };
}
