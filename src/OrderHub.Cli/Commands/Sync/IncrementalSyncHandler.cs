using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;
using OrderHub.Providers;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Sync;

/// <summary>
/// <c>sync --source NAME</c> alone: keep a copy fresh from a cursor (Selling Partner searchOrders or getOrders pages,
/// Outposts ListOrders re-read), once or, with <c>--follow</c>, until Ctrl+C.
/// </summary>
internal sealed class IncrementalSyncHandler
{
    private readonly Option<string?> _since = new("--since") { Description = "Where the first run starts: an ISO 8601 time (2026-11-01T00:00:00Z, or a date) or an age (90m, 36h, 7d). Later runs start from the cursor." };
    private readonly Option<string[]> _marketplaces = new("--marketplace") { Description = "Only orders of this marketplace id (for example ATVPDKIKX0DER); repeat for more. Each set of marketplaces and filters keeps a cursor of its own." };
    private readonly Option<string[]> _statuses = new("--fulfillment-status") { Description = "Only orders in this fulfillment status (PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, UNFULFILLABLE, PENDING_AVAILABILITY); repeat for more." };
    private readonly Option<string[]> _fulfilledBy = new("--fulfilled-by") { Description = "Only orders fulfilled by AMAZON or MERCHANT." };
    private readonly Option<bool> _follow = new("--follow") { Description = "Keep going, polling as often as the page quota allows, until Ctrl+C; killed, the next run resumes where it stopped." };
    private readonly Option<string?> _overlap = new("--overlap") { Description = "How far before the cursor each run starts again, so late updates are read (default 10m). Orders read twice are stored once." };
    private readonly Option<string?> _pollInterval = new("--poll-interval") { Description = "With --follow, the time between polls (default: the page quota's sustained rate, 180 s for searchOrders)." };
    private readonly Option<int?> _pageSize = new("--page-size") { Description = "Orders per page, 1 to 100 (default 100)." };
    private readonly Option<bool> _reset = new("--reset") { Description = "Forget the cursor first and start again from --since." };
    private readonly Option<string?> _notifications = new("--notifications") { Description = "With --follow, also consume the seller's ORDER_CHANGE notifications from this SQS queue URL (set up with 'orderhub notifications setup'): changes arrive within seconds, and the cursor's polls become the backup, every --backup-interval." };
    private readonly Option<string?> _backupInterval = new("--backup-interval") { Description = "With --notifications, the time between the backup polls of the cursor (default 15m)." };

    /// <summary>How often the cursor is polled as the backup of notifications, unless told otherwise.</summary>
    internal static readonly TimeSpan DefaultBackupInterval = TimeSpan.FromMinutes(15);

    /// <summary>Gets <c>--follow</c>.</summary>
    public Option<bool> FollowOption => _follow;

    /// <summary>Gets <c>--reset</c>.</summary>
    public Option<bool> ResetOption => _reset;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _since, _marketplaces, _statuses, _fulfilledBy, _follow, _overlap, _pollInterval, _pageSize, _reset, _notifications, _backupInterval })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(_notifications) is { Implicit: false } && !result.GetValue(_follow))
            {
                result.AddError("--notifications keeps consuming the queue: use it with --follow.");
            }
            else if (result.GetResult(_backupInterval) is { Implicit: false } && result.GetResult(_notifications) is not { Implicit: false })
            {
                result.AddError("--backup-interval sets the polls that back up --notifications: give --notifications <queue-url> too, or --poll-interval alone.");
            }
            else if (result.GetResult(_backupInterval) is { Implicit: false } && result.GetResult(_pollInterval) is { Implicit: false })
            {
                result.AddError("With --notifications the polls are the backup: give --backup-interval or --poll-interval, not both.");
            }
        });
    }

    /// <summary>Names the first of these options given, if any.</summary>
    public string? Given(System.CommandLine.Parsing.CommandResult result)
    {
        foreach (var option in new Option[] { _since, _marketplaces, _statuses, _fulfilledBy, _follow, _overlap, _pollInterval, _pageSize, _reset, _notifications, _backupInterval })
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                return option.Name;
            }
        }

        return null;
    }

    /// <summary>Names the first of the options that choose which orders to read (a start, marketplaces, filters, a page size), if any.</summary>
    public string? GivenSelection(System.CommandLine.Parsing.CommandResult result) =>
        new Option[] { _since, _marketplaces, _statuses, _fulfilledBy, _pageSize }.FirstOrDefault(o => result.GetResult(o) is { Implicit: false })?.Name;

    /// <summary>The request the options make.</summary>
    public IncrementalSyncRequest Request(ParseResult parse, string sourceName, DateTimeOffset now) => new()
    {
        Source = sourceName,
        Since = parse.GetValue(_since) is { } since ? ParseTime(since, now) : null,
        MarketplaceIds = parse.GetValue(_marketplaces) ?? [],
        FulfillmentStatuses = parse.GetValue(_statuses) ?? [],
        FulfilledBy = parse.GetValue(_fulfilledBy) ?? [],
        Overlap = parse.GetValue(_overlap) is { } overlap ? ParseDuration(overlap, "--overlap") : IncrementalSyncRequest.DefaultOverlap,
        PollInterval = parse.GetValue(_pollInterval) is { } poll ? ParseDuration(poll, "--poll-interval")
            : parse.GetValue(_notifications) is null ? null
            : parse.GetValue(_backupInterval) is { } backup ? ParseDuration(backup, "--backup-interval") : DefaultBackupInterval,
        PageSize = parse.GetValue(_pageSize),
        Reset = parse.GetValue(_reset),
    };

    public async Task<int> RunAsync(CliContext cli, ParseResult parse, string sourceName, string? databaseOption, CancellationToken cancel)
    {
        var request = Request(parse, sourceName, TimeProvider.System.GetUtcNow());

        await using var host = cli.Host(parse, (services, settings) => services.AddOrderStore(OrderStoreSetting.Resolve(databaseOption, settings)).AddOrderHubSync());
        var database = OrderStoreSetting.Resolve(databaseOption, host.Configuration);

        // Everything that can be refused is checked before the database is opened (or created).
        var sync = host.Services.GetRequiredService<IncrementalOrderSync>();
        sync.Validate(request);

        var json = parse.GetValue(cli.JsonOption);
        var progress = new PageProgress(json);
        IncrementalSyncProgress result;
        if (parse.GetValue(_notifications) is { } queueUrl)
        {
            result = await NotificationFollow.RunAsync(host, request, queueUrl, progress, json, cancel);
        }
        else if (parse.GetValue(_follow))
        {
            Console.Error.WriteLine($"following {sourceName} ({request.Scope}); Ctrl+C stops after the page being stored.");
            result = await sync.FollowAsync(request, progress, cancel);
        }
        else
        {
            result = await sync.RunAsync(request, progress, cancel);
        }

        Write(result, database, json);
        return result.Failed > 0 ? ExitCodes.SyncHadFailures : ExitCodes.Ok;
    }

    /// <summary>Writes what a run or a follower did: a line, or the JSON summary, on standard output.</summary>
    internal static void Write(IncrementalSyncProgress result, string database, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                source = result.Source,
                scope = result.Scope,
                database = OrderStoreSetting.Display(database),
                pages = result.Pages,
                inserted = result.Inserted,
                updated = result.Updated,
                unchanged = result.Unchanged,
                failed = result.Failed,
                windowRestarts = result.WindowRestarts,
                windowsCompleted = result.WindowsCompleted,
                pagesSkipped = result.PagesSkipped,
                skippedWindows = result.SkippedWindows.Select(w => new { start = w.Start, end = w.End, page = w.Page, recordedAs = w.RecordScope, requestId = w.RequestId }),
                resumed = result.Resumed,
                windowStart = result.WindowStart,
                windowEnd = result.WindowEnd,
                highWaterMark = result.Cursor?.HighWaterMark,
                inProgress = result.Cursor?.InProgress ?? false,
            }));
        }
        else
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Source} ({result.Scope}) into {OrderStoreSetting.Display(database)}: {result.Pages} page(s), {result.Inserted} new, {result.Updated} updated, {result.Unchanged} unchanged{(result.Failed > 0 ? $", {result.Failed} failed" : string.Empty)}{(result.PagesSkipped > 0 ? $", {result.PagesSkipped} unreadable page(s) skipped with the rest of their windows (recorded as {string.Join(", ", result.SkippedWindows.Select(w => $"'{w.RecordScope}'"))})" : string.Empty)}; cursor {Describe(result.Cursor)}."));
        }
    }

    /// <summary>Reads a time: ISO 8601 (UTC unless it says otherwise) or an age before now (90m, 36h, 7d).</summary>
    /// <param name="text">The option's value.</param>
    /// <param name="now">What an age counts back from.</param>
    /// <param name="option">The option named in the error (every command that takes a time or an age reads it here).</param>
    internal static DateTimeOffset ParseTime(string text, DateTimeOffset now, string option = "--since")
    {
        if (TryParseAge(text, out var age))
        {
            return now - age;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InvalidOrderRequestException($"{option} '{text}' is neither an ISO 8601 time (such as 2026-11-01T00:00:00Z or 2026-11-01) nor an age (such as 90m, 36h, 7d or 2y).") { ParameterName = option };
    }

    private static TimeSpan ParseDuration(string text, string option) =>
        TryParseAge(text, out var value) || (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero)
            ? value
            : throw new InvalidOrderRequestException($"{option} '{text}' is not a duration (such as 500ms, 30s, 10m, 2h or 00:10:00).") { ParameterName = option };

    private static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            var ok = double.TryParse(text.AsSpan(0, text.Length - 2), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0;
            age = ok ? TimeSpan.FromMilliseconds(ms) : default;
            return ok;
        }

        if (text.Length < 2 || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
        {
            return false;
        }

        age = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'y' => TimeSpan.FromDays(365 * amount), // two years are the 730 days Selling Partner's regular reports reach back
            _ => TimeSpan.MinValue,
        };
        return age != TimeSpan.MinValue;
    }

    private static string Describe(SyncCursor? cursor) => cursor switch
    {
        null => "none",
        { InProgress: true } => string.Create(CultureInfo.InvariantCulture, $"window {Stamp(cursor.WindowStart)} to {Stamp(cursor.WindowEnd)} unfinished after {cursor.PagesRead} page(s)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"fresh through {Stamp(cursor.CompletedThrough)}, latest update {Stamp(cursor.HighWaterMark)}"),
    };

    internal static string Stamp(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "none";

    /// <summary>
    /// One line per stored page on standard error: what that page added (new, updated, unchanged), the totals so far
    /// when there was more than one page, and the cursor.
    /// </summary>
    internal sealed class PageProgress(bool quiet, TextWriter? output = null) : IProgress<IncrementalSyncProgress>
    {
        private IncrementalSyncProgress? _last;

        public void Report(IncrementalSyncProgress value)
        {
            var before = _last;
            _last = value;
            if (quiet)
            {
                return;
            }

            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"page {value.Pages}: {value.Inserted - (before?.Inserted ?? 0)} new, {value.Updated - (before?.Updated ?? 0)} updated, {value.Unchanged - (before?.Unchanged ?? 0)} unchanged");
            if (value.Pages > 1)
            {
                line += string.Create(CultureInfo.InvariantCulture, $" (so far {value.Inserted} new, {value.Updated} updated, {value.Unchanged} unchanged)");
            }

            (output ?? Console.Error).WriteLine($"{line}; cursor {Describe(value.Cursor)}");
        }
    }
}
