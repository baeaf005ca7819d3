using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// The backfill run (<see cref="OrderBackfill"/>) over a scripted source of exports, on a fake clock, against a store:
/// the plan, the jobs in flight, reuse, empty and failed windows, kill and resume, and the cursor's marks at the end.
/// Each store's tests inherit this class and say how to open a fresh store and how to open its data again, as a
/// restarted process does.
/// </summary>
public abstract class OrderBackfillContractTests
{
    /// <summary>The fake clock's start.</summary>
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(30);

    private readonly TimerWatch _watch = new(new FakeTimeProvider(Now));
    private readonly ScriptedBackfillSource _source;
    private ISyncCursorStore _store = null!;
    private Func<Task<ISyncCursorStore>> _reopen = null!;

    /// <summary>Initializes a new instance of the <see cref="OrderBackfillContractTests"/> class.</summary>
    protected OrderBackfillContractTests() => _source = new ScriptedBackfillSource(_watch);

    /// <summary>Opens a new, empty store (an <see cref="IOrderStore"/> too) on a clock; the test disposes it.</summary>
    /// <returns>The store, and how to open its data again once it is disposed (as a restarted process does).</returns>
    protected abstract Task<(ISyncCursorStore Store, Func<Task<ISyncCursorStore>> Reopen)> CreateStoreAsync(TimeProvider timeProvider);

    private IOrderStore Orders => (IOrderStore)_store;

    private async Task WithStoreAsync(Func<Task> test)
    {
        // The store's own timers (a lease renewal) run on the clock unwatched: the clock moves only for the run's waits.
        (_store, _reopen) = await CreateStoreAsync(_watch.Clock);
        try
        {
            await test();
        }
        finally
        {
            await DisposeAsync(_store);
        }
    }

    private static async Task DisposeAsync(ISyncCursorStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
            case IDisposable disposable: disposable.Dispose(); break;
        }
    }

    // What a restart finds: the same database, opened again by a new process.
    private async Task RestartAsync()
    {
        await DisposeAsync(_store);
        _store = await _reopen();
    }

    private static OrderBackfillRequest Request(DateTimeOffset start, int batchSize = OrderBackfillRequest.DefaultBatchSize) => new() { Source = "reports", Start = start, BatchSize = batchSize };

    private OrderBackfill Backfill() => new(new OrderLookup([_source]), _store, _watch);

    private async Task<OrderBackfillProgress> RunAsync(OrderBackfillRequest request, List<OrderBackfillProgress>? reports = null)
    {
        var run = Backfill().RunAsync(request, reports is null ? null : new Collect(reports));
        await _watch.AdvanceUntilAsync(() => run.IsCompleted, "the backfill ended");
        return await run;
    }

    private async Task<SimulatedKillException> KilledAsync(OrderBackfillRequest request)
    {
        var run = Backfill().RunAsync(request);
        await _watch.AdvanceUntilAsync(() => run.IsCompleted, "the backfill was killed");
        return await Should.ThrowAsync<SimulatedKillException>(() => run);
    }

    // One order a day over a span, placed at noon, ids numbered from the first.
    private List<string> OrdersDaily(DateTimeOffset first, int days)
    {
        var ids = new List<string>();
        for (var i = 0; i < days; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"171-0000000-{ids.Count + 1:D7}");
            _source.Place(id, first.AddDays(i));
            ids.Add(id);
        }

        return ids;
    }

    private async Task<int> StoredCountAsync(IEnumerable<string> ids)
    {
        var count = 0;
        foreach (var id in ids)
        {
            count += await Orders.GetAsync("reports", id) is null ? 0 : 1;
        }

        return count;
    }

    [Fact]
    public Task Plan_CoversTheStartToNowLessTheLag_InWindowsOfAtMostTheMax_NewestFirst() => WithStoreAsync(async () =>
    {
        var ids = OrdersDaily(Now.AddDays(-99).AddHours(-1), 99);

        var result = await RunAsync(Request(Now.AddDays(-100)));

        var asked = _source.Requested.Select(r => r.Window).ToArray();
        asked.Length.ShouldBe(4, "100 days less 30 minutes in windows of 30 days");
        asked.ShouldAllBe(w => w.End - w.Start <= TimeSpan.FromDays(30));
        asked[0].End.ShouldBe(Now - Lag, "the newest window first, ending where the exports' data ends");
        var ordered = asked.OrderBy(w => w.Start).ToArray();
        ordered[0].Start.ShouldBe(Now.AddDays(-100));
        ordered.Zip(ordered.Skip(1)).ShouldAllBe(p => p.First.End == p.Second.Start, "the windows meet, with no gap and no overlap");
        result.Windows.ShouldBe(4);
        result.WindowsStored.ShouldBe(4);
        result.Inserted.ShouldBe(99);
        result.Finished.ShouldBeTrue();
        (await StoredCountAsync(ids)).ShouldBe(99);
        (await Orders.GetAsync("reports", ids[0]))!.Json.ShouldNotBeEmpty();
    });

    [Fact]
    public Task JobsInFlight_NeverExceedTheSourcesMax_AndPollsBackOff() => WithStoreAsync(async () =>
    {
        _source.ProcessingTime = TimeSpan.FromMinutes(10);
        OrdersDaily(Now.AddDays(-299), 299);

        var result = await RunAsync(Request(Now.AddDays(-300)));

        result.Windows.ShouldBe(10);
        result.JobsRequested.ShouldBe(10);
        _source.MostInFlight.ShouldBe(3, "three jobs at once, as the rules say, and no more");
        result.Inserted.ShouldBe(299);
        var first = _source.Requested[0];
        var polls = _source.Polls.Where(p => p.JobId == _source.Polls[0].JobId).Select(p => p.At - first.At).ToArray();
        polls.ShouldBe([TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(105), TimeSpan.FromSeconds(225), TimeSpan.FromSeconds(345), TimeSpan.FromSeconds(465), TimeSpan.FromSeconds(585), TimeSpan.FromSeconds(705)],
            "15 s, then doubling to 2 min, until the job is done after 10 min");
    });

    [Fact]
    public Task FinishedExport_OfTheSameWindow_IsReused_OnlyWhenRecentAndOfKnownAge() => WithStoreAsync(async () =>
    {
        var ids = OrdersDaily(Now.AddDays(-89), 89);
        var start = Now.AddDays(-90);
        var recent = new OrderBackfillWindow(start, start.AddDays(30));
        var old = new OrderBackfillWindow(start.AddDays(30), start.AddDays(60));
        _source.AddFinished(recent, Now.AddHours(-2));
        _source.AddFinished(old, Now.AddDays(-3));

        var result = await RunAsync(Request(start));

        _source.Finds.Count.ShouldBe(3, "each window is looked for before it is asked for");
        _source.Requested.Select(r => r.Window).ShouldNotContain(recent, "a finished export two hours old is reused");
        _source.Requested.Select(r => r.Window).ShouldContain(old, "an export three days old would leave three days of changes to read again");
        result.ExportsReused.ShouldBe(1);
        result.JobsRequested.ShouldBe(2);
        (await StoredCountAsync(ids)).ShouldBe(89);
        var cursor = (await _store.GetCursorAsync("reports", "all"))!;
        cursor.CompletedThrough.ShouldBe(Now.AddHours(-2) - Lag, "the reused export holds its window as it was two hours ago, less the lag");
        cursor.HighWaterMark.ShouldBe(cursor.CompletedThrough);
        cursor.Backfill!.Windows.Single(w => w.Window == recent).Reused.ShouldBeTrue();
    });

    [Fact]
    public Task FinishedExport_OfUnknownAge_IsNotReused() => WithStoreAsync(async () =>
    {
        OrdersDaily(Now.AddDays(-20), 19);
        var start = Now.AddDays(-20);
        _source.SaysWhenMade = false;
        _source.AddFinished(new OrderBackfillWindow(start, Now - Lag), Now.AddMinutes(-5));

        var result = await RunAsync(Request(start));

        result.ExportsReused.ShouldBe(0);
        result.JobsRequested.ShouldBe(1);
        (await _store.GetCursorAsync("reports", "all"))!.CompletedThrough.ShouldBe(Now - Lag, "without ages, the plan's end: every job was asked for after it");
    });

    [Fact]
    public Task EmptyWindow_IsFinishedAsEmpty_WithoutReadingIt() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-60);
        OrdersDaily(start.AddDays(31), 20); // none in the older window

        var result = await RunAsync(Request(start));

        result.WindowsEmpty.ShouldBe(1);
        result.WindowsStored.ShouldBe(1);
        result.Inserted.ShouldBe(20);
        var plan = (await _store.GetCursorAsync("reports", "all"))!.Backfill!;
        var empty = plan.Windows.Single(w => w.Status == OrderBackfillWindowStatus.Empty);
        empty.Start.ShouldBe(start);
        empty.RawState.ShouldBe("CANCELLED");
        _source.Reads.ShouldNotContain(empty.JobId!, "an empty window has no export to read");
    });

    [Fact]
    public Task FailedJob_IsAskedForAgain_AfterTheSourcesDelay() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-60);
        var ids = OrdersDaily(start, 59);
        _source.Fails = (window, attempt) => window.Start == start && attempt == 1;

        var result = await RunAsync(Request(start));

        var asks = _source.Requested.Where(r => r.Window.Start == start).ToArray();
        asks.Length.ShouldBe(2);
        var failedAt = _source.Polls.Last(p => p.JobId == asks[0].JobId).At;
        (asks[1].At - failedAt).ShouldBe(TimeSpan.FromMinutes(10), "asked for again once the failure's delay has passed, not before");
        result.JobsFailed.ShouldBe(1);
        result.WindowsSkipped.ShouldBe(0);
        (await StoredCountAsync(ids)).ShouldBe(59);
        var window = (await _store.GetCursorAsync("reports", "all"))!.Backfill!.Windows.Single(w => w.Start == start);
        window.Status.ShouldBe(OrderBackfillWindowStatus.Done);
        window.FailedAttempts.ShouldBe(1);
    });

    [Fact]
    public Task WindowFailingEveryTime_IsSkippedWithItsReason_AndTheNextRunAsksForItAgain() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-60);
        var ids = OrdersDaily(start, 59);
        _source.Fails = (window, _) => window.Start == start;

        var first = await RunAsync(Request(start));

        _source.Requested.Count(r => r.Window.Start == start).ShouldBe(3, "three attempts, then skipped");
        first.WindowsSkipped.ShouldBe(1);
        first.Finished.ShouldBeTrue();
        var skipped = first.SkippedWindows.ShouldHaveSingleItem();
        skipped.Reason.ShouldNotBeNull();
        skipped.Reason.ShouldContain("FATAL");
        skipped.Reason.ShouldContain("3 failed attempts");
        (await StoredCountAsync(ids)).ShouldBe(29, "the other window is stored");

        _source.Fails = null;
        var asked = _source.Requested.Count;
        var second = await RunAsync(Request(start));

        _source.Requested.Skip(asked).Select(r => r.Window.Start).ShouldBe([start], "only the skipped window is asked for again");
        second.WindowsSkipped.ShouldBe(0);
        second.Inserted.ShouldBe(30);
        (await StoredCountAsync(ids)).ShouldBe(59);
    });

    [Fact]
    public Task JobInAStateOrderHubDoesNotKnow_IsPolledOn_UntilItFinishes() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-10);
        OrdersDaily(start, 9);
        _source.UnknownStateFor = TimeSpan.FromMinutes(5);
        var reports = new List<OrderBackfillProgress>();

        var result = await RunAsync(Request(start), reports);

        result.Inserted.ShouldBe(9);
        _source.Polls.Count.ShouldBeGreaterThan(4, "polled through the state it does not know");
        reports.Select(r => r.Window?.RawState).ShouldContain("PAUSED", "the upstream's word is kept");
    });

    [Fact]
    public Task KilledWithJobsInFlight_TheNextRunPollsThemByTheirIds_AndAsksForNoWindowTwice() => WithStoreAsync(async () =>
    {
        _source.ProcessingTime = TimeSpan.FromMinutes(5);
        var ids = OrdersDaily(Now.AddDays(-149), 149);
        var polled = 0;
        _source.KillAt = step => step.StartsWith("poll:", StringComparison.Ordinal) && ++polled == 4;

        await KilledAsync(Request(Now.AddDays(-150)));
        var inFlight = (await _store.GetCursorAsync("reports", "all"))!.Backfill!.Windows.Where(w => w.Status == OrderBackfillWindowStatus.InFlight).Select(w => w.JobId).ToArray();
        inFlight.Length.ShouldBe(3, "the plan was stored with the ids of the jobs in flight");
        var asked = _source.Requested.Count;
        _source.KillAt = null;
        await RestartAsync();
        var restartedAt = _watch.GetUtcNow();

        var result = await RunAsync(Request(Now.AddDays(-150)));

        result.Resumed.ShouldBeTrue();
        _source.Polls[polled - 1].At.ShouldBe(restartedAt, "polled at once, not after a poll interval");
        _source.Requested.Select(r => r.Window).Distinct().Count().ShouldBe(_source.Requested.Count, "no window is asked for twice");
        _source.Requested.Count.ShouldBe(5);
        result.JobsRequested.ShouldBe(_source.Requested.Count - asked);
        _source.Polls.Skip(polled - 1).Take(3).Select(p => p.JobId).ShouldBe(inFlight, ignoreOrder: true, "the jobs in flight are polled again by their stored ids, first");
        result.Inserted.ShouldBe(149);
        (await StoredCountAsync(ids)).ShouldBe(149);
    });

    [Fact]
    public Task KilledWhileAnExportIsRead_TheNextRunSkipsWhatIsStored_AndStoresNothingTwice() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-20);
        var ids = OrdersDaily(start, 19);
        _source.KillAt = step => step.EndsWith(":7", StringComparison.Ordinal) && step.StartsWith("read:", StringComparison.Ordinal);

        await KilledAsync(Request(start, batchSize: 3));
        var window = (await _store.GetCursorAsync("reports", "all"))!.Backfill!.Windows.ShouldHaveSingleItem();
        window.Status.ShouldBe(OrderBackfillWindowStatus.Ready);
        window.OrdersStored.ShouldBe(6, "two batches of three were stored with the plan; the seventh order, read, was not");
        (await StoredCountAsync(ids)).ShouldBe(6);
        _source.KillAt = null;
        var polls = _source.Polls.Count;
        await RestartAsync();

        var result = await RunAsync(Request(start, batchSize: 3));

        _source.Requested.Count.ShouldBe(1, "the export is read again, not asked for again");
        _source.Polls.Count.ShouldBe(polls, "a job that is done is not polled again");
        _source.Reads.Count.ShouldBe(2);
        result.Inserted.ShouldBe(13);
        result.Unchanged.ShouldBe(0, "the six stored orders are skipped, not stored again");
        (await StoredCountAsync(ids)).ShouldBe(19);
    });

    [Fact]
    public Task KilledAfterAJobWasMade_BeforeItsIdWasStored_TheNextRunFindsItFinished() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-20);
        var ids = OrdersDaily(start, 19);
        _source.KillAt = step => step.StartsWith("request:", StringComparison.Ordinal);

        await KilledAsync(Request(start));
        (await _store.GetCursorAsync("reports", "all"))!.Backfill!.Windows.ShouldHaveSingleItem().JobId.ShouldBeNull("the kill came before the id was stored");
        _source.KillAt = null;
        _watch.Clock.Advance(TimeSpan.FromMinutes(2));
        await RestartAsync();

        var result = await RunAsync(Request(start));

        result.ExportsReused.ShouldBe(1, "the job the killed run asked for is found finished, and reused");
        _source.Requested.Count.ShouldBe(1);
        (await StoredCountAsync(ids)).ShouldBe(19);
    });

    [Fact]
    public Task Marks_AtTheEnd_AreThePlansEnd_AndTheIncrementalSyncContinuesFromThemWithItsOverlap() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-40);
        var ids = OrdersDaily(start, 39);
        var reports = new List<OrderBackfillProgress>();

        var result = await RunAsync(Request(start), reports);

        var cursor = (await _store.GetCursorAsync("reports", "all"))!;
        cursor.HighWaterMark.ShouldBe(Now - Lag, "the exports hold what was placed before the plan's end, as it was when each was made (after that end)");
        cursor.CompletedThrough.ShouldBe(Now - Lag);
        cursor.InProgress.ShouldBeFalse();
        cursor.Backfill!.FinishedAt.ShouldNotBeNull();
        reports.Where(r => r.Cursor?.CompletedThrough is not null).ShouldHaveSingleItem("the marks are set once, with the last window's last batch").Finished.ShouldBeTrue();
        result.Cursor.ShouldBe(cursor);

        // An order changed after its export was made, and one placed after the plan's end: the change feed reads both.
        _watch.Clock.Advance(TimeSpan.FromMinutes(20));
        _source.Place(ids[^1], start.AddDays(38), _watch.GetUtcNow().AddMinutes(-5), status: "Cancelled");
        _source.Place("171-0000000-9000001", Now.AddMinutes(-10));
        var lookup = new OrderLookup([_source]);
        var incremental = new IncrementalOrderSync(lookup, _store, new OrderSync(lookup, Orders, _watch), _watch);

        var next = await incremental.RunAsync(new IncrementalSyncRequest { Source = "reports" });

        _source.ChangeQueries.ShouldHaveSingleItem().After.ShouldBe(Now - Lag - IncrementalSyncRequest.DefaultOverlap);
        next.Inserted.ShouldBe(1);
        next.Updated.ShouldBe(1, "the cancelled order's full copy replaces its partial one");
        var after = (await _store.GetCursorAsync("reports", "all"))!;
        after.Backfill.ShouldBe(cursor.Backfill, "the incremental sync keeps the plan");
        after.CompletedThrough.ShouldBe(_watch.GetUtcNow() - TimeSpan.FromMinutes(2));
    });

    [Fact]
    public Task UnfinishedBackfill_RefusesTheIncrementalSync_UntilItIsFinished() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-20);
        OrdersDaily(start, 19);
        _source.KillAt = step => step.StartsWith("poll:", StringComparison.Ordinal);
        await KilledAsync(Request(start));
        var lookup = new OrderLookup([_source]);
        var incremental = new IncrementalOrderSync(lookup, _store, new OrderSync(lookup, Orders, _watch), _watch);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => incremental.RunAsync(new IncrementalSyncRequest { Source = "reports", Since = start }));

        error.Message.ShouldContain("--backfill");
        error.Message.ShouldContain("0 of 1 windows");
        _source.ChangeQueries.ShouldBeEmpty();
    });

    [Fact]
    public Task FinishedPlan_RunAgain_AsksForNothing_AndAnEarlierStartExtendsIt() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-20);
        var ids = OrdersDaily(Now.AddDays(-49), 49);
        await RunAsync(Request(start));
        var asked = _source.Requested.Count;
        var marks = (await _store.GetCursorAsync("reports", "all"))!.CompletedThrough;

        var again = await RunAsync(Request(start.AddMinutes(5)));

        again.Finished.ShouldBeTrue();
        again.JobsRequested.ShouldBe(0);
        _source.Requested.Count.ShouldBe(asked);
        _source.Finds.Count.ShouldBe(asked, "not even looked for");

        _watch.Clock.Advance(TimeSpan.FromHours(1));
        var extended = await RunAsync(Request(Now.AddDays(-50)));

        _source.Requested.Skip(asked).Select(r => r.Window).ShouldBe([new OrderBackfillWindow(Now.AddDays(-50), start)]);
        extended.Inserted.ShouldBe(29);
        (await StoredCountAsync(ids)).ShouldBe(49);
        (await _store.GetCursorAsync("reports", "all"))!.CompletedThrough.ShouldBe(marks, "a later export moves no mark: the first pass's are earlier");
    });

    [Fact]
    public Task WindowAcrossTheLineOfTheRegularExports_IsSplitThere_ItsOlderPartAskedForOnceInTheArchive() => WithStoreAsync(async () =>
    {
        // Regular exports reach back 30 days here (two years for Selling Partner); the source refuses a window across
        // that line, as Selling Partner's does, and the line moves with the clock.
        _source.BackfillRules = _source.BackfillRules with { RegularHistory = TimeSpan.FromDays(30) };
        var ids = OrdersDaily(Now.AddDays(-39).AddHours(-1), 18);

        var result = await RunAsync(Request(Now.AddDays(-40)));

        var asked = _source.Requested.OrderBy(r => r.Window.Start).ToArray();
        asked.Length.ShouldBe(3);
        var older = asked[0];
        older.Window.Start.ShouldBe(Now.AddDays(-40));
        older.Window.End.ShouldBeLessThanOrEqualTo(older.At - TimeSpan.FromDays(30), "the older part is asked for once it lies wholly in the archive");
        (older.At - Now).ShouldBe(TimeSpan.FromMinutes(1), "a minute later");
        asked[1].Window.Start.ShouldBe(older.Window.End);
        asked[1].Window.Start.ShouldBeGreaterThanOrEqualTo(asked[1].At - TimeSpan.FromDays(30), "the newer part lies wholly in the regular exports when asked for");
        asked[1].Window.End.ShouldBe(Now.AddDays(-10));
        result.Inserted.ShouldBe(18);
        (await StoredCountAsync(ids)).ShouldBe(18);
    });

    [Fact]
    public Task WindowAcrossTheLine_WhileEveryLookupWaitsForItsPermit_IsSplitOnce_NotIntoSlivers() => WithStoreAsync(async () =>
    {
        // Each lookup of a finished export waits 45 s for its permit (getReports' plan), and the line moves meanwhile:
        // the older part grows to the moved line instead of a new one-minute window being split off at every try.
        _source.BackfillRules = _source.BackfillRules with { RegularHistory = TimeSpan.FromDays(30) };
        _source.FindTakes = TimeSpan.FromSeconds(45);
        var ids = OrdersDaily(Now.AddDays(-39).AddHours(-1), 18);

        var result = await RunAsync(Request(Now.AddDays(-40)));

        var asked = _source.Requested.OrderBy(r => r.Window.Start).ToArray();
        asked.Length.ShouldBe(3, "the older part, the newer part and the window after them");
        asked[0].Window.End.ShouldBe(asked[1].Window.Start, "no gap between the two parts");
        asked[0].Window.End.ShouldBeLessThanOrEqualTo(asked[0].At - TimeSpan.FromDays(30), "the older part lies wholly in the archive when asked for");
        asked[1].Window.Start.ShouldBeGreaterThanOrEqualTo(asked[1].At - TimeSpan.FromDays(30), "the newer part lies wholly in the regular exports when asked for");
        result.Inserted.ShouldBe(18);
        (await StoredCountAsync(ids)).ShouldBe(18);
    });

    [Fact]
    public Task StartOlderThanTheSourcesReach_IsRefused_BeforeAnyRequest() => WithStoreAsync(async () =>
    {
        _source.BackfillRules = _source.BackfillRules with { MaxHistory = TimeSpan.FromDays(365) };

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => Backfill().RunAsync(Request(Now.AddDays(-400))));

        error.Message.ShouldContain("365 days");
        _source.Requested.ShouldBeEmpty();
        _source.Finds.ShouldBeEmpty();
        (await _store.GetCursorAsync("reports", "all")).ShouldBeNull("nothing is planned either");
    });

    [Fact]
    public Task HeldCursor_IsRefused_WithNothingAsked() => WithStoreAsync(async () =>
    {
        OrdersDaily(Now.AddDays(-10), 9);
        var hold = await _store.TryHoldCursorAsync("reports", "all");
        try
        {
            await Should.ThrowAsync<SyncCursorHeldException>(() => Backfill().RunAsync(Request(Now.AddDays(-10))));
        }
        finally
        {
            await hold!.DisposeAsync();
        }

        _source.Requested.ShouldBeEmpty();
    });

    [Fact]
    public Task Progress_IsReportedPerWindow_WithItsStateAndOrdersStored() => WithStoreAsync(async () =>
    {
        var start = Now.AddDays(-40);
        OrdersDaily(start, 39);
        var reports = new List<OrderBackfillProgress>();

        await RunAsync(Request(start, batchSize: 10), reports);

        var older = reports.Where(r => r.Window?.Start == start).Select(r => (r.Window!.Status, r.Window.OrdersStored)).Distinct().ToArray();
        older.ShouldBe([
            (OrderBackfillWindowStatus.InFlight, 0),
            (OrderBackfillWindowStatus.Ready, 0),
            (OrderBackfillWindowStatus.Ready, 10),
            (OrderBackfillWindowStatus.Ready, 20),
            (OrderBackfillWindowStatus.Done, 30),
        ]);
        reports[^1].Finished.ShouldBeTrue();
        reports[^1].WindowsStored.ShouldBe(2);
    });

    /// <summary>Collects reports on the caller's thread, in order.</summary>
    private sealed class Collect(List<OrderBackfillProgress> reports) : IProgress<OrderBackfillProgress>
    {
        public void Report(OrderBackfillProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
