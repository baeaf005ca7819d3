using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync;

/// <summary>The incremental sync over a scripted change feed and the in-memory store, on a fake clock.</summary>
public sealed class IncrementalOrderSyncTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly TimerWatch _watch;
    private readonly InMemoryOrderStore _store = new();
    private readonly ScriptedChangeFeed _feed;

    public IncrementalOrderSyncTests()
    {
        _watch = new TimerWatch(_time);
        _feed = new ScriptedChangeFeed(_time);
    }

    private IncrementalOrderSync Sync()
    {
        var lookup = new OrderLookup([_feed]);
        return new IncrementalOrderSync(lookup, _store, new OrderSync(lookup, _store, _watch), _watch);
    }

    private static IncrementalSyncRequest Request(DateTimeOffset? since = null) => new() { Source = "feed", Since = since };

    private ScriptedChangeFeed Orders(int count, DateTimeOffset first, TimeSpan step)
    {
        for (var i = 0; i < count; i++)
        {
            _feed.Put($"100-0000000-{i:D7}", first + (step * i));
        }

        return _feed;
    }

    [Fact]
    public async Task FirstRun_WithoutSince_IsRefused_AndSendsNothing()
    {
        Orders(3, Now.AddDays(-1), TimeSpan.FromHours(1));

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => Sync().RunAsync(Request()));

        error.Message.ShouldContain("--since");
        _feed.Requests.ShouldBeEmpty();
        (await _store.GetCursorAsync("feed", "all")).ShouldBeNull();
    }

    [Fact]
    public async Task FirstRun_FromSince_StoresEveryOrderUpdatedSince_AndKeepsTheLatestUpdateAsTheMark()
    {
        Orders(5, Now.AddDays(-3), TimeSpan.FromHours(12));
        _feed.Put("100-0000000-9000001", Now.AddDays(-10)); // before the start
        _feed.Put("100-0000000-9000002", Now.AddMinutes(-1)); // not settled yet

        var result = await Sync().RunAsync(Request(Now.AddDays(-7)));

        result.Inserted.ShouldBe(5);
        result.Pages.ShouldBe(3);
        result.WindowsCompleted.ShouldBe(1);
        _store.OrderCount.ShouldBe(5);
        _feed.Requests.ShouldAllBe(q => q.After == Now.AddDays(-7) && q.Before == Now.AddMinutes(-2));
        var cursor = await _store.GetCursorAsync("feed", "all");
        cursor.ShouldNotBeNull();
        cursor.InProgress.ShouldBeFalse();
        cursor.HighWaterMark.ShouldBe(Now.AddDays(-1));
        cursor.CompletedThrough.ShouldBe(Now.AddMinutes(-2));
    }

    [Fact]
    public async Task NextRun_StartsAtTheMarkLessTheOverlap_CountsChangedAsUpdated_RereadAsUnchanged_NewAsInserted()
    {
        Orders(5, Now.AddDays(-3), TimeSpan.FromHours(12));
        _feed.Put("100-0000000-9000002", Now.AddMinutes(-1));
        await Sync().RunAsync(Request(Now.AddDays(-7)));
        _time.Advance(TimeSpan.FromMinutes(30));
        _feed.Put("100-0000000-0000000", Now.AddMinutes(10), status: "Shipped"); // changed since the first run
        _feed.Put("100-0000000-9000003", Now.AddMinutes(20)); // new
        var before = _feed.Requests.Count;

        var result = await Sync().RunAsync(Request());

        _feed.Requests[before].After.ShouldBe(Now.AddDays(-1) - IncrementalSyncRequest.DefaultOverlap);
        _feed.Requests[before].Before.ShouldBe(Now.AddMinutes(28));
        result.Updated.ShouldBe(1);
        result.Inserted.ShouldBe(2, "the order that had not settled, and the new one");
        result.Unchanged.ShouldBe(1, "the order at the mark is read again by the overlap, and stored once");
        _store.OrderCount.ShouldBe(7);
        (await _store.GetCursorAsync("feed", "all"))!.HighWaterMark.ShouldBe(Now.AddMinutes(20));
    }

    [Fact]
    public async Task OrderChangedWhileALongWindowIsRead_DoesNotMoveTheNextWindowPastOrdersUpdatedAfterTheEnd()
    {
        Orders(6, Now.AddDays(-2), TimeSpan.FromHours(1));
        var end = Now.AddMinutes(-2);
        _feed.BeforePage = q =>
        {
            if (q.PageToken == "2")
            {
                // The read is slow (a long window at the documented plan): meanwhile one order of a later page changes,
                // and another order is updated after the window's end but well before that change.
                _time.Advance(TimeSpan.FromMinutes(20));
                _feed.Put("100-0000000-0000004", _time.GetUtcNow().AddMinutes(-1), status: "Shipped");
                _feed.Put("100-0000000-9000001", Now.AddMinutes(5));
            }
        };

        var first = await Sync().RunAsync(Request(Now.AddDays(-7)));

        first.Inserted.ShouldBe(6);
        var cursor = (await _store.GetCursorAsync("feed", "all"))!;
        cursor.HighWaterMark.ShouldBe(end, "the changed order's update lies past the window's end; the mark stops there");
        _feed.BeforePage = null;
        _time.Advance(TimeSpan.FromMinutes(10));
        var before = _feed.Requests.Count;

        var second = await Sync().RunAsync(Request());

        _feed.Requests[before].After.ShouldBe(end - IncrementalSyncRequest.DefaultOverlap);
        (await _store.GetAsync("feed", "100-0000000-9000001")).ShouldNotBeNull("the order updated after the first window's end is read by the next one");
        second.Inserted.ShouldBe(1);
        _store.OrderCount.ShouldBe(7);
    }

    [Fact]
    public async Task MarkStoredPastTheLastWindowsEnd_NextWindowStartsAtThatEnd()
    {
        // A cursor written before marks were capped: its mark lies past the end of the window it completed.
        Orders(2, Now.AddHours(-5), TimeSpan.FromHours(1));
        var through = Now.AddHours(-6);
        await _store.SaveCursorAsync("feed", "all", new SyncCursor { HighWaterMark = Now.AddHours(-1), CompletedThrough = through, UpdatedAt = through });

        var result = await Sync().RunAsync(Request());

        _feed.Requests[0].After.ShouldBe(through - IncrementalSyncRequest.DefaultOverlap);
        result.Inserted.ShouldBe(2);
    }

    [Fact]
    public async Task StoppedAfterAPage_ResumesItsWindowFromTheSavedToken_ReadingNoPageTwice()
    {
        Orders(10, Now.AddDays(-2), TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        _feed.BeforePage = q =>
        {
            if (q.PageToken == "4")
            {
                stop.Cancel(); // the page being read is still stored; the run stops after it
            }
        };

        await Should.ThrowAsync<OperationCanceledException>(() => Sync().RunAsync(Request(Now.AddDays(-7)), cancellationToken: stop.Token));
        var saved = await _store.GetCursorAsync("feed", "all");
        saved.ShouldNotBeNull();
        saved.InProgress.ShouldBeTrue();
        saved.PagesRead.ShouldBe(3);
        saved.PageToken.ShouldBe("6");
        _store.OrderCount.ShouldBe(6);

        _feed.BeforePage = null;
        _time.Advance(TimeSpan.FromHours(1));
        var before = _feed.Requests.Count;
        var result = await Sync().RunAsync(Request(Now.AddDays(-7)));

        result.Resumed.ShouldBeTrue();
        result.Inserted.ShouldBe(4);
        result.Unchanged.ShouldBe(0, "no page is read twice");
        _feed.Requests.Skip(before).Select(q => q.PageToken).ShouldBe(["6", "8"]);
        _feed.Requests.Skip(before).ShouldAllBe(q => q.After == Now.AddDays(-7) && q.Before == Now.AddMinutes(-2), "the same window, whatever the time now");
        _store.OrderCount.ShouldBe(10);
        (await _store.GetCursorAsync("feed", "all"))!.InProgress.ShouldBeFalse();
    }

    [Fact]
    public async Task ExpiredPageToken_ReadsTheWindowAgainFromItsStart_NotTheWholeHistory()
    {
        Orders(10, Now.AddDays(-2), TimeSpan.FromHours(1));
        _feed.ExpireTokenOnce = "4";

        var result = await Sync().RunAsync(Request(Now.AddDays(-7)));

        result.WindowRestarts.ShouldBe(1);
        result.Inserted.ShouldBe(10);
        result.Unchanged.ShouldBe(4, "the pages read before the token expired are read again, and stored once");
        _feed.Requests.Select(q => q.PageToken).ShouldBe([null, "2", "4", null, "2", "4", "6", "8"]);
        _feed.Requests.ShouldAllBe(q => q.After == Now.AddDays(-7) && q.Before == Now.AddMinutes(-2));
    }

    [Fact]
    public async Task SavedTokenOlderThanItsLifetime_IsNotSent_TheWindowStartsOver()
    {
        Orders(6, Now.AddDays(-2), TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        _feed.BeforePage = q =>
        {
            if (q.PageToken is null)
            {
                stop.Cancel();
            }
        };
        await Should.ThrowAsync<OperationCanceledException>(() => Sync().RunAsync(Request(Now.AddDays(-7)), cancellationToken: stop.Token));
        _feed.BeforePage = null;
        _time.Advance(TimeSpan.FromHours(25));
        var before = _feed.Requests.Count;

        var result = await Sync().RunAsync(Request());

        _feed.Requests[before].PageToken.ShouldBeNull();
        _feed.Requests[before].After.ShouldBe(Now.AddDays(-7));
        _feed.Requests[before].Before.ShouldBe(Now.AddMinutes(-2));
        result.WindowRestarts.ShouldBe(1);
        _store.OrderCount.ShouldBe(6);
    }

    [Fact]
    public async Task Since_IsIgnoredOnceACursorIsStored_UnlessReset()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        _feed.Put("100-0000000-9000001", Now.AddDays(-10));
        await Sync().RunAsync(Request(Now.AddDays(-7)));
        _time.Advance(TimeSpan.FromHours(1));

        var before = _feed.Requests.Count;
        await Sync().RunAsync(Request(Now.AddDays(-30)));
        _feed.Requests[before].After.ShouldBe(Now.AddDays(-2).AddHours(2) - IncrementalSyncRequest.DefaultOverlap);

        before = _feed.Requests.Count;
        var reset = await Sync().RunAsync(Request(Now.AddDays(-30)) with { Reset = true });
        _feed.Requests[before].After.ShouldBe(Now.AddDays(-30));
        reset.Inserted.ShouldBe(1, "only the order before the first start is new");
    }

    [Fact]
    public async Task QueryTheUpstreamWouldRefuse_IsRefusedBeforeAnyRequest_AndStoresNoCursor()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        var tooMany = Enumerable.Range(0, 51).Select(i => $"MARKET{i}").ToArray();

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => Sync().RunAsync(Request(Now.AddDays(-7)) with { MarketplaceIds = tooMany }));
        var unsettled = await Should.ThrowAsync<InvalidOrderRequestException>(() => Sync().RunAsync(Request(Now.AddMinutes(-1))));

        error.Message.ShouldContain("at most 50 marketplaces");
        unsettled.Message.ShouldContain("2 minutes before now");
        _feed.Requests.ShouldBeEmpty();
        _store.OrderCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("unsettled")]
    [InlineData("marketplaces")]
    [InlineData("status")]
    [InlineData("page size")]
    [InlineData("poll interval")]
    public void Validate_RefusesWhatTheRunWouldRefuse_WithoutTouchingTheCursorStore(string what)
    {
        var request = Request(Now.AddDays(-7));
        request = what switch
        {
            "unsettled" => request with { Since = Now.AddMinutes(-1) },
            "marketplaces" => request with { MarketplaceIds = [.. Enumerable.Range(0, 51).Select(i => $"MARKET{i}")] },
            "status" => request with { FulfillmentStatuses = ["LOST"] },
            "page size" => request with { PageSize = 0 },
            _ => request with { PollInterval = TimeSpan.FromSeconds(1) },
        };
        var lookup = new OrderLookup([_feed]);
        var untouchable = new UntouchableCursorStore();
        var sync = new IncrementalOrderSync(lookup, untouchable, new OrderSync(lookup, _store, _watch), _watch);

        Should.Throw<InvalidOrderRequestException>(() => sync.Validate(request));
        sync.Validate(Request(Now.AddDays(-7))); // and lets a good one through

        untouchable.Calls.ShouldBe(0);
        _feed.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_SourceThatCanNeitherListChangesNorOrders_IsRefused()
    {
        var plain = new Sources.InMemoryOrderSource("plain", Sources.InMemoryOrderSource.ThreeSevenSeven);
        var lookup = new OrderLookup([plain]);
        var sync = new IncrementalOrderSync(lookup, _store, new OrderSync(lookup, _store, _watch), _watch);

        Should.Throw<InvalidOrderRequestException>(() => sync.Validate(new IncrementalSyncRequest { Source = "plain", Since = Now.AddDays(-1) }))
            .Message.ShouldContain("cannot be followed");
        Should.Throw<InvalidOrderRequestException>(() => sync.Validate(new IncrementalSyncRequest { Source = "other" })).ParameterName.ShouldBe("source");
    }

    [Fact]
    public async Task Follow_ReadsAWindow_WaitsThePollInterval_ReadsTheNext_AndStopsWhenCancelled()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        using var stop = new CancellationTokenSource();
        var reports = new List<IncrementalSyncProgress>();
        var following = Sync().FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromMinutes(5) }, new SynchronousProgress(reports.Add), stop.Token);

        await Eventually.TrueAsync(() => _feed.Requests.Count == 2, "the first window is read");
        _feed.Put("100-0000000-9000009", Now.AddMinutes(1));
        await _watch.AdvanceUntilAsync(() => _feed.Requests.Count >= 3, "the follower polls again");

        _time.GetUtcNow().ShouldBeGreaterThanOrEqualTo(Now.AddMinutes(5), "no poll before the interval");
        await Eventually.TrueAsync(() => reports.Count >= 3, "the second window is stored");
        await stop.CancelAsync();
        var totals = await following;

        totals.Inserted.ShouldBe(4);
        totals.WindowsCompleted.ShouldBe(2);
        _store.OrderCount.ShouldBe(4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(179)]
    public async Task Follow_PollIntervalShorterThanThePagePlansReplenishment_IsRefused_BeforeAnyRequest(int seconds)
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));

        // Accepted, such a follower would poll until stopped: the token ends it if the check is missing.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => Sync().FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromSeconds(seconds) }, cancellationToken: stop.Token));

        error.Message.ShouldContain("at least 180 s");
        error.ParameterName.ShouldBe(nameof(IncrementalSyncRequest.PollInterval));
        _feed.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Follow_PollTheUpstreamFails_IsTriedAgainAtTheNextPoll_FromTheSameStart()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        var failures = 1;
        _feed.BeforePage = _ =>
        {
            if (Interlocked.Decrement(ref failures) >= 0)
            {
                throw new OrderSourceUnavailableException("The upstream is down.", new OrderErrorContext("feed"));
            }
        };
        using var stop = new CancellationTokenSource();
        var following = Sync().FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromMinutes(5) }, cancellationToken: stop.Token);

        await Eventually.TrueAsync(() => _feed.Requests.Count == 1, "the first poll is made");
        await _watch.AdvanceUntilAsync(() => _store.OrderCount == 3, "the follower polls again", () => following.IsFaulted.ShouldBeFalse("an outage does not end the follower"));

        _feed.Requests[1].After.ShouldBe(Now.AddDays(-7), "no window was read: the next poll starts from --since again");
        await stop.CancelAsync();
        (await following).Inserted.ShouldBe(3);
    }

    [Fact]
    public async Task Follow_PageThatCannotBeReadOnce_IsReadAgainAtTheNextPoll_LosingNothing()
    {
        Orders(6, Now.AddDays(-2), TimeSpan.FromHours(1));
        var failures = 1;
        _feed.BeforePage = q =>
        {
            if (q.PageToken == "2" && Interlocked.Decrement(ref failures) >= 0)
            {
                throw new OrderSourceProtocolException("The page was cut short.", null, new OrderErrorContext("feed") { RequestId = "req-cut" });
            }
        };
        using var stop = new CancellationTokenSource();
        var following = Sync().FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromMinutes(5) }, cancellationToken: stop.Token);

        await AdvanceUntilAsync(following, () => _store.OrderCount == 6, "the page is read again at the next poll");

        _feed.Requests.Select(q => q.PageToken).Take(4).ShouldBe([null, "2", "2", "4"], "the next poll resumes at the page that failed");
        await stop.CancelAsync();
        var totals = await following;
        totals.Inserted.ShouldBe(6);
        totals.PagesSkipped.ShouldBe(0);
    }

    [Fact]
    public async Task Follow_PageThatStaysUnreadable_IsSkippedAfterTheDocumentedPolls_Recorded_AndTheFollowerGoesOn()
    {
        Orders(6, Now.AddDays(-2), TimeSpan.FromHours(1));
        _feed.BeforePage = q =>
        {
            if (q.PageToken == "2" && q.After == Now.AddDays(-7))
            {
                throw new OrderSourceProtocolException("An order of the page is not in the documented form.", null, new OrderErrorContext("feed") { RequestId = "req-bad" });
            }
        };
        using var stop = new CancellationTokenSource();
        var reports = new List<IncrementalSyncProgress>();
        var following = Sync().FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromMinutes(5), UnreadablePagePolls = 3 }, new SynchronousProgress(reports.Add), stop.Token);

        await AdvanceUntilAsync(following, () => reports.Any(r => r.PagesSkipped == 1), "the page is skipped");
        var end = Now.AddMinutes(-2);
        _feed.Requests.Count(q => q.PageToken == "2").ShouldBe(3, "tried at three polls in a row, then skipped");
        var record = await _store.GetCursorAsync("feed", SkippedWindow.ScopeOf("all", Now.AddDays(-7)));
        record.ShouldNotBeNull("the skipped window is recorded, nothing is lost silently");
        record.WindowStart.ShouldBe(Now.AddDays(-7));
        record.WindowEnd.ShouldBe(end);
        record.PageToken.ShouldBe("2");
        record.PagesRead.ShouldBe(1);
        var skipped = reports.Last(r => r.PagesSkipped == 1).SkippedWindows.ShouldHaveSingleItem();
        (skipped.Page, skipped.RequestId).ShouldBe((2, "req-bad"));

        // The follower goes on after the skipped window's end.
        _feed.Put("100-0000000-9000009", _time.GetUtcNow().AddMinutes(-5));
        await AdvanceUntilAsync(following, () => _store.OrderCount == 3, "the next window is read");
        _feed.Requests.Last().After.ShouldBe(end - IncrementalSyncRequest.DefaultOverlap);
        await stop.CancelAsync();
        (await following).PagesSkipped.ShouldBe(1);
    }

    [Fact]
    public async Task Follow_RefusedCredentials_EndTheFollower()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        _feed.BeforePage = _ => throw new OrderSourceAuthenticationException("Refused.", new OrderErrorContext("feed"));

        await Should.ThrowAsync<OrderSourceAuthenticationException>(() => Sync().FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromMinutes(5) }));

        _feed.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Run_WhileAnotherReaderHoldsTheCursor_IsRefused_ReadingNothing()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        await using var other = await _store.TryHoldCursorAsync("feed", "all");

        var error = await Should.ThrowAsync<SyncCursorHeldException>(() => Sync().RunAsync(Request(Now.AddDays(-7))));

        error.Message.ShouldContain("one reader per cursor");
        _feed.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Follow_StandsByWhileAnotherReaderHoldsTheCursor_AndTakesOverWhenItLetsGo()
    {
        Orders(3, Now.AddDays(-2), TimeSpan.FromHours(1));
        var other = await _store.TryHoldCursorAsync("feed", "all");
        using var logs = new OrderHub.Testing.CapturingLoggerProvider();
        using var stop = new CancellationTokenSource();
        var lookup = new OrderLookup([_feed]);
        var sync = new IncrementalOrderSync(lookup, _store, new OrderSync(lookup, _store, _watch), _watch, logs.CreateLogger<IncrementalOrderSync>());
        var following = sync.FollowAsync(Request(Now.AddDays(-7)) with { PollInterval = TimeSpan.FromMinutes(5) }, cancellationToken: stop.Token);

        await Eventually.TrueAsync(() => logs.Lines.Any(l => l.Contains("another reader holds the cursor; standing by")), "the follower stands by");
        _feed.Requests.ShouldBeEmpty("the cursor is held: nothing is read");

        await other!.DisposeAsync();
        await _watch.AdvanceUntilAsync(() => _store.OrderCount == 3, "the standby takes over", () => following.IsFaulted.ShouldBeFalse());

        await stop.CancelAsync();
        (await following).Inserted.ShouldBe(3);
    }

    // Moves the fake clock from one armed wait to the next until the follower has done what is awaited.
    private Task AdvanceUntilAsync(Task following, Func<bool> done, string what) =>
        _watch.AdvanceUntilAsync(done, what, () => following.IsCompleted.ShouldBeFalse($"the follower ended before {what}: {following.Exception?.InnerException?.Message}"));

    private sealed class SynchronousProgress(Action<IncrementalSyncProgress> report) : IProgress<IncrementalSyncProgress>
    {
        public void Report(IncrementalSyncProgress value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }

    /// <summary>A cursor store that counts every call: validation must make none.</summary>
    private sealed class UntouchableCursorStore : ISyncCursorStore
    {
        public int Calls { get; private set; }

        public Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default) => Touch<SyncCursor?>(null);

        public Task SaveCursorAsync(string source, string scope, SyncCursor cursor, CancellationToken cancellationToken = default) => Touch(0);

        public Task<IReadOnlyList<StoreOutcome>> CommitPageAsync(string source, string scope, IReadOnlyList<Order> orders, SyncCursor cursor, CancellationToken cancellationToken = default) => Touch<IReadOnlyList<StoreOutcome>>([]);

        public Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default) => Touch(false);

        public Task<IAsyncDisposable?> TryHoldCursorAsync(string source, string scope, CancellationToken cancellationToken = default) => Touch<IAsyncDisposable?>(null);

        private Task<T> Touch<T>(T value)
        {
            Calls++;
            return Task.FromResult(value);
        }
    }
}
