using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Providers;

namespace OrderHub.Sync;

/// <summary>
/// Keeps a local copy fresh without knowing order ids: reads every order created or updated since the cursor, page by
/// page at the page quota's pace, and stores each page with the cursor after it in one transaction. A source whose
/// pages carry whole orders (<see cref="IOrderChangeFeed"/>: Selling Partner <c>searchOrders</c>, <c>getOrders</c>)
/// spends no getOrder; a source that only lists summaries (<see cref="IOrderEnumerator"/>: Outposts ListOrders, whose
/// orders have no update time) has every listed order read again each run, and the changes counted.
/// </summary>
public sealed partial class IncrementalOrderSync
{
    private const int MaxWindowRestarts = 3;
    private static readonly TimeSpan DefaultListingPollInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinimumListingPollInterval = TimeSpan.FromMinutes(1);

    private readonly OrderLookup _lookup;
    private readonly ISyncCursorStore _cursors;
    private readonly OrderSync _orderSync;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="IncrementalOrderSync"/> class.</summary>
    /// <param name="lookup">The sources.</param>
    /// <param name="cursors">
    /// Where the cursors are kept, and a change feed's pages with them: as a rule the store <paramref name="orderSync"/>
    /// writes to (the SQLite and PostgreSQL stores are both).
    /// </param>
    /// <param name="orderSync">The sync that reads listed orders one by one (sources without a change feed), into its store.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where windows, restarts and pages are logged (counts and times, never order content).</param>
    public IncrementalOrderSync(OrderLookup lookup, ISyncCursorStore cursors, OrderSync orderSync, TimeProvider? timeProvider = null, ILogger<IncrementalOrderSync>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(cursors);
        ArgumentNullException.ThrowIfNull(orderSync);
        _lookup = lookup;
        _cursors = cursors;
        _orderSync = orderSync;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Checks a request as a run or a follower does before it reads anything, without the cursor store (nothing is opened
    /// or created): the source exists and can be followed, takes the marketplaces and filters given, would serve the
    /// start given (<see cref="IncrementalSyncRequest.Since"/>, whether or not a cursor is stored), and polls no faster
    /// than its page quota allows (<see cref="IncrementalSyncRequest.PollInterval"/>, when given). Only what needs the
    /// cursor is left to the run: a first run without a start is refused when it finds no cursor.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <exception cref="InvalidOrderRequestException">The request would be refused; the message says what is allowed.</exception>
    public void Validate(IncrementalSyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(_lookup.GetSource(request.Source), request);
    }

    private void Validate(IOrderSource source, IncrementalSyncRequest request)
    {
        switch (source)
        {
            case IOrderChangeFeed feed:
                // The query of the first page, as the upstream would check it; later windows start later, never earlier.
                var now = _timeProvider.GetUtcNow();
                OrderChangeQueryRules.Validate(
                    new OrderChangeQuery
                    {
                        After = request.Since ?? now - feed.ChangeFeedRules.SettleDelay,
                        MarketplaceIds = request.MarketplaceIds,
                        FulfillmentStatuses = request.FulfillmentStatuses,
                        FulfilledBy = request.FulfilledBy,
                        PageSize = request.PageSize,
                    },
                    feed.ChangeFeedRules,
                    now,
                    feed.Name);
                break;
            case IOrderEnumerator when request.MarketplaceIds.Count > 0 || request.FulfillmentStatuses.Count > 0 || request.FulfilledBy.Count > 0:
                throw new InvalidOrderRequestException(
                    $"The source '{source.Name}' lists all its orders: it has no marketplaces or fulfillment filters. Leave out --marketplace and the filters.",
                    new OrderErrorContext(source.Name));
            case IOrderEnumerator:
                break;
            default:
                throw new InvalidOrderRequestException(
                    $"The source '{source.Name}' can neither list changed orders nor list its orders, so it cannot be followed; sync it by ids instead.",
                    new OrderErrorContext(source.Name));
        }

        if (request.PollInterval is not null)
        {
            _ = PollInterval(source, request);
        }
    }

    /// <summary>
    /// Reads one window: from the cursor (or <see cref="IncrementalSyncRequest.Since"/> on the first run) to the
    /// settled present, or finishes the window an earlier run left unfinished.
    /// </summary>
    /// <param name="request">The source, the start of the first run, the marketplaces and filters.</param>
    /// <param name="progress">Receives progress after every page.</param>
    /// <param name="cancellationToken">Stops after the page being stored; a later run resumes from there.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="InvalidOrderRequestException">The source cannot be followed, a first run has no start, or the upstream would refuse the query; nothing was sent.</exception>
    /// <exception cref="SyncCursorHeldException">Another reader holds this cursor; nothing was read.</exception>
    public async Task<IncrementalSyncProgress> RunAsync(IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cursors = _cursors;
        var source = _lookup.GetSource(request.Source);
        Validate(source, request);

        // One reader per cursor: a second one (another process, another machine on a shared database) would read the
        // same pages and spend the same quota.
        var hold = await cursors.TryHoldCursorAsync(source.Name, request.Scope, cancellationToken).ConfigureAwait(false)
            ?? throw new SyncCursorHeldException(source.Name, request.Scope);
        await using (hold.ConfigureAwait(false))
        {
            return await RunHeldAsync(source, cursors, request, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    // Reads one window of a cursor the caller holds.
    private async Task<IncrementalSyncProgress> RunHeldAsync(IOrderSource source, ISyncCursorStore cursors, IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress, CancellationToken cancellationToken)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.window", System.Diagnostics.ActivityKind.Internal);
        activity?.SetTag("orderhub.source", source.Name);
        activity?.SetTag("orderhub.sync.scope", request.Scope);
        try
        {
            var result = await RunWindowAsync(source, cursors, request, progress, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("orderhub.sync.pages", result.Pages);
            activity?.SetTag("orderhub.sync.inserted", result.Inserted);
            activity?.SetTag("orderhub.sync.updated", result.Updated);
            activity?.SetTag("orderhub.sync.unchanged", result.Unchanged);
            LogWindowEnded(_logger, source.Name, request.Scope, result.Pages, result.Inserted, result.Updated, result.Unchanged);
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async Task<IncrementalSyncProgress> RunWindowAsync(IOrderSource source, ISyncCursorStore cursors, IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress, CancellationToken cancellationToken)
    {
        if (request.Reset)
        {
            await cursors.DeleteCursorAsync(source.Name, request.Scope, cancellationToken).ConfigureAwait(false);
        }

        // Validate let through only a source that is one or the other.
        return source is IOrderChangeFeed feed
            ? await ReadFeedAsync(feed, cursors, request, progress, cancellationToken).ConfigureAwait(false)
            : await ReadListingAsync((IOrderEnumerator)source, cursors, request, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps reading windows until cancelled: one window, then a pause of <see cref="IncrementalSyncRequest.PollInterval"/>
    /// (by default the page quota's sustained rate), then the next. A poll the upstream fails or throttles (after the
    /// source's own retries), or answers with a page it cannot read, is logged and tried again at the next poll; a page
    /// that stays unreadable for <see cref="IncrementalSyncRequest.UnreadablePagePolls"/> polls in a row is skipped with
    /// the rest of its window, which is recorded (<see cref="SkippedWindow"/>). Refused credentials or queries and a
    /// failing store end it. Killed at any moment, it resumes where it stopped.
    /// </summary>
    /// <param name="request">What to follow.</param>
    /// <param name="progress">Receives progress after every page, totalled over the windows.</param>
    /// <param name="cancellationToken">Stops following, after the page being stored.</param>
    /// <returns>The totals, when stopped.</returns>
    public async Task<IncrementalSyncProgress> FollowAsync(IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _lookup.GetSource(request.Source);
        Validate(source, request);
        var interval = PollInterval(source, request);
        var cursors = _cursors;
        IncrementalSyncProgress? totals = null;
        var next = request;
        IAsyncDisposable? hold = null;
        UnreadablePage? unreadable = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = _timeProvider.GetTimestamp();
                var before = totals;

                // The cursor is held for the whole follow, polls and pauses included; a follower that finds it held
                // stands by, and takes over at the first poll after the other lets go (or dies).
                hold ??= await cursors.TryHoldCursorAsync(source.Name, request.Scope, cancellationToken).ConfigureAwait(false);
                if (hold is null)
                {
                    LogStandingBy(_logger, source.Name, request.Scope);
                }
                else
                {
                    try
                    {
                        // What a poll stored before it failed counts in the totals as well.
                        var result = await RunHeldAsync(source, cursors, next, new SynchronousProgress<IncrementalSyncProgress>(p =>
                        {
                            totals = Add(before, p);
                            progress?.Report(totals);
                        }), cancellationToken).ConfigureAwait(false);
                        totals = Add(before, result);

                        // Once a window is read, the cursor exists: later polls start from it.
                        next = request with { Reset = false, Since = null };
                        unreadable = null;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (OrderHubException e) when (e is OrderSourceUnavailableException or OrderSourceThrottledException)
                    {
                        // An outage or a throttle passes: the follower keeps its place (the cursor) and tries at the next poll.
                        // Refused credentials, a refused query or a failing store need fixing and end it.
                        LogPollFailed(_logger, source.Name, request.Scope, e.GetType().Name, e.RequestId);
                        next = next with { Reset = false };
                    }
                    catch (OrderSourceProtocolException e)
                    {
                        // A page the upstream sent cut short or malformed may read well at the next poll. One that fails
                        // the same way poll after poll would block the cursor for good: it is skipped, and recorded.
                        next = next with { Reset = false };
                        var cursor = await cursors.GetCursorAsync(source.Name, request.Scope, CancellationToken.None).ConfigureAwait(false);
                        unreadable = UnreadablePage.After(unreadable, cursor);
                        if (unreadable.Polls < request.UnreadablePagePolls || cursor is not { InProgress: true })
                        {
                            LogPageUnreadable(_logger, source.Name, request.Scope, unreadable.Page, unreadable.Polls, request.UnreadablePagePolls, e.RequestId);
                        }
                        else
                        {
                            var skipped = await SkipWindowAsync(cursors, source.Name, request.Scope, cursor, e).ConfigureAwait(false);
                            var soFar = totals ?? new IncrementalSyncProgress { Source = source.Name, Scope = request.Scope };
                            totals = soFar with { PagesSkipped = soFar.PagesSkipped + 1, SkippedWindows = [.. soFar.SkippedWindows, skipped] };
                            progress?.Report(totals);
                            unreadable = null;
                        }
                    }
                }

                var wait = interval - _timeProvider.GetElapsedTime(started);
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while standing by.
        }
        finally
        {
            if (hold is not null)
            {
                await hold.DisposeAsync().ConfigureAwait(false);
            }
        }

        return totals ?? new IncrementalSyncProgress { Source = source.Name, Scope = request.Scope };
    }

    // The rest of a window whose next page could not be read poll after poll: recorded under a scope of its own (the
    // window as it stood, its bounds, page count and token, so it can be read again), and the cursor moved past it.
    private async Task<SkippedWindow> SkipWindowAsync(ISyncCursorStore cursors, string source, string scope, SyncCursor cursor, OrderSourceProtocolException error)
    {
        var start = cursor.WindowStart!.Value;
        var end = cursor.WindowEnd!.Value;
        var skipped = new SkippedWindow(start, end, cursor.PagesRead + 1, SkippedWindow.ScopeOf(scope, start), error.RequestId, error.Message);
        await cursors.SaveCursorAsync(source, skipped.RecordScope, cursor, CancellationToken.None).ConfigureAwait(false);
        await cursors.SaveCursorAsync(source, scope, new SyncCursor { HighWaterMark = end, CompletedThrough = end, UpdatedAt = _timeProvider.GetUtcNow(), Backfill = cursor.Backfill }, CancellationToken.None).ConfigureAwait(false);
        LogWindowSkipped(_logger, source, scope, skipped.Page, start, end, skipped.RecordScope, error.RequestId, error.Message);
        return skipped;
    }

    // Each poll spends at least one request of the page quota: polling faster than the plan replenishes would spend the
    // burst continuously and leave nothing for catching up. A source that lists summaries reads every order each poll.
    private static TimeSpan PollInterval(IOrderSource source, IncrementalSyncRequest request)
    {
        var (shortest, why) = source is IOrderChangeFeed feed
            ? (TimeSpan.FromMilliseconds(Math.Floor(1000 / feed.ChangeFeedRateLimit.PermitsPerSecond)), "its page quota replenishes one request in that time, and each poll spends at least one; polling faster would spend the burst continuously")
            : (MinimumListingPollInterval, "each poll lists and reads every one of its orders again");
        var interval = request.PollInterval ?? (source is IOrderChangeFeed ? shortest : DefaultListingPollInterval);
        if (interval < shortest)
        {
            throw new InvalidOrderRequestException(
                $"The poll interval of {source.Name} must be at least {Describe(shortest)} (PollInterval, --poll-interval), not {Describe(interval)}: {why}. Leave it out for the default.",
                new OrderErrorContext(source.Name)) { ParameterName = nameof(IncrementalSyncRequest.PollInterval) };
        }

        return interval;

        static string Describe(TimeSpan value) => value.TotalSeconds < 1 ? $"{value.TotalMilliseconds:0} ms" : $"{value.TotalSeconds:0.###} s";
    }

    private async Task<IncrementalSyncProgress> ReadFeedAsync(IOrderChangeFeed feed, ISyncCursorStore cursors, IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var cursor = await cursors.GetCursorAsync(feed.Name, request.Scope, cancellationToken).ConfigureAwait(false);
        var window = PlanWindow(feed, cursor, request);
        if (window.Start >= window.End)
        {
            // Nothing has settled since the last window: not even a request is spent.
            return window.Result;
        }

        LogWindow(_logger, feed.Name, window.Scope, window.Start, window.End, window.Token is null ? "first page" : "saved page token");
        return await ReadWindowAsync(window, cursors, request, progress, cancellationToken).ConfigureAwait(false);
    }

    // Where this run reads: the window an earlier run left unfinished, with the same bounds (its page token belongs to
    // that query), or from the cursor (less the overlap), or the first run's start, to the settled present.
    private FeedWindow PlanWindow(IOrderChangeFeed feed, SyncCursor? cursor, IncrementalSyncRequest request)
    {
        var scope = request.Scope;
        var rules = feed.ChangeFeedRules;
        var now = _timeProvider.GetUtcNow();
        var result = new IncrementalSyncProgress { Source = feed.Name, Scope = scope, Cursor = cursor };
        if (cursor is { InProgress: true })
        {
            var start = cursor.WindowStart!.Value;
            var end = cursor.WindowEnd!.Value;
            var token = cursor.PageToken;
            if (token is not null && cursor.PageTokenIssuedAt is { } issued && now - issued >= rules.PageTokenLifetime)
            {
                LogTokenExpired(_logger, feed.Name, scope, "its age");
                token = null;
                result = result with { WindowRestarts = 1 };
            }

            LogResumed(_logger, feed.Name, scope, start, end, cursor.PagesRead);
            return new FeedWindow(feed, scope, cursor, start, end, token, result with { Resumed = true, WindowStart = start, WindowEnd = end });
        }

        if (NextStart(cursor) is null && cursor?.Backfill is { IsFinished: false } backfill)
        {
            // The backfill sets the marks when its last window is stored; reading from a start of its own meanwhile would
            // make a copy that looks complete through a time the backfill has not reached.
            throw new InvalidOrderRequestException(
                $"The backfill of {feed.Name} ({scope}) is unfinished ({backfill.Windows.Count(w => w.IsFinished)} of {backfill.Windows.Count} windows): the copy is complete through no time yet. Run the backfill again to finish it (orderhub sync --source {feed.Name} --backfill <start>); it resumes where it stopped, and this sync continues from where it ends.",
                new OrderErrorContext(feed.Name));
        }

        if (cursor is not null && request.Since is { } ignored && !request.Reset)
        {
            LogSinceIgnored(_logger, feed.Name, scope, ignored);
        }

        // A first start the upstream would refuse (not yet settled) was refused by Validate; a cursor that has caught up
        // gives an empty window.
        var next = NextStart(cursor) is { } mark
            ? mark - request.Overlap
            : request.Since ?? throw new InvalidOrderRequestException(
                $"No cursor is stored for {feed.Name} ({scope}): the first run needs a start (--since, for example --since 2026-11-01T00:00:00Z). Later runs start from the cursor.",
                new OrderErrorContext(feed.Name)) { ParameterName = nameof(IncrementalSyncRequest.Since) };
        var settled = now - rules.SettleDelay;
        return new FeedWindow(feed, scope, cursor, next, settled, null, result with { WindowStart = next, WindowEnd = settled });
    }

    // The page loop: reads the window's pages from its token, storing each with the cursor after it; a page token the
    // upstream says has expired starts the window again (up to MaxWindowRestarts), never the whole history.
    private async Task<IncrementalSyncProgress> ReadWindowAsync(FeedWindow window, ISyncCursorStore cursors, IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var baseQuery = new OrderChangeQuery
        {
            After = window.Start,
            Before = window.End,
            MarketplaceIds = request.MarketplaceIds,
            FulfillmentStatuses = request.FulfillmentStatuses,
            FulfilledBy = request.FulfilledBy,
            PageSize = request.PageSize,
            IncludePersonalData = request.IncludePersonalData,
        };
        while (true)
        {
            try
            {
                var pages = window.Feed.ReadChangesAsync(baseQuery with { PageToken = window.Token }, cancellationToken).GetAsyncEnumerator(cancellationToken);
                Task<bool>? reading = null;
                try
                {
                    // The next page is read while this one is stored: the upstream and the store work at once.
                    reading = pages.MoveNextAsync().AsTask();
                    while (await reading.ConfigureAwait(false))
                    {
                        var page = pages.Current;
                        reading = page.NextPageToken is null ? null : pages.MoveNextAsync().AsTask();
                        await CommitPageAsync(window, cursors, page, progress).ConfigureAwait(false);
                        if (reading is null)
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    await FinishAsync(reading).ConfigureAwait(false);
                    await pages.DisposeAsync().ConfigureAwait(false);
                }

                return window.Result with { WindowsCompleted = window.Result.WindowsCompleted + 1 };
            }
            catch (OrderSourceProtocolException) when (window.Result.Pages == 0 && !window.IsTheFoundWindow)
            {
                // A window whose first page cannot be read is kept with its bounds, like one stopped after a page: the
                // next poll asks for the same page, so a page that stays unreadable is recognized as the same one.
                await cursors.SaveCursorAsync(window.Feed.Name, window.Scope, window.Unread(_timeProvider.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            catch (OrderPageTokenExpiredException) when (window.Token is not null && window.Result.WindowRestarts < MaxWindowRestarts)
            {
                // The window is read again from its start, not the whole history; what is stored stays (unchanged on re-read).
                LogTokenExpired(_logger, window.Feed.Name, window.Scope, "the upstream");
                window.Token = null;
                window.Result = window.Result with { WindowRestarts = window.Result.WindowRestarts + 1 };
            }
        }
    }

    // The cursor commit: a page's orders and the cursor after it, in one transaction of the store.
    private async Task CommitPageAsync(FeedWindow window, ISyncCursorStore cursors, OrderChangePage page, IProgress<IncrementalSyncProgress>? progress)
    {
        var after = window.After(page, _timeProvider.GetUtcNow());

        // Stored whatever happens to the caller's token: a page read is never read again for nothing.
        var outcomes = await cursors.CommitPageAsync(window.Feed.Name, window.Scope, page.Orders, after, CancellationToken.None).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            SyncTelemetry.Record(window.Feed.Name, outcome);
        }

        window.Result = Count(window.Result, outcomes) with { Pages = window.Result.Pages + 1, Cursor = after };
        window.Token = page.NextPageToken;
        LogPage(_logger, window.Feed.Name, window.PagesRead, page.Orders.Count, page.RequestId);
        progress?.Report(window.Result);
    }

    private async Task<IncrementalSyncProgress> ReadListingAsync(IOrderEnumerator enumerator, ISyncCursorStore cursors, IncrementalSyncRequest request, IProgress<IncrementalSyncProgress>? progress, CancellationToken cancellationToken)
    {
        var scope = request.Scope;
        var runId = $"follow|{enumerator.Name}|{scope}";
        var cursor = await cursors.GetCursorAsync(enumerator.Name, scope, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var resumed = cursor is { InProgress: true };
        if (!resumed)
        {
            // Its orders carry no update time: each run lists them all and reads each one again; the store counts the changes.
            await _orderSync.Store.RequeueAsync(runId, cancellationToken).ConfigureAwait(false);
            await _orderSync.AddEnumerationAsync(runId, enumerator.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            await cursors.SaveCursorAsync(enumerator.Name, scope, (cursor ?? new SyncCursor()) with { WindowStart = now, WindowEnd = now, PagesRead = 0, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
        }

        var window = cursor is { InProgress: true } ? cursor.WindowStart : now;
        IncrementalSyncProgress Map(SyncProgress p) => new()
        {
            Source = enumerator.Name,
            Scope = scope,
            Pages = p.Done + p.Failed,
            Inserted = p.Inserted,
            Updated = p.Updated,
            Unchanged = p.Unchanged,
            Failed = p.Failed,
            WindowStart = window,
            WindowEnd = window,
            Resumed = resumed,
        };

        var done = await _orderSync.RunAsync(runId, progress: progress is null ? null : new SynchronousProgress<SyncProgress>(p => progress.Report(Map(p))), cancellationToken: cancellationToken).ConfigureAwait(false);
        var completed = new SyncCursor { HighWaterMark = window, CompletedThrough = window, UpdatedAt = _timeProvider.GetUtcNow(), Backfill = cursor?.Backfill };
        await cursors.SaveCursorAsync(enumerator.Name, scope, completed, CancellationToken.None).ConfigureAwait(false);
        return Map(done) with { Cursor = completed, WindowsCompleted = 1 };
    }

    // A page read ahead when the loop ended early (the store failed, the run was stopped) is awaited before the reader
    // is disposed; what ended the loop is what the caller sees.
    private static async Task FinishAsync(Task<bool>? reading)
    {
        if (reading is not null)
        {
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _ = reading.Exception; // observed; the page was not stored, and the cursor still points at it
        }
    }

    // Where the next window starts (before the overlap): the latest update stored, but never past the end of the last
    // window read to its last page. A mark past it (written before marks were capped) would skip what lies between.
    private static DateTimeOffset? NextStart(SyncCursor? cursor) => (cursor?.HighWaterMark, cursor?.CompletedThrough) switch
    {
        ({ } mark, { } through) => mark < through ? mark : through,
        ({ } mark, null) => mark,
        (null, var through) => through,
    };

    private static IncrementalSyncProgress Count(IncrementalSyncProgress result, IReadOnlyList<StoreOutcome> outcomes)
    {
        var counts = OutcomeCounts.Of(outcomes);
        return result with { Inserted = result.Inserted + counts.Inserted, Updated = result.Updated + counts.Updated, Unchanged = result.Unchanged + counts.Unchanged };
    }

    private static IncrementalSyncProgress Add(IncrementalSyncProgress? before, IncrementalSyncProgress now) => before is null ? now : now with
    {
        Pages = before.Pages + now.Pages,
        Inserted = before.Inserted + now.Inserted,
        Updated = before.Updated + now.Updated,
        Unchanged = before.Unchanged + now.Unchanged,
        Failed = before.Failed + now.Failed,
        WindowRestarts = before.WindowRestarts + now.WindowRestarts,
        WindowsCompleted = before.WindowsCompleted + now.WindowsCompleted,
        PagesSkipped = before.PagesSkipped + now.PagesSkipped,
        SkippedWindows = [.. before.SkippedWindows, .. now.SkippedWindows],
        Resumed = before.Resumed || now.Resumed,
    };

    /// <summary>
    /// One window of a change feed being read: its bounds, the token of its next page, the cursor as this run found it,
    /// and what the run has stored so far; the cursor to write after each page is worked out here.
    /// </summary>
    private sealed class FeedWindow(IOrderChangeFeed feed, string scope, SyncCursor? found, DateTimeOffset start, DateTimeOffset end, string? token, IncrementalSyncProgress result)
    {
        private readonly int _pagesBefore = found is { InProgress: true } ? found.PagesRead : 0;
        private readonly DateTimeOffset? _completedThrough = found?.CompletedThrough;
        private readonly OrderBackfillPlan? _backfill = found?.Backfill;
        private DateTimeOffset? _highWater = found?.HighWaterMark;

        public IOrderChangeFeed Feed { get; } = feed;

        public string Scope { get; } = scope;

        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset End { get; } = end;

        public string? Token { get; set; } = token;

        public IncrementalSyncProgress Result { get; set; } = result;

        /// <summary>Gets the pages of the window stored, by this run and the runs before it.</summary>
        public int PagesRead => _pagesBefore + Result.Pages;

        /// <summary>Gets a value indicating whether the window is the unfinished one the run found (already saved with these bounds).</summary>
        public bool IsTheFoundWindow => found is { InProgress: true } && found.WindowStart == Start && found.WindowEnd == End;

        /// <summary>The cursor after a page: the window finished, or the window with the token of its next page.</summary>
        public SyncCursor After(OrderChangePage page, DateTimeOffset stamp)
        {
            foreach (var order in page.Orders)
            {
                // An order that changed while the window was read arrives with an update time past the window's end:
                // the mark stops at the end, or the next window would start past orders updated in between, unread.
                if (order.LastUpdatedAt is { } updated && (_highWater is null || updated > _highWater))
                {
                    _highWater = updated < End ? updated : End;
                }
            }

            return page.NextPageToken is null
                ? new SyncCursor { HighWaterMark = _highWater, CompletedThrough = End, UpdatedAt = stamp, Backfill = _backfill }
                : new SyncCursor
                {
                    HighWaterMark = _highWater,
                    CompletedThrough = _completedThrough,
                    WindowStart = Start,
                    WindowEnd = End,
                    PageToken = page.NextPageToken,
                    PageTokenIssuedAt = stamp,
                    PagesRead = PagesRead + 1,
                    UpdatedAt = stamp,
                    Backfill = _backfill,
                };
        }

        /// <summary>The cursor of a window whose first page could not be read: its bounds, and the page to ask for again.</summary>
        public SyncCursor Unread(DateTimeOffset stamp) => new()
        {
            HighWaterMark = _highWater,
            CompletedThrough = _completedThrough,
            WindowStart = Start,
            WindowEnd = End,
            PageToken = Token,
            PageTokenIssuedAt = Token is null ? null : found?.PageTokenIssuedAt,
            PagesRead = _pagesBefore,
            UpdatedAt = stamp,
            Backfill = _backfill,
        };
    }

    /// <summary>Which page of which window failed to read, and in how many polls in a row.</summary>
    private sealed record UnreadablePage(DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd, int Page, string? PageToken, int Polls)
    {
        public static UnreadablePage After(UnreadablePage? last, SyncCursor? cursor)
        {
            var here = new UnreadablePage(cursor?.WindowStart, cursor?.WindowEnd, (cursor?.PagesRead ?? 0) + 1, cursor?.PageToken, 1);
            return last is not null && last with { Polls = 1 } == here ? last with { Polls = last.Polls + 1 } : here;
        }
    }

    /// <summary>Reports on the caller's thread, in order (<see cref="Progress{T}"/> posts to the thread pool and may reorder).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Source} ({Scope}) orders updated from {Start:O} to {End:O}, from the {From}.")]
    private static partial void LogWindow(ILogger logger, string source, string scope, DateTimeOffset start, DateTimeOffset end, string from);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the unfinished {Source} ({Scope}) window {Start:O} to {End:O} after {Pages} stored pages.")]
    private static partial void LogResumed(ILogger logger, string source, string scope, DateTimeOffset start, DateTimeOffset end, int pages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following {Source} ({Scope}): another reader holds the cursor; standing by until it lets go.")]
    private static partial void LogStandingBy(ILogger logger, string source, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following {Source} ({Scope}): this poll failed ({ErrorType}, request {RequestId}); trying again at the next poll, from the cursor.")]
    private static partial void LogPollFailed(ILogger logger, string source, string scope, string errorType, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following {Source} ({Scope}): page {Page} of the window could not be read ({Polls} of {Limit} polls in a row; request {RequestId}); trying it again at the next poll.")]
    private static partial void LogPageUnreadable(ILogger logger, string source, string scope, int page, int polls, int limit, string? requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following {Source} ({Scope}): page {Page} of the window {Start:O} to {End:O} could not be read, poll after poll (request {RequestId}: {Reason}). The rest of that window is skipped and recorded as the cursor '{Record}'; the follower goes on after the window's end.")]
    private static partial void LogWindowSkipped(ILogger logger, string source, string scope, int page, DateTimeOffset start, DateTimeOffset end, string record, string? requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Window of {Source} ({Scope}) read: {Pages} pages, {Inserted} new, {Updated} updated, {Unchanged} unchanged.")]
    private static partial void LogWindowEnded(ILogger logger, string source, string scope, int pages, int inserted, int updated, int unchanged);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored page {Page} of {Source}: {Orders} orders (request {RequestId}).")]
    private static partial void LogPage(ILogger logger, string source, int page, int orders, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The page token of {Source} ({Scope}) has expired ({Why}); reading the window again from its start.")]
    private static partial void LogTokenExpired(ILogger logger, string source, string scope, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "A cursor is stored for {Source} ({Scope}); the start {Since:O} applies to a first run only (reset the cursor to start from it).")]
    private static partial void LogSinceIgnored(ILogger logger, string source, string scope, DateTimeOffset since);
}
