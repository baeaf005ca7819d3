using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;
using OrderHub.Sync;
using Spectre.Console;

namespace OrderHub.Cli.Commands.Sync;

/// <summary><c>sync</c>: keep a local SQLite copy of many orders, as fast as each source allows.</summary>
internal static class SyncCommand
{
    public static Command Create(CliContext cli)
    {
        var ids = new Option<string?>("--ids") { Description = "A file of order ids, one per line ('-' reads standard input)." };
        var source = new Option<string?>("--source") { Description = "The configured source of every id (needed when two sellers recognize the same ids), the source to enumerate with --all, or, alone, the source to keep fresh from its cursor (orders created or updated since the last run)." };
        var all = new Option<bool>("--all") { Description = "Sync every order the source lists (an Outposts source)." };
        var db = new Option<string?>("--db") { Description = OrderStoreSetting.Description };
        var run = new Option<string?>("--run") { Description = "The run's name. By default it is derived from the input, so running the same command again resumes it." };
        var refresh = new Option<bool>("--refresh") { Description = "Read again every order of the run, those already stored included (a run normally fetches only what it has not stored yet)." };
        var incremental = new IncrementalSyncHandler();
        var backfill = new BackfillSyncHandler();
        var command = new Command("sync", "Fetch many orders into a SQLite file or a shared PostgreSQL database; resumable, paced by each source's rate limit; workers with the same run on one PostgreSQL database split it. With --source alone, keep a copy fresh: every order created or updated since the cursor (--since on the first run, or --backfill to read the history in bulk first; --follow to keep going).")
        {
            ids, source, all, db, run, refresh, backfill.Option, backfill.CompleteOption, cli.JsonOption,
        };
        incremental.AddTo(command);
        command.Validators.Add(result =>
        {
            var hasIds = result.GetValue(ids) is not null;
            var hasAll = result.GetValue(all);
            var hasSource = result.GetValue(source) is not null;
            if (hasIds && hasAll)
            {
                result.AddError("Give either --ids <file> (or --ids -), --source <name> --all, or --source <name> alone to keep a copy fresh.");
            }
            else if (!hasIds && !hasAll && !hasSource)
            {
                result.AddError("Give --ids <file> (or --ids -), --source <name> --all, or --source <name> (with --since on the first run) to keep a copy fresh.");
            }
            else if (hasAll && !hasSource)
            {
                result.AddError("--all needs --source <name> (a source that can list its orders).");
            }
            else if ((hasIds || hasAll) && (incremental.Given(result) ?? (result.GetResult(backfill.Option) is { Implicit: false } ? backfill.Option.Name : null)) is { } stray)
            {
                result.AddError($"{stray} keeps a copy fresh from a cursor: use it with --source <name> alone, not with --ids or --all.");
            }
            else if (result.GetValue(backfill.CompleteOption) && result.GetResult(backfill.Option) is not { Implicit: false })
            {
                result.AddError("--complete reads a backfill's partial orders in full: use it with --backfill.");
            }
            else if (result.GetResult(backfill.Option) is { Implicit: false } && incremental.GivenSelection(result) is { } selection)
            {
                result.AddError(selection == "--since"
                    ? "--backfill gives the start itself: leave out --since."
                    : $"--backfill reads the source's exports, which cover the marketplaces it is configured with, whatever the filters: leave out {selection}.");
            }
        });
        command.SetAction((parse, cancel) => CliContext.RunAsync(
            "stopped; what was fetched is stored. Run the same command again to resume the run.",
            async () =>
        {
            if (parse.GetValue(ids) is null && !parse.GetValue(all))
            {
                return parse.GetValue(backfill.Option) is not null
                    ? await backfill.RunAsync(cli, parse, incremental, parse.GetRequiredValue(source)!, parse.GetValue(db), cancel)
                    : await incremental.RunAsync(cli, parse, parse.GetRequiredValue(source)!, parse.GetValue(db), cancel);
            }

            var json = parse.GetValue(cli.JsonOption);
            await using var host = cli.Host(parse, (services, settings) => services.AddOrderStore(OrderStoreSetting.Resolve(parse.GetValue(db), settings)).AddOrderHubSync());
            using var idsFile = parse.GetValue(all) ? null : await OrderIdsFile.OpenAsync(parse.GetRequiredValue(ids)!, cancel);
            var store = host.Services.GetRequiredService<IOrderStore>();
            var runner = new SyncRun(host.Services.GetRequiredService<OrderSync>(), store, Console.Error, json
                ? (sync, runId, cancellationToken) => sync.RunAsync(runId, cancellationToken: cancellationToken)
                : (sync, runId, cancellationToken) => RunWithProgressAsync(sync, runId, cancellationToken));
            var report = idsFile is null
                ? await new EnumerationSyncHandler(host.Lookup, runner, TimeProvider.System).RunAsync(parse.GetRequiredValue(source)!, parse.GetValue(run), parse.GetValue(refresh), cancel)
                : await new IdsSyncHandler(host.Lookup, runner, Console.Error).RunAsync(idsFile, parse.GetValue(source), parse.GetValue(run), parse.GetValue(refresh), cancel);
            Write(report, OrderStoreSetting.Display(OrderStoreSetting.Resolve(parse.GetValue(db), host.Configuration)), json);
            return report.ExitCode;
        }));
        return command;
    }

    /// <summary>Writes what a run did: the unified JSON summary, or a line and one line per failure on standard error.</summary>
    private static void Write(SyncRunReport report, string database, bool json)
    {
        var result = report.Progress;
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                run = report.RunId,
                database,
                total = result.Total,
                alreadyDone = result.AlreadyDone,
                inserted = result.Inserted,
                updated = result.Updated,
                unchanged = result.Unchanged,
                failed = result.Failed,
                skipped = report.Skipped,
                failures = report.Failures.Select(f => new { source = f.Reference.Source, orderId = f.Reference.OrderId, reason = f.Reason, errorKind = f.ErrorKind, attempts = f.Attempts, requestId = f.RequestId, permanent = f.Permanent }),
            }));
            return;
        }

        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "run [bold]{0}[/] into {1}: {2} new, {3} updated, {4} unchanged, {5} failed, {6} already done.",
            Markup.Escape(report.RunId), Markup.Escape(database), result.Inserted, result.Updated, result.Unchanged, result.Failed, result.AlreadyDone);
        foreach (var failure in report.Failures)
        {
            Console.Error.WriteLine($"failed: {failure.Reference}: {failure.Reason} (after {failure.Attempts} attempts, request id {failure.RequestId ?? "none"})");
        }
    }

    /// <summary>Runs a sync under a live progress bar showing the rate and the time left.</summary>
    public static async Task<SyncProgress> RunWithProgressAsync(OrderSync sync, string runId, CancellationToken cancellationToken, string? label = null)
    {
        SyncProgress? final = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context => final = await RunAsTaskAsync(context, sync, runId, label ?? runId, cancellationToken));
        return final!;
    }

    /// <summary>Runs a sync as one bar of a progress display: done of total, failures, rate and time left.</summary>
    public static async Task<SyncProgress> RunAsTaskAsync(ProgressContext context, OrderSync sync, string runId, string label, CancellationToken cancellationToken)
    {
        var task = context.AddTask(Markup.Escape(label), maxValue: 1);
        var progress = new Progress<SyncProgress>(p =>
        {
            task.MaxValue = Math.Max(1, p.Total);
            task.Value = p.AlreadyDone + p.DoneElsewhere + p.Done + p.Failed;
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {p.AlreadyDone + p.DoneElsewhere + p.Done}/{p.Total} ({p.Failed} failed) {p.RatePerSecond:0.0}/s, ETA {p.EstimatedTimeLeft?.ToString(@"mm\:ss", CultureInfo.InvariantCulture) ?? "?"}"));
        });
        var result = await sync.RunAsync(runId, progress: progress, cancellationToken: cancellationToken);
        task.Value = task.MaxValue;
        return result;
    }
}
