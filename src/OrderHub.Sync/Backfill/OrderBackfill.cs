using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderHub.Sync;

/// <summary>
/// Reads a source's history in bulk, through its exports (<see cref="IOrderBackfillSource"/>: Selling Partner's order
/// reports), into the store, so that the incremental sync of the same cursor continues from where the exports end.
/// The history is planned into windows of at most <see cref="OrderBackfillRules.MaxWindow"/>, from the start to now
/// less <see cref="OrderBackfillRules.DataLag"/>; up to <see cref="OrderBackfillRules.MaxJobsInFlight"/> jobs are kept in
/// flight, each polled with backoff; each finished export is read as a stream and stored in batches.
/// </summary>
/// <remarks>
/// <para>
/// The plan, each window's job id and state, and how many of its orders are stored are kept with the cursor
/// (<see cref="SyncCursor.Backfill"/>) and written in the transaction of every batch, so a run killed at any step
/// resumes from it: a job in flight is polled again by its id, a window being read skips what is stored, a stored window
/// is not asked for again. (A job asked for just before the kill, whose id was not stored yet, is looked for among the
/// finished exports and asked for again if it is not finished.)
/// </para>
/// <para>
/// When every window is finished, the cursor's marks are set in the transaction of the last batch: the copy is
/// complete through the plan's end, or through the time of the oldest export reused, less the data lag, whichever is
/// earlier (an export holds its window as it was when it was made; every change since then is the incremental sync's).
/// A cursor that had marks keeps them where they are earlier.
/// </para>
/// </remarks>
public sealed partial class OrderBackfill
{
    // A window this close to the line where the regular exports end is split there, its older part left until it has
    // passed into the archive: the source decides which export a window needs on its own clock, a moment later.
    private static readonly TimeSpan BoundaryMargin = TimeSpan.FromMinutes(1);

    private readonly OrderLookup _lookup;
    private readonly ISyncCursorStore _cursors;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="OrderBackfill"/> class.</summary>
    /// <param name="lookup">The sources.</param>
    /// <param name="cursors">Where the cursors, and the orders with them, are stored (the SQLite and PostgreSQL stores are both).</param>
    /// <param name="timeProvider">The clock the polls, retries and plans run on; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where windows and jobs are logged (times, counts and job ids, never order content).</param>
    public OrderBackfill(OrderLookup lookup, ISyncCursorStore cursors, TimeProvider? timeProvider = null, ILogger<OrderBackfill>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(cursors);
        _lookup = lookup;
        _cursors = cursors;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Checks a request as a run does before anything is read or sent, without the store: the source exists and has
    /// bulk exports, and the start lies before the exports' end and within their reach.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <exception cref="InvalidOrderRequestException">The request would be refused; the message says what is allowed.</exception>
    public void Validate(OrderBackfillRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(BackfillSource(request.Source), request);
    }

    /// <summary>
    /// Runs the backfill to its end: plans it (or resumes the stored plan), asks for the windows' exports, polls them,
    /// stores their orders, and sets the cursor's marks when every window is finished. A plan that is finished already
    /// returns at once, unless windows were skipped (they are asked for again) or the start given is earlier (the plan
    /// is extended back to it).
    /// </summary>
    /// <param name="request">The source, the start, the cursor's scope.</param>
    /// <param name="progress">Receives progress after every change of a window and every batch stored.</param>
    /// <param name="cancellationToken">Stops the run after the batch being stored; a later run resumes from there.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="InvalidOrderRequestException">The source has no bulk exports, or the start is out of its reach; nothing was sent.</exception>
    /// <exception cref="SyncCursorHeldException">Another reader holds this cursor; nothing was read.</exception>
    public async Task<OrderBackfillProgress> RunAsync(OrderBackfillRequest request, IProgress<OrderBackfillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = BackfillSource(request.Source);
        Validate(source, request);

        // One reader per cursor, as for the incremental sync: a second run would ask for the same windows.
        var hold = await _cursors.TryHoldCursorAsync(source.Name, request.Scope, cancellationToken).ConfigureAwait(false)
            ?? throw new SyncCursorHeldException(source.Name, request.Scope);
        await using (hold.ConfigureAwait(false))
        {
            using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.backfill", ActivityKind.Internal);
            activity?.SetTag("orderhub.source", source.Name);
            activity?.SetTag("orderhub.sync.scope", request.Scope);
            try
            {
                var result = await new BackfillRun(this, source, request, progress).RunAsync(cancellationToken).ConfigureAwait(false);
                activity?.SetTag("orderhub.backfill.windows", result.Windows);
                activity?.SetTag("orderhub.backfill.jobs_requested", result.JobsRequested);
                activity?.SetTag("orderhub.backfill.exports_reused", result.ExportsReused);
                activity?.SetTag("orderhub.backfill.windows_skipped", result.WindowsSkipped);
                activity?.SetTag("orderhub.sync.inserted", result.Inserted);
                activity?.SetTag("orderhub.sync.updated", result.Updated);
                activity?.SetTag("orderhub.sync.unchanged", result.Unchanged);
                return result;
            }
            catch (Exception e)
            {
                activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                throw;
            }
        }
    }

    private IOrderBackfillSource BackfillSource(string name)
    {
        var source = _lookup.GetSource(name);
        if (source is IOrderBackfillSource backfill)
        {
            return backfill;
        }

        var able = _lookup.Sources.OfType<IOrderBackfillSource>().Select(s => s.Name).ToArray();
        var which = able.Length switch
        {
            0 => "no configured source has (Selling Partner sources do)",
            1 => $"the configured source that has is {able[0]}",
            _ => $"the configured sources that have are {string.Join(", ", able)}",
        };
        throw new InvalidOrderRequestException(
            $"The source '{source.Name}' has no bulk exports, so it cannot be backfilled; {which}. Read its history through its orders instead (--since).",
            new OrderErrorContext(source.Name)) { ParameterName = nameof(OrderBackfillRequest.Source) };
    }

    private void Validate(IOrderBackfillSource source, OrderBackfillRequest request)
    {
        var rules = source.BackfillRules;
        if (rules.MaxWindow <= TimeSpan.Zero || rules.MaxJobsInFlight < 1 || rules.PollInterval <= TimeSpan.Zero || rules.MaxPollInterval < rules.PollInterval || rules.DataLag < TimeSpan.Zero || rules.FailedRetryDelay < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"The backfill rules of the source '{source.Name}' cannot be followed: {rules}. Its MaxWindow, MaxJobsInFlight and PollInterval must be positive, MaxPollInterval at least PollInterval.");
        }

        var now = _timeProvider.GetUtcNow();
        var end = now - rules.DataLag;
        if (request.Start >= end)
        {
            throw new InvalidOrderRequestException(
                $"A backfill of {source.Name} from {Stamp(request.Start)} has nothing to export: its exports end {Describe(rules.DataLag)} before now, at {Stamp(end)}. Give an earlier start (an age such as 90d or 2y, or a date), or read recent orders with --since.",
                new OrderErrorContext(source.Name)) { ParameterName = nameof(OrderBackfillRequest.Start) };
        }

        if (rules.MaxHistory is { } reach && request.Start < now - reach)
        {
            throw new InvalidOrderRequestException(
                $"A backfill of {source.Name} from {Stamp(request.Start)} reaches too far back: its exports reach back {Describe(reach)}, to {Stamp(now - reach)}. Give a later start.",
                new OrderErrorContext(source.Name)) { ParameterName = nameof(OrderBackfillRequest.Start) };
        }
    }

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan value) => value switch
    {
        { TotalDays: >= 1 } when value.Ticks % TimeSpan.TicksPerDay == 0 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalDays:0} days"),
        { TotalHours: >= 1 } when value.Ticks % TimeSpan.TicksPerHour == 0 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalHours:0} h"),
        { TotalMinutes: >= 1 } when value.Ticks % TimeSpan.TicksPerMinute == 0 => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###} s"),
    };

    /// <summary>
    /// One run of a backfill: the plan as it stands, the cursor as stored, and when each job in flight is polled next.
    /// Every change of a window is written with the cursor, in the transaction of the orders that come with it; one
    /// step at a time, so the stored plan is always the latest.
    /// </summary>
    private sealed class BackfillRun(OrderBackfill owner, IOrderBackfillSource source, OrderBackfillRequest request, IProgress<OrderBackfillProgress>? progress)
    {
        private readonly OrderBackfillRules _rules = source.BackfillRules;
        private readonly TimeProvider _time = owner._timeProvider;
        private readonly ILogger _logger = owner._logger;
        private readonly Dictionary<DateTimeOffset, (DateTimeOffset Next, TimeSpan Interval)> _polls = [];
        private readonly HashSet<DateTimeOffset> _finishedNow = [];
        private readonly HashSet<DateTimeOffset> _unknownLogged = [];
        private List<OrderBackfillWindowState> _windows = [];
        private OrderBackfillPlan _plan = null!;
        private SyncCursor? _cursor;
        private bool _firstPass;
        private OrderBackfillProgress _result = new() { Source = source.Name, Scope = request.Scope };

        private string Name => source.Name;

        private string Scope => request.Scope;

        public async Task<OrderBackfillProgress> RunAsync(CancellationToken cancellationToken)
        {
            _cursor = await owner._cursors.GetCursorAsync(Name, Scope, cancellationToken).ConfigureAwait(false);
            if (!await PlanAsync(cancellationToken).ConfigureAwait(false))
            {
                return _result;
            }

            while (!_windows.All(w => w.IsFinished))
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Polls first (they are cheap, and free slots), then one export read, then one new job into a free slot;
                // then again, until nothing is due and the run waits for the next poll or retry. One job at a time: a
                // request past the burst waits for its permit (a minute at Amazon's plan), and reads and polls go on
                // between two such waits, while the other buckets refill.
                foreach (var window in _windows.Where(w => w.Status == OrderBackfillWindowStatus.InFlight && _polls[w.Start].Next <= _time.GetUtcNow()).OrderBy(w => _polls[w.Start].Next).ToArray())
                {
                    await PollAsync(window, cancellationToken).ConfigureAwait(false);
                }

                if (_windows.FirstOrDefault(w => w.Status == OrderBackfillWindowStatus.Ready) is { } ready)
                {
                    await ReadAsync(ready, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_windows.Count(w => w.Status == OrderBackfillWindowStatus.InFlight) < _rules.MaxJobsInFlight && NextToAskFor() is { } pending)
                {
                    await StartAsync(pending, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_windows.All(w => w.IsFinished))
                {
                    break;
                }

                var due = NextDue() ?? throw new InvalidOperationException("The backfill has unfinished windows, but nothing to wait for.");
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }

            LogFinished(_logger, Name, Scope, _result.WindowsStored, _result.WindowsEmpty, _result.WindowsSkipped, _result.Inserted, _result.Updated, _result.Unchanged, _cursor?.CompletedThrough);
            return _result;
        }

        // The plan to run: a new one, the stored one resumed, or the stored one with its skipped windows asked for
        // again and its start moved earlier. False when a finished plan has nothing left to do.
        private async Task<bool> PlanAsync(CancellationToken cancellationToken)
        {
            var now = _time.GetUtcNow();
            var stored = _cursor?.Backfill;
            if (stored is not null && request.Reset)
            {
                LogReset(_logger, Name, Scope, stored.Windows.Count);
                stored = null;
            }

            if (stored is null)
            {
                var start = Floor(request.Start);
                var end = Floor(now - _rules.DataLag);
                _plan = new OrderBackfillPlan { Start = start, End = end, PlannedAt = now, Windows = [] };
                _windows = [.. Split(start, end)];
                _firstPass = true;
                await SaveAsync(cancellationToken).ConfigureAwait(false);
                LogPlanned(_logger, Name, Scope, start, end, _windows.Count, Describe(_rules.MaxWindow));
                return true;
            }

            _plan = stored;
            _windows = [.. stored.Windows];
            _firstPass = stored.FinishedAt is null;
            var changed = false;
            var earlier = Floor(request.Start);
            if (earlier < stored.Start)
            {
                // More history than the plan has: windows from the earlier start to the plan's.
                _windows.InsertRange(0, Split(earlier, stored.Start));
                _plan = _plan with { Start = earlier };
                LogExtended(_logger, Name, Scope, earlier, stored.Start);
                changed = true;
            }

            var skipped = _windows.Count(w => w.Status == OrderBackfillWindowStatus.Skipped);
            if (skipped > 0)
            {
                _windows = [.. _windows.Select(w => w.Status == OrderBackfillWindowStatus.Skipped ? w with { Status = OrderBackfillWindowStatus.Pending, FailedAttempts = 0, NotBefore = null, JobId = null, DocumentId = null, OrdersStored = 0 } : w)];
                LogRetryingSkipped(_logger, Name, Scope, skipped);
                changed = true;
            }

            if (!changed && stored.IsFinished)
            {
                LogAlreadyFinished(_logger, Name, Scope, stored.Start, stored.End, stored.Windows.Count);
                _result = Snapshot(null) with { Resumed = true };
                return false;
            }

            foreach (var window in _windows.Where(w => w.Status == OrderBackfillWindowStatus.InFlight))
            {
                _polls[window.Start] = (now, _rules.PollInterval); // polled again by its id at once
            }

            _result = _result with { Resumed = true };
            LogResumed(_logger, Name, Scope, _windows.Count(w => w.IsFinished), _windows.Count, _windows.Count(w => w.Status == OrderBackfillWindowStatus.InFlight));
            if (changed)
            {
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            return true;
        }

        private IEnumerable<OrderBackfillWindowState> Split(DateTimeOffset start, DateTimeOffset end)
        {
            for (var from = start; from < end; from += _rules.MaxWindow)
            {
                yield return new OrderBackfillWindowState { Start = from, End = from + _rules.MaxWindow < end ? from + _rules.MaxWindow : end };
            }
        }

        // The newest window due to be asked for: recent history first.
        private OrderBackfillWindowState? NextToAskFor()
        {
            var now = _time.GetUtcNow();
            return _windows.Where(w => w.Status == OrderBackfillWindowStatus.Pending && (w.NotBefore is null || w.NotBefore <= now)).MaxBy(w => w.End);
        }

        // The next poll, or the next window to ask for when a slot is free (every slot taken, a window waits for a poll).
        private DateTimeOffset? NextDue()
        {
            var inFlight = _windows.Where(w => w.Status == OrderBackfillWindowStatus.InFlight).ToArray();
            var polls = inFlight.Select(w => (DateTimeOffset?)_polls[w.Start].Next);
            var retries = inFlight.Length < _rules.MaxJobsInFlight
                ? _windows.Where(w => w.Status == OrderBackfillWindowStatus.Pending).Select(w => (DateTimeOffset?)(w.NotBefore ?? _time.GetUtcNow()))
                : [];
            return polls.Concat(retries).Min();
        }

        private TimeSpan Doubled(TimeSpan interval) => interval + interval < _rules.MaxPollInterval ? interval + interval : _rules.MaxPollInterval;

        private async Task StartAsync(OrderBackfillWindowState window, CancellationToken cancellationToken)
        {
            if (await FitAsync(window, cancellationToken).ConfigureAwait(false) is not { } fitted)
            {
                return;
            }

            if (request.ReuseFinishedExports)
            {
                if (await source.FindFinishedAsync(fitted.Window, cancellationToken).ConfigureAwait(false) is { } found)
                {
                    if (Reusable(found, fitted) is not { } why)
                    {
                        await ReuseAsync(fitted, found).ConfigureAwait(false);
                        return;
                    }

                    LogNotReused(_logger, Name, fitted.Start, fitted.End, found.JobId, why);
                }

                // The lookup may have waited for a permit: the window is fitted again to the clock of the request.
                if (await FitAsync(fitted, cancellationToken).ConfigureAwait(false) is not { } refitted)
                {
                    return;
                }

                fitted = refitted;
            }

            var asked = _time.GetUtcNow();
            var job = await source.RequestAsync(fitted.Window, cancellationToken).ConfigureAwait(false);
            _result = _result with { JobsRequested = _result.JobsRequested + 1 };
            var requested = fitted with
            {
                Status = OrderBackfillWindowStatus.InFlight,
                JobId = job.JobId,
                RawState = job.RawState,
                DocumentId = null,
                RequestedAt = asked,
                ExportedAt = job.CreatedAt ?? asked,
                Reused = false,
                NotBefore = null,
                OrdersStored = 0,
            };
            LogRequested(_logger, Name, requested.Start, requested.End, job.JobId, job.RequestId);
            _polls[requested.Start] = (_time.GetUtcNow() + _rules.PollInterval, Doubled(_rules.PollInterval));
            if (job.State is OrderBackfillJobState.Queued or OrderBackfillJobState.InProgress or OrderBackfillJobState.Unknown)
            {
                await CommitAsync([], requested).ConfigureAwait(false);
            }
            else
            {
                // Answered finished at once: taken as a poll's answer.
                Replace(requested.Start, requested);
                await ApplyAsync(requested, job).ConfigureAwait(false);
            }
        }

        // Why a finished export of the window cannot stand for a new one, or null when it can.
        private string? Reusable(OrderBackfillJob found, OrderBackfillWindowState window)
        {
            if (found.Window != window.Window)
            {
                return $"it covers {found.Window}";
            }

            if (found.State is not (OrderBackfillJobState.Done or OrderBackfillJobState.Empty))
            {
                return $"it is {found.RawState ?? found.State.ToString()}, not finished";
            }

            if (found.CreatedAt is not { } created)
            {
                return "the source does not say when it was made, so how old its orders are is unknown";
            }

            var oldest = _plan.PlannedAt - request.MaxReusedExportAge;
            return created < oldest
                ? $"it was made at {Stamp(created)}, more than {Describe(request.MaxReusedExportAge)} before the plan (every change since then would have to be read again)"
                : null;
        }

        private async Task ReuseAsync(OrderBackfillWindowState window, OrderBackfillJob found)
        {
            _result = _result with { ExportsReused = _result.ExportsReused + 1 };
            var reused = window with
            {
                JobId = found.JobId,
                RawState = found.RawState,
                RequestedAt = _time.GetUtcNow(),
                ExportedAt = found.CreatedAt,
                Reused = true,
                NotBefore = null,
                OrdersStored = 0,
            };
            LogReused(_logger, Name, window.Start, window.End, found.JobId, found.CreatedAt);
            Replace(window.Start, reused);
            await ApplyAsync(reused, found).ConfigureAwait(false);
        }

        // Fits a window to the source's reach on the clock now: the part older than MaxHistory is dropped, and a window
        // across the line where the regular exports end is split there (its older part waits until it is past the
        // line, for the archive). The window to ask for now, or null when there is none yet.
        private async Task<OrderBackfillWindowState?> FitAsync(OrderBackfillWindowState window, CancellationToken cancellationToken)
        {
            var now = _time.GetUtcNow();
            var fitted = window;
            if (_rules.MaxHistory is { } reach)
            {
                var oldest = now - reach + BoundaryMargin;
                if (fitted.End <= oldest)
                {
                    LogBeyondReach(_logger, Name, fitted.Start, fitted.End, Describe(reach));
                    _finishedNow.Add(fitted.Start);
                    await CommitAsync([], fitted with { Status = OrderBackfillWindowStatus.Skipped, Reason = $"older than the {Describe(reach)} the source's exports reach back, by the time it was asked for" }).ConfigureAwait(false);
                    return null;
                }

                if (fitted.Start < oldest)
                {
                    LogBeyondReach(_logger, Name, fitted.Start, oldest, Describe(reach));
                    fitted = fitted with { Start = Ceiling(oldest) };
                }
            }

            var regularFrom = now - _rules.RegularHistory;
            if (fitted.Start < regularFrom + BoundaryMargin && fitted.End > regularFrom)
            {
                if (fitted.End <= regularFrom + BoundaryMargin)
                {
                    // All of it lies at the line: asked for once it is past it.
                    Replace(window.Start, fitted with { NotBefore = now + (fitted.End - regularFrom) });
                    await SaveAsync(cancellationToken).ConfigureAwait(false);
                    return null;
                }

                var line = Ceiling(regularFrom + BoundaryMargin);
                var newer = fitted with { Start = line };
                var olderDue = now + (line - regularFrom); // when the older part is past the line, for the archive

                // The line moves with the clock: when it has moved into the newer part of an earlier split (a wait for
                // a permit in between), the older part grows to it rather than a sliver of a window being added.
                var index = _windows.FindIndex(w => w.Start == window.Start);
                if (index > 0 && _windows[index - 1] is { Status: OrderBackfillWindowStatus.Pending, NotBefore: not null } older
                    && older.End == window.Start && line - older.Start <= _rules.MaxWindow)
                {
                    _windows[index - 1] = older with { End = line, NotBefore = olderDue };
                    Replace(window.Start, newer);
                }
                else
                {
                    LogSplit(_logger, Name, fitted.Start, fitted.End, line);
                    Replace(window.Start, fitted with { End = line, NotBefore = olderDue }, newer);
                }

                await SaveAsync(cancellationToken).ConfigureAwait(false);
                return newer; // asked for now; the older part once it is past the line, for the archive
            }

            if (fitted != window)
            {
                Replace(window.Start, fitted);
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            return fitted;
        }

        private async Task PollAsync(OrderBackfillWindowState window, CancellationToken cancellationToken)
        {
            var job = await source.GetAsync(JobOf(window), cancellationToken).ConfigureAwait(false);
            await ApplyAsync(window, job).ConfigureAwait(false);
        }

        // A job's state as the upstream described it, applied to its window.
        private async Task ApplyAsync(OrderBackfillWindowState window, OrderBackfillJob job)
        {
            var now = _time.GetUtcNow();
            switch (job.State)
            {
                case OrderBackfillJobState.Done:
                    _polls.Remove(window.Start);
                    LogJobState(_logger, Name, window.Start, window.End, job.JobId, job.RawState ?? "Done");
                    await CommitAsync([], window with
                    {
                        Status = OrderBackfillWindowStatus.Ready,
                        RawState = job.RawState,
                        DocumentId = job.DocumentId,
                        ExportedAt = job.CreatedAt ?? window.ExportedAt,
                    }).ConfigureAwait(false);
                    break;
                case OrderBackfillJobState.Empty:
                    _polls.Remove(window.Start);
                    _finishedNow.Add(window.Start);
                    LogJobState(_logger, Name, window.Start, window.End, job.JobId, job.RawState ?? "Empty");
                    await CommitAsync([], window with
                    {
                        Status = OrderBackfillWindowStatus.Empty,
                        RawState = job.RawState,
                        ExportedAt = job.CreatedAt ?? window.ExportedAt,
                    }).ConfigureAwait(false);
                    break;
                case OrderBackfillJobState.Failed:
                    _polls.Remove(window.Start);
                    _result = _result with { JobsFailed = _result.JobsFailed + 1 };
                    await FailAsync(window, $"job {job.JobId} failed upstream ({job.RawState ?? "Failed"}{(job.RequestId is null ? string.Empty : $", request {job.RequestId}")})").ConfigureAwait(false);
                    break;
                default:
                    // Queued, in progress, or a state this OrderHub does not know: polled again, later each time.
                    if (job.State == OrderBackfillJobState.Unknown && _unknownLogged.Add(window.Start))
                    {
                        LogUnknownState(_logger, Name, window.Start, window.End, job.JobId, job.RawState);
                    }

                    var wait = _polls.TryGetValue(window.Start, out var poll) ? poll.Interval : _rules.PollInterval;
                    _polls[window.Start] = (now + wait, Doubled(wait));
                    if (job.RawState != window.RawState)
                    {
                        var moved = window with { RawState = job.RawState };
                        Replace(window.Start, moved);
                        Report(moved);
                    }

                    break;
            }
        }

        // A failed job: the window is asked for again after the source's delay, or skipped after too many failures.
        private async Task FailAsync(OrderBackfillWindowState window, string reason)
        {
            var attempts = window.FailedAttempts + 1;
            if (attempts >= request.FailedAttempts)
            {
                LogSkipped(_logger, Name, window.Start, window.End, attempts, reason);
                _finishedNow.Add(window.Start);
                await CommitAsync([], window with { Status = OrderBackfillWindowStatus.Skipped, FailedAttempts = attempts, Reason = $"{reason}; skipped after {attempts} failed attempts" }).ConfigureAwait(false);
                return;
            }

            var retryAt = _time.GetUtcNow() + _rules.FailedRetryDelay;
            LogFailed(_logger, Name, window.Start, window.End, reason, retryAt, attempts, request.FailedAttempts);
            await CommitAsync([], window with
            {
                Status = OrderBackfillWindowStatus.Pending,
                JobId = null,
                DocumentId = null,
                FailedAttempts = attempts,
                NotBefore = retryAt,
                OrdersStored = 0,
                Reason = reason,
            }).ConfigureAwait(false);
        }

        // A finished export's orders, in batches, each with the plan after it; the window is marked stored with its last
        // batch. A read started again skips the orders a batch already stored.
        private async Task ReadAsync(OrderBackfillWindowState window, CancellationToken cancellationToken)
        {
            using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.backfill.window", ActivityKind.Internal);
            activity?.SetTag("orderhub.source", Name);
            activity?.SetTag("orderhub.backfill.job_id", window.JobId);
            var skip = window.OrdersStored;
            var read = 0;
            var batch = new List<Order>(request.BatchSize);
            var current = window;
            LogReading(_logger, Name, window.Start, window.End, window.JobId, skip);
            try
            {
                await foreach (var order in source.ReadAsync(JobOf(window), cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    if (++read <= skip)
                    {
                        continue;
                    }

                    // A full batch is stored once the next order shows there is more: the last one goes with the window's end.
                    if (batch.Count >= request.BatchSize)
                    {
                        current = current with { OrdersStored = read - 1 };
                        await CommitAsync(batch, current).ConfigureAwait(false);
                        batch = new List<Order>(request.BatchSize);
                    }

                    batch.Add(order);
                }
            }
            catch (OrderSourceProtocolException e)
            {
                // An export that cannot be read is no better than a failed job: asked for again, in time skipped.
                activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                _result = _result with { JobsFailed = _result.JobsFailed + 1 };
                await FailAsync(current, $"the export of job {window.JobId} could not be read ({e.Message}{(e.RequestId is null ? string.Empty : $"; request {e.RequestId}")})").ConfigureAwait(false);
                return;
            }

            _finishedNow.Add(window.Start);
            await CommitAsync(batch, current with { Status = OrderBackfillWindowStatus.Done, OrdersStored = Math.Max(read, skip) }).ConfigureAwait(false);
            activity?.SetTag("orderhub.backfill.orders", read);
            LogStored(_logger, Name, window.Start, window.End, read, window.JobId);
        }

        private OrderBackfillJob JobOf(OrderBackfillWindowState window) => new()
        {
            JobId = window.JobId ?? throw new InvalidOperationException($"The window {window.Window} has no job."),
            Window = window.Window,
            State = window.Status == OrderBackfillWindowStatus.Ready ? OrderBackfillJobState.Done : OrderBackfillJobState.Queued,
            RawState = window.RawState,
            DocumentId = window.DocumentId,
        };

        private void Replace(DateTimeOffset start, params OrderBackfillWindowState[] windows)
        {
            var index = _windows.FindIndex(w => w.Start == start);
            _windows.RemoveAt(index);
            _windows.InsertRange(index, windows);
        }

        private Task SaveAsync(CancellationToken cancellationToken) => CommitCoreAsync([], null, cancellationToken);

        private Task CommitAsync(IReadOnlyList<Order> orders, OrderBackfillWindowState window)
        {
            Replace(window.Start, window);

            // Stored whatever happens to the caller's token: an export read, or a job asked for, is never lost for nothing.
            return CommitCoreAsync(orders, window, CancellationToken.None);
        }

        // The cursor after a change: the plan as it stands, and, when the change finished the last window, the marks.
        private async Task CommitCoreAsync(IReadOnlyList<Order> orders, OrderBackfillWindowState? window, CancellationToken cancellationToken)
        {
            var now = _time.GetUtcNow();
            _plan = _plan with { Windows = [.. _windows] };
            var cursor = (_cursor ?? new SyncCursor()) with { Backfill = _plan, UpdatedAt = now };
            if (_plan.IsFinished)
            {
                cursor = Finish(cursor, now);
                _plan = cursor.Backfill!;
            }

            var outcomes = await owner._cursors.CommitPageAsync(Name, Scope, orders, cursor, cancellationToken).ConfigureAwait(false);
            _cursor = cursor;
            foreach (var outcome in outcomes)
            {
                SyncTelemetry.Record(Name, outcome);
            }

            var counts = OutcomeCounts.Of(outcomes);
            _result = _result with { Inserted = _result.Inserted + counts.Inserted, Updated = _result.Updated + counts.Updated, Unchanged = _result.Unchanged + counts.Unchanged };
            Report(window);
        }

        // The marks once every window is finished. The exports hold their windows as they were when made, less the data
        // lag: the copy is complete through the plan's end (orders placed later, and every change after the exports, are
        // the incremental sync's), or through the oldest export reused, if earlier. A later pass (skipped windows asked for
        // again, an earlier start) counts only its own exports. Marks already there are kept where they are earlier.
        private SyncCursor Finish(SyncCursor cursor, DateTimeOffset now)
        {
            var through = _firstPass ? _plan.End : DateTimeOffset.MaxValue;
            foreach (var window in _windows.Where(w => w.Status is OrderBackfillWindowStatus.Done or OrderBackfillWindowStatus.Empty && (_firstPass || _finishedNow.Contains(w.Start))))
            {
                var asOf = (window.ExportedAt ?? window.RequestedAt ?? _plan.PlannedAt) - _rules.DataLag;
                through = asOf < through ? asOf : through;
            }

            var plan = _plan with { FinishedAt = now };
            if (through == DateTimeOffset.MaxValue)
            {
                return cursor with { Backfill = plan };
            }

            return cursor with
            {
                HighWaterMark = cursor.HighWaterMark is { } mark && mark < through ? mark : through,
                CompletedThrough = cursor.CompletedThrough is { } done && done < through ? done : through,
                Backfill = plan,
            };
        }

        private void Report(OrderBackfillWindowState? window)
        {
            _result = Snapshot(window);
            progress?.Report(_result);
        }

        private OrderBackfillProgress Snapshot(OrderBackfillWindowState? window) => _result with
        {
            Windows = _windows.Count,
            WindowsStored = _windows.Count(w => w.Status == OrderBackfillWindowStatus.Done),
            WindowsEmpty = _windows.Count(w => w.Status == OrderBackfillWindowStatus.Empty),
            WindowsSkipped = _windows.Count(w => w.Status == OrderBackfillWindowStatus.Skipped),
            JobsInFlight = _windows.Count(w => w.Status == OrderBackfillWindowStatus.InFlight),
            Finished = _cursor?.Backfill is { IsFinished: true, FinishedAt: not null },
            Window = window,
            Cursor = _cursor,
        };

        private static DateTimeOffset Floor(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        private static DateTimeOffset Ceiling(DateTimeOffset value) => value.UtcTicks % TimeSpan.TicksPerSecond == 0 ? value.ToUniversalTime() : Floor(value).AddSeconds(1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source} ({Scope}) planned: orders placed from {Start:O} to {End:O}, {Windows} windows of at most {MaxWindow}.")]
    private static partial void LogPlanned(ILogger logger, string source, string scope, DateTimeOffset start, DateTimeOffset end, int windows, string maxWindow);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the backfill of {Source} ({Scope}): {Finished} of {Windows} windows finished, {InFlight} jobs in flight (polled again by their ids).")]
    private static partial void LogResumed(ILogger logger, string source, string scope, int finished, int windows, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "The backfill of {Source} ({Scope}) from {Start:O} to {End:O} is finished ({Windows} windows); nothing to ask for. Reset it to plan it again.")]
    private static partial void LogAlreadyFinished(ILogger logger, string source, string scope, DateTimeOffset start, DateTimeOffset end, int windows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgetting the stored backfill plan of {Source} ({Scope}) ({Windows} windows); planning again.")]
    private static partial void LogReset(ILogger logger, string source, string scope, int windows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Extending the backfill of {Source} ({Scope}) back to {Start:O} (the plan started at {PlanStart:O}).")]
    private static partial void LogExtended(ILogger logger, string source, string scope, DateTimeOffset start, DateTimeOffset planStart);

    [LoggerMessage(Level = LogLevel.Information, Message = "Asking again for the {Skipped} skipped windows of the backfill of {Source} ({Scope}).")]
    private static partial void LogRetryingSkipped(ILogger logger, string source, string scope, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: asked for the window {Start:O} to {End:O} (job {JobId}, request {RequestId}).")]
    private static partial void LogRequested(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string jobId, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: reusing the finished job {JobId} of the window {Start:O} to {End:O} (made at {CreatedAt:O}).")]
    private static partial void LogReused(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string jobId, DateTimeOffset? createdAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: not reusing the finished job {JobId} of the window {Start:O} to {End:O}: {Why}; asking for a new one.")]
    private static partial void LogNotReused(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string jobId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: the job {JobId} of the window {Start:O} to {End:O} is {State}.")]
    private static partial void LogJobState(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string jobId, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill of {Source}: the job {JobId} of the window {Start:O} to {End:O} is in a state this OrderHub does not know ({RawState}); taken as in progress, and polled on.")]
    private static partial void LogUnknownState(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string jobId, string? rawState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill of {Source}: the window {Start:O} to {End:O} failed: {Reason}. Asked for again at {RetryAt:O} (attempt {Attempts} of {Limit}).")]
    private static partial void LogFailed(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string reason, DateTimeOffset retryAt, int attempts, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Backfill of {Source}: the window {Start:O} to {End:O} is skipped after {Attempts} failed attempts ({Reason}); the next run asks for it again.")]
    private static partial void LogSkipped(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: the window {Start:O} to {End:O} straddles the line where the regular exports end; split at {Line:O}, its older part asked for once it is past the line.")]
    private static partial void LogSplit(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, DateTimeOffset line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backfill of {Source}: the orders placed from {Start:O} to {End:O} are older than the {Reach} the source's exports reach back by now; left out.")]
    private static partial void LogBeyondReach(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string reach);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: reading the export of job {JobId}, window {Start:O} to {End:O} ({Skip} orders stored before).")]
    private static partial void LogReading(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, string? jobId, int skip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source}: the window {Start:O} to {End:O} is stored, {Orders} orders (job {JobId}).")]
    private static partial void LogStored(ILogger logger, string source, DateTimeOffset start, DateTimeOffset end, int orders, string? jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Backfill of {Source} ({Scope}) finished: {Stored} windows stored, {Empty} empty, {Skipped} skipped; {Inserted} new, {Updated} updated, {Unchanged} unchanged; the copy is complete through {Through:O}.")]
    private static partial void LogFinished(ILogger logger, string source, string scope, int stored, int empty, int skipped, int inserted, int updated, int unchanged, DateTimeOffset? through);
}
