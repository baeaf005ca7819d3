using System.Globalization;

namespace OrderHub.Cli.Commands.Sync;

/// <summary><c>sync --source NAME --all</c>: every order a source lists, as one run.</summary>
/// <param name="lookup">The sources.</param>
/// <param name="run">Adds and runs.</param>
/// <param name="timeProvider">The clock the default run name is dated by.</param>
internal sealed class EnumerationSyncHandler(OrderLookup lookup, SyncRun run, TimeProvider timeProvider)
{
    /// <summary>Lists the source's orders into the run, then runs it.</summary>
    /// <param name="sourceName">The source (one that can list its orders).</param>
    /// <param name="runName">The run's name; by default <c>all-&lt;source&gt;-&lt;date&gt;</c>, so the same command the same day resumes it.</param>
    /// <param name="refresh">Whether to read again what the run already stored.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public Task<SyncRunReport> RunAsync(string sourceName, string? runName, bool refresh, CancellationToken cancellationToken)
    {
        // Refused before the database is opened (or created).
        CliContext.RequireCapable<IOrderEnumerator>(lookup, sourceName, "list its orders");
        var runId = runName ?? string.Create(CultureInfo.InvariantCulture, $"all-{sourceName}-{timeProvider.GetUtcNow():yyyyMMdd}");
        return run.RunAsync(
            runId,
            async cancel =>
            {
                await run.Sync.AddEnumerationAsync(runId, sourceName, cancellationToken: cancel);
                return Task.CompletedTask;
            },
            refresh,
            skipped: 0,
            cancellationToken);
    }
}
