using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Sync;

/// <summary>
/// <c>sync --source NAME --backfill START</c>: a source's history read in bulk through its exports (Selling Partner's
/// order reports), resumable, into the cursor the incremental sync then goes on from (with <c>--follow</c>, at once).
/// </summary>
internal sealed class BackfillSyncHandler
{
    private readonly Option<string?> _backfill = new("--backfill") { Description = "Read the source's history in bulk through its exports (Selling Partner's order reports), from an age (90d, 2y) or a date (2025-01-01): windows of up to 30 days, resumable when run again. Afterwards the same cursor goes on with the orders updated since (--follow keeps going at once)." };

    private readonly Option<bool> _complete = new("--complete") { Description = "Then read every partial order (a report's row) again in full through getOrder, newest first, within getOrder's own quota (1,800 an hour at Amazon's plan): beside --follow, which spends searchOrders'. Resumable: run again, it reads only what is still partial." };

    /// <summary>Gets <c>--backfill</c>.</summary>
    public Option<string?> Option => _backfill;

    /// <summary>Gets <c>--complete</c>.</summary>
    public Option<bool> CompleteOption => _complete;

    public async Task<int> RunAsync(CliContext cli, ParseResult parse, IncrementalSyncHandler incremental, string sourceName, string? databaseOption, CancellationToken cancel)
    {
        var now = TimeProvider.System.GetUtcNow();
        var request = new OrderBackfillRequest
        {
            Source = sourceName,
            Start = IncrementalSyncHandler.ParseTime(parse.GetRequiredValue(_backfill)!, now, "--backfill"),
            Reset = parse.GetValue(incremental.ResetOption),
        };

        // The follower goes on from the backfill's marks: no start, no reset of its own.
        var follow = parse.GetValue(incremental.FollowOption) ? incremental.Request(parse, sourceName, now) with { Since = null, Reset = false } : null;

        await using var host = cli.Host(parse, (services, settings) => services.AddOrderStore(OrderStoreSetting.Resolve(databaseOption, settings)).AddOrderHubSync());
        var database = OrderStoreSetting.Resolve(databaseOption, host.Configuration);

        // Everything that can be refused is checked before the database is opened (or created).
        var backfill = host.Services.GetRequiredService<OrderBackfill>();
        backfill.Validate(request);
        var sync = host.Services.GetRequiredService<IncrementalOrderSync>();
        if (follow is not null)
        {
            sync.Validate(follow);
        }

        var json = parse.GetValue(cli.JsonOption);
        var result = await backfill.RunAsync(request, new WindowProgress(Console.Error), cancel);
        Write(result, OrderStoreSetting.Display(database), json);
        var exitCode = result.WindowsSkipped > 0 ? ExitCodes.SyncHadFailures : ExitCodes.Ok;

        // The partial orders are read in full on getOrder's quota, beside the follower on searchOrders': neither waits for the other.
        var completing = parse.GetValue(_complete) ? CompleteAsync(host.Services.GetRequiredService<OrderCompletion>(), sourceName, cancel) : Task.FromResult(ExitCodes.Ok);
        if (follow is null)
        {
            var completed = await completing;
            return exitCode != ExitCodes.Ok ? exitCode : completed;
        }

        Console.Error.WriteLine($"following {sourceName} ({follow.Scope}) from where the backfill ends; Ctrl+C stops after the page being stored.");
        var followed = await sync.FollowAsync(follow, new IncrementalSyncHandler.PageProgress(json), cancel);
        IncrementalSyncHandler.Write(followed, database, json);
        var completedBesideFollower = await completing;
        return followed.Failed > 0 || completedBesideFollower != ExitCodes.Ok ? ExitCodes.SyncHadFailures : exitCode;
    }

    // One line when it starts, one per batch stored and one at the end, on standard error; exit code 9 when some failed.
    private static async Task<int> CompleteAsync(OrderCompletion completion, string sourceName, CancellationToken cancel)
    {
        var progress = new CompletionProgress(Console.Error, sourceName);
        try
        {
            var done = await completion.RunAsync(sourceName, progress, cancel);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"completed {sourceName}: {done.AlreadyDone + done.Done + done.DoneElsewhere} of {done.Total} partial order(s) read in full, {done.Failed} failed (run again to retry them)."));
            return done.Failed > 0 ? ExitCodes.SyncHadFailures : ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    /// <summary>The completion's lines: how many partial orders have been read in full, of how many.</summary>
    private sealed class CompletionProgress(TextWriter output, string source) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"completing {source}: {value.AlreadyDone + value.Done + value.DoneElsewhere} of {value.Total} partial order(s) read in full{(value.Failed > 0 ? $", {value.Failed} failed" : string.Empty)}{(value.EstimatedTimeLeft is { } left ? $", about {left:hh\\:mm\\:ss} left" : string.Empty)}"));
    }

    /// <summary>Writes what the backfill did: a line (and one per skipped window on standard error), or the JSON summary.</summary>
    internal static void Write(OrderBackfillProgress result, string database, bool json, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var plan = result.Cursor?.Backfill;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                source = result.Source,
                scope = result.Scope,
                database,
                start = plan?.Start,
                end = plan?.End,
                windows = result.Windows,
                windowsStored = result.WindowsStored,
                windowsEmpty = result.WindowsEmpty,
                windowsSkipped = result.WindowsSkipped,
                jobsRequested = result.JobsRequested,
                exportsReused = result.ExportsReused,
                jobsFailed = result.JobsFailed,
                inserted = result.Inserted,
                updated = result.Updated,
                unchanged = result.Unchanged,
                resumed = result.Resumed,
                finished = result.Finished,
                completedThrough = result.Cursor?.CompletedThrough,
                skippedWindows = result.SkippedWindows.Select(w => new { start = w.Start, end = w.End, attempts = w.FailedAttempts, reason = w.Reason }),
            }));
            return;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{result.Source} ({result.Scope}) into {database}: backfill from {IncrementalSyncHandler.Stamp(plan?.Start)} to {IncrementalSyncHandler.Stamp(plan?.End)} in {result.Windows} window(s), {result.WindowsStored} stored, {result.WindowsEmpty} empty, {result.WindowsSkipped} skipped; {result.JobsRequested} export(s) asked for, {result.ExportsReused} reused, {result.JobsFailed} failed; {result.Inserted} new, {result.Updated} updated, {result.Unchanged} unchanged; the copy is complete through {IncrementalSyncHandler.Stamp(result.Cursor?.CompletedThrough)}."));
        foreach (var skipped in result.SkippedWindows)
        {
            error.WriteLine($"skipped: window {skipped.Window}: {skipped.Reason} (run the same command again to ask for it again)");
        }
    }

    /// <summary>
    /// One line per change of a window on standard error: asked for, the export's state, its orders as they are
    /// stored, stored, empty, failed (and when it is asked for again) or skipped, with the windows finished so far.
    /// </summary>
    internal sealed class WindowProgress(TextWriter output) : IProgress<OrderBackfillProgress>
    {
        private readonly Dictionary<DateTimeOffset, (OrderBackfillWindowStatus, string?, int)> _seen = [];
        private bool _started;

        public void Report(OrderBackfillProgress value)
        {
            if (!_started)
            {
                _started = true;
                var plan = value.Cursor?.Backfill;
                output.WriteLine($"backfill of {value.Source} ({value.Scope}) from {IncrementalSyncHandler.Stamp(plan?.Start)} to {IncrementalSyncHandler.Stamp(plan?.End)}: {value.Windows} window(s){(value.Resumed ? $", resumed with {value.WindowsFinished} finished" : string.Empty)}; Ctrl+C stops after the batch being stored.");
            }

            if (value.Window is not { } window)
            {
                return;
            }

            var state = (window.Status, window.RawState, window.OrdersStored);
            if (_seen.TryGetValue(window.Start, out var last) && last == state)
            {
                return;
            }

            _seen[window.Start] = state;
            var what = window.Status switch
            {
                OrderBackfillWindowStatus.InFlight => $"{window.RawState ?? "asked for"} (job {window.JobId})",
                OrderBackfillWindowStatus.Ready when window.OrdersStored == 0 => $"{window.RawState ?? "done"}, reading its export (job {window.JobId}{(window.Reused ? ", an earlier export reused" : string.Empty)})",
                OrderBackfillWindowStatus.Ready => string.Create(CultureInfo.InvariantCulture, $"{window.OrdersStored} orders stored so far"),
                OrderBackfillWindowStatus.Done => string.Create(CultureInfo.InvariantCulture, $"stored, {window.OrdersStored} orders"),
                OrderBackfillWindowStatus.Empty => $"empty ({window.RawState ?? "no orders"})",
                OrderBackfillWindowStatus.Skipped => $"skipped: {window.Reason}",
                _ when window.FailedAttempts > 0 => string.Create(CultureInfo.InvariantCulture, $"failed: {window.Reason}; asked for again at {IncrementalSyncHandler.Stamp(window.NotBefore)}"),
                _ => $"waiting until {IncrementalSyncHandler.Stamp(window.NotBefore)}",
            };
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"window {window.Window}: {what} [{value.WindowsFinished}/{value.Windows} finished; {value.Inserted} new, {value.Updated} updated, {value.Unchanged} unchanged]"));
        }
    }
}
