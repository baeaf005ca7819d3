using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using Spectre.Console;

namespace OrderHub.Cli.Commands;

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
        var incremental = new IncrementalSyncOptions();
        var command = new Command("sync", "Fetch many orders into a SQLite file or a shared PostgreSQL database; resumable, paced by each source's rate limit; workers with the same run on one PostgreSQL database split it. With --source alone, keep a copy fresh: every order created or updated since the cursor (--since on the first run, --follow to keep going).")
        {
            ids, source, all, db, run, refresh, cli.JsonOption,
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
            else if ((hasIds || hasAll) && incremental.Given(result) is { } stray)
            {
                result.AddError($"{stray} keeps a copy fresh from a cursor: use it with --source <name> alone, not with --ids or --all.");
            }
        });
        command.SetAction((parse, cancel) => CliContext.RunAsync(
            "stopped; what was fetched is stored. Run the same command again to resume the run.",
            async () =>
        {
            if (parse.GetValue(ids) is null && !parse.GetValue(all))
            {
                return await incremental.RunAsync(cli, parse, parse.GetRequiredValue(source)!, parse.GetValue(db), cancel);
            }

            await using var host = cli.Host(parse, (services, settings) => services.AddOrderStore(OrderStoreSetting.Resolve(parse.GetValue(db), settings)).AddOrderHubSync());
            var path = OrderStoreSetting.Display(OrderStoreSetting.Resolve(parse.GetValue(db), host.Configuration));
            var lookup = host.Lookup;
            var sourceName = parse.GetValue(source);
            string runId;
            var unrecognized = 0;
            using var idsFile = parse.GetValue(all) ? null : await OrderIdsFile.OpenAsync(parse.GetRequiredValue(ids)!, cancel);
            var named = sourceName is null ? null : lookup.GetSource(sourceName);

            // Everything that can be refused is checked before the database is opened (or created).
            if (parse.GetValue(all))
            {
                CliContext.RequireCapable<IOrderEnumerator>(lookup, sourceName, "list its orders");
                runId = parse.GetValue(run) ?? $"all-{sourceName}-{TimeProvider.System.GetUtcNow():yyyyMMdd}";
            }
            else
            {
                // One pass over the file, in constant memory, checks every id and names the run after all of them.
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                hash.AppendData(Encoding.UTF8.GetBytes($"{sourceName}\n"));
                var lines = 0;
                await foreach (var id in idsFile!.ReadAsync(cancel))
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(lines++ == 0 ? id : $"\n{id}"));
                    if (Reference(lookup, named, id, out var why) is null)
                    {
                        unrecognized++;
                        Console.Error.WriteLine($"skipped: {why}");
                    }
                }

                if (lines == unrecognized)
                {
                    throw new InvalidOrderRequestException($"No order id to sync: the file held {lines} line(s), none of them an id of a configured source. Nothing was written.");
                }

                runId = parse.GetValue(run) ?? $"ids-{Convert.ToHexStringLower(hash.GetHashAndReset())[..16]}";
            }

            var store = host.Services.GetRequiredService<IOrderStore>();
            var sync = host.Services.GetRequiredService<OrderSync>();
            Task adding;
            try
            {
                if (parse.GetValue(all))
                {
                    await sync.AddEnumerationAsync(runId, sourceName!, cancellationToken: cancel);
                    adding = Task.CompletedTask;
                }
                else
                {
                    // The second pass adds the ids while the run reads them: the first requests go out after the first
                    // batch, not after the whole file.
                    var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    adding = sync.AddReferencesAsync(runId, RecognizedAsync(idsFile!, lookup, named, cancel), new FirstBatch(first), cancel);
                    await Task.WhenAny(first.Task, adding);
                    if (adding.IsCompleted || parse.GetValue(refresh))
                    {
                        await adding;
                    }
                }
            }
            catch
            {
                // Listing failed before anything was stored: a database this command created is not left behind.
                if (store is SqliteOrderStore sqlite)
                {
                    await SqliteOrderStore.DiscardIfNewAndEmptyAsync(sqlite);
                }

                throw;
            }

            if (parse.GetValue(refresh))
            {
                var requeued = await store.RequeueAsync(runId, cancel);
                Console.Error.WriteLine($"refresh: {requeued} order(s) of run {runId} will be read again.");
            }

            SyncProgress? result = null;
            while (true)
            {
                // A run that ends while ids are still being added is followed by one more, once they all are; the
                // invocation reports what all its passes did, not only the last one's.
                var allAdded = adding.IsCompleted;
                var pass = parse.GetValue(cli.JsonOption)
                    ? await sync.RunAsync(runId, cancellationToken: cancel)
                    : await RunWithProgressAsync(sync, runId, cancel);
                result = result is null ? pass : Followed(result, pass);
                await adding;
                if (allAdded)
                {
                    break;
                }
            }

            var failures = await store.GetFailuresAsync(runId, cancel);
            if (parse.GetValue(cli.JsonOption))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    run = runId,
                    database = path,
                    total = result.Total,
                    alreadyDone = result.AlreadyDone,
                    inserted = result.Inserted,
                    updated = result.Updated,
                    unchanged = result.Unchanged,
                    failed = result.Failed,
                    skipped = unrecognized,
                    failures = failures.Select(f => new { source = f.Reference.Source, orderId = f.Reference.OrderId, reason = f.Reason, errorKind = f.ErrorKind, attempts = f.Attempts, requestId = f.RequestId, permanent = f.Permanent }),
                }));
            }
            else
            {
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "run [bold]{0}[/] into {1}: {2} new, {3} updated, {4} unchanged, {5} failed, {6} already done.",
                    Markup.Escape(runId), Markup.Escape(path), result.Inserted, result.Updated, result.Unchanged, result.Failed, result.AlreadyDone);
                foreach (var failure in failures)
                {
                    Console.Error.WriteLine($"failed: {failure.Reference}: {failure.Reason} (after {failure.Attempts} attempts, request id {failure.RequestId ?? "none"})");
                }
            }

            return failures.Count > 0 || unrecognized > 0 ? ExitCodes.SyncHadFailures : ExitCodes.Ok;
        }));
        return command;
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

    // One invocation's outcome over two passes of the same run: what was stored before the first, then what both did.
    private static SyncProgress Followed(SyncProgress first, SyncProgress next) => next with
    {
        AlreadyDone = first.AlreadyDone,
        DoneElsewhere = first.DoneElsewhere + next.DoneElsewhere,
        Inserted = first.Inserted + next.Inserted,
        Updated = first.Updated + next.Updated,
        Unchanged = first.Unchanged + next.Unchanged,
        Failed = first.Failed + next.Failed,
    };

    // The source an id is synced from: the one named, else the one that recognizes it; null (and why) for neither.
    private static OrderReference? Reference(OrderLookup lookup, IOrderSource? named, string id, out string? why)
    {
        try
        {
            // The lookup routes on the format (saying what to configure for an id no source recognizes); a source
            // named for every id checks each one against its own.
            named?.OrderIdFormat.Validate(id, named.Name);
            why = null;
            return new OrderReference((named ?? lookup.ResolveSource(id)).Name, id);
        }
        catch (InvalidOrderRequestException e)
        {
            why = e.Message;
            return null;
        }
    }

    private static async IAsyncEnumerable<OrderReference> RecognizedAsync(OrderIdsFile file, OrderLookup lookup, IOrderSource? named, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var id in file.ReadAsync(cancellationToken))
        {
            if (Reference(lookup, named, id, out _) is { } reference)
            {
                yield return reference;
            }
        }
    }

    /// <summary>Completes when the first batch of references is stored (on the adder's thread, not posted later).</summary>
    private sealed class FirstBatch(TaskCompletionSource stored) : IProgress<int>
    {
        public void Report(int value) => stored.TrySetResult();
    }
}
