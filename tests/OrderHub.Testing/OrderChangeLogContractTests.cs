using System.Text;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// What every store's change log (<see cref="IOrderChangeLog"/>) must do. Each store's tests inherit this class and say
/// how to open a fresh, empty store and, for a store that keeps its data, how to open it again.
/// </summary>
public abstract class OrderChangeLogContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Opens a new, empty store on a clock with a change log retention; the test disposes it.</summary>
    /// <returns>The store, and how to open its data again once it is disposed (<see langword="null"/> for a store that keeps nothing).</returns>
    protected abstract Task<(IOrderStore Store, Func<Task<IOrderStore>>? Reopen)> CreateStoreAsync(TimeProvider timeProvider, TimeSpan retention);

    private static Order Placed(string id) => OrderStoreContractTests.SampleOrder(id);

    private static Order Shipped(string id, int hoursLater = 1) => Placed(id) with
    {
        Status = new ProviderValue<OrderStatus>(OrderStatus.Shipped, "SHIPPED"),
        LastUpdatedAt = Placed(id).LastUpdatedAt!.Value.AddHours(hoursLater),
    };

    private async Task WithStoreAsync(Func<IOrderStore, IOrderChangeLog, TimerWatch, Func<Task<IOrderStore>>?, Task> test, TimeSpan? retention = null)
    {
        var clock = new TimerWatch(new FakeTimeProvider(Start));
        var (store, reopen) = await CreateStoreAsync(clock, retention ?? TimeSpan.FromDays(7));
        try
        {
            await test(store, (IOrderChangeLog)store, clock, reopen);
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    private static async Task DisposeAsync(IOrderStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
            case IDisposable disposable: disposable.Dispose(); break;
        }
    }

    private static async Task<IReadOnlyList<OrderChange>> ReadAllAsync(IOrderChangeLog log, long after = 0) =>
        (await log.ReadAsync(after, IOrderChangeLog.MaxReadLimit)).Changes;

    [Fact]
    public Task Writes_LogCreatedAndUpdated_WithStatuses_NeverUnchangedOrSuperseded() => WithStoreAsync(async (store, log, clock, _) =>
    {
        (await log.ReadAsync(0, 10)).Changes.ShouldBeEmpty("a new store's log is empty");

        (await store.UpsertAsync(Placed("oo-00000000000000001"))).ShouldBe(StoreOutcome.Inserted);
        (await store.UpsertAsync(Placed("oo-00000000000000001"))).ShouldBe(StoreOutcome.Unchanged);
        clock.Clock.Advance(TimeSpan.FromMinutes(5));
        (await store.UpsertAsync(Shipped("oo-00000000000000001"))).ShouldBe(StoreOutcome.Updated);
        (await store.UpsertAsync(Placed("oo-00000000000000001") with { Status = new ProviderValue<OrderStatus>(OrderStatus.Cancelled, "CANCELLED") })).ShouldBe(StoreOutcome.Superseded);

        var changes = await ReadAllAsync(log);

        changes.Count.ShouldBe(2, "one entry per insert and per changed content, none for unchanged or superseded copies");
        changes[0].Kind.ShouldBe(OrderChangeKind.Created);
        changes[0].Reference.ShouldBe(new OrderReference("outposts", "oo-00000000000000001"));
        changes[0].StatusBefore.ShouldBeNull();
        changes[0].StatusAfter.ShouldBe(OrderStatus.Pending);
        changes[0].ChangedAt.ShouldBe(Start);
        changes[1].Kind.ShouldBe(OrderChangeKind.Updated);
        changes[1].StatusBefore.ShouldBe(OrderStatus.Pending);
        changes[1].StatusAfter.ShouldBe(OrderStatus.Shipped);
        changes[1].ChangedAt.ShouldBe(Start.AddMinutes(5));
        changes[1].Position.ShouldBeGreaterThan(changes[0].Position);

        // The entries keep no JSON: both carry the order as it is now.
        var current = (await store.GetPublicAsync("outposts", "oo-00000000000000001"))!.PublicJson;
        changes[0].PublicJson.ShouldBe(current);
        changes[1].PublicJson.ShouldBe(current);
        Encoding.UTF8.GetString(current).ShouldContain("\"shipped\"", Case.Insensitive);
    });

    [Fact]
    public Task Commits_OfRunsAndPages_AreLoggedAsUpserts() => WithStoreAsync(async (store, log, _, _) =>
    {
        var first = Placed("oo-00000000000000001");
        var second = Placed("oo-00000000000000002");
        await store.AddToRunAsync("run", [new("outposts", first.OrderId), new("outposts", second.OrderId), new("outposts", "oo-00000000000000003")]);
        var failed = new OrderReference("outposts", "oo-00000000000000003");

        (await store.CommitAsync("run", [OrderStoreContractTests.Fetched(first), OrderStoreContractTests.Fetched(second), new SyncResult { Reference = failed, Failure = new SyncFailure(failed, "unavailable", "E", 1, null, false) }]))
            .ShouldBe([StoreOutcome.Inserted, StoreOutcome.Inserted, StoreOutcome.Failed]);
        if (store is ISyncCursorStore cursors)
        {
            (await cursors.CommitPageAsync("outposts", "all", [Shipped(first.OrderId), second], new SyncCursor { HighWaterMark = Start }))
                .ShouldBe([StoreOutcome.Updated, StoreOutcome.Unchanged]);
        }

        var changes = await ReadAllAsync(log);

        changes.Select(c => (c.Reference.OrderId, c.Kind)).ShouldBe(
            store is ISyncCursorStore
                ? [(first.OrderId, OrderChangeKind.Created), (second.OrderId, OrderChangeKind.Created), (first.OrderId, OrderChangeKind.Updated)]
                : [(first.OrderId, OrderChangeKind.Created), (second.OrderId, OrderChangeKind.Created)]);
        changes.Select(c => c.Position).ShouldBeInOrder(SortDirection.Ascending);
        changes.Select(c => c.Position).Distinct().Count().ShouldBe(changes.Count);
    });

    [Fact]
    public Task Read_PagesInPositionOrder_AndAfterTheLastIsEmpty() => WithStoreAsync(async (store, log, _, _) =>
    {
        for (var i = 1; i <= 5; i++)
        {
            await store.UpsertAsync(Placed($"oo-{i:D17}"));
        }

        var seen = new List<OrderChange>();
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(after, 2);
            page.Changes.Count.ShouldBeLessThanOrEqualTo(2);
            if (page.Changes.Count == 0)
            {
                page.LastPosition.ShouldBe(after, "an empty page leaves the position where it was");
                break;
            }

            page.LastPosition.ShouldBe(page.Changes[^1].Position);
            seen.AddRange(page.Changes);
            after = page.LastPosition;
        }

        seen.Select(c => c.Reference.OrderId).ShouldBe([.. Enumerable.Range(1, 5).Select(i => $"oo-{i:D17}")]);
        seen.Select(c => c.Position).ShouldBeInOrder(SortDirection.Ascending);
        (await log.ReadAsync(after + 1000, 10)).Changes.ShouldBeEmpty("a position past the last is read as nothing new yet");
    });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public Task Read_LimitOutsideItsRange_IsRefusedNamingTheRange(int limit) => WithStoreAsync(async (_, log, _, _) =>
    {
        var error = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => log.ReadAsync(0, limit));

        error.ParamName.ShouldBe("limit");
        error.Message.ShouldContain("between 1 and 1000");
        (await log.ReadAsync(0, 1000)).Changes.ShouldBeEmpty("the bounds themselves are accepted");
        (await log.ReadAsync(0, 1)).Changes.ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => log.ReadAsync(-1, 10));
    });

    [Fact]
    public Task Prune_RemovesWhatIsOlderThanTheRetention_AndAReadAfterItFails() => WithStoreAsync(
        async (store, log, clock, _) =>
        {
            await store.UpsertAsync(Placed("oo-00000000000000001"));
            await store.UpsertAsync(Placed("oo-00000000000000002"));
            var old = await ReadAllAsync(log);
            clock.Clock.Advance(TimeSpan.FromDays(2));
            await store.UpsertAsync(Placed("oo-00000000000000003"));
            (await log.PruneAsync()).ShouldBe(0, "nothing is older than the retention yet");
            (await ReadAllAsync(log)).Count.ShouldBe(3);

            clock.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
            (await log.PruneAsync()).ShouldBe(old[^1].Position, "the entries of the first day are past the retention");

            var kept = await ReadAllAsync(log, old[^1].Position);
            kept.Select(c => c.Reference.OrderId).ShouldBe(["oo-00000000000000003"]);
            var expired = await Should.ThrowAsync<OrderChangePositionExpiredException>(() => log.ReadAsync(0, 10));
            expired.Position.ShouldBe(0);
            expired.PrunedThrough.ShouldBe(old[^1].Position);
            expired.Message.ShouldContain("Start again from a query");
            (await Should.ThrowAsync<OrderChangePositionExpiredException>(() => log.ReadAsync(old[0].Position, 10))).PrunedThrough.ShouldBe(old[^1].Position);
        },
        TimeSpan.FromDays(7));

    [Fact]
    public Task Writes_PruneByThemselves() => WithStoreAsync(
        async (store, log, clock, _) =>
        {
            await store.UpsertAsync(Placed("oo-00000000000000001"));
            var first = (await ReadAllAsync(log)).Single();

            clock.Clock.Advance(TimeSpan.FromHours(2));
            await store.UpsertAsync(Placed("oo-00000000000000002"));

            await Should.ThrowAsync<OrderChangePositionExpiredException>(() => log.ReadAsync(0, 10));
            (await ReadAllAsync(log, first.Position)).Select(c => c.Reference.OrderId).ShouldBe(["oo-00000000000000002"], "the write that found an entry past the retention pruned it");
        },
        TimeSpan.FromHours(1));

    [Fact]
    public Task Consumers_AreListed_AndAFailingMarkKeepsItsStart_UntilCleared() => WithStoreAsync(async (store, log, clock, reopen) =>
    {
        (await log.GetConsumersAsync()).ShouldBeEmpty();
        (await log.SetConsumerFailureAsync("webhook:erp", "HTTP 500")).ShouldBeFalse("a consumer without a stored position is not marked");
        await log.SetConsumerPositionAsync("webhook:erp", 5);
        await log.SetConsumerPositionAsync("reader:audit", 2);

        var marked = clock.GetUtcNow();
        (await log.SetConsumerFailureAsync("webhook:erp", "HTTP 500")).ShouldBeTrue();
        clock.Clock.Advance(TimeSpan.FromMinutes(10));
        await log.SetConsumerFailureAsync("webhook:erp", "no answer within 00:00:10");
        await log.SetConsumerPositionAsync("webhook:erp", 6);

        var consumers = await log.GetConsumersAsync();
        consumers.Select(c => c.Name).ShouldBe(["reader:audit", "webhook:erp"]);
        consumers[0].ShouldBe(new OrderChangeConsumer("reader:audit", 2, marked, null, null));
        consumers[1].Position.ShouldBe(6, "storing a position keeps the mark");
        consumers[1].UpdatedAt.ShouldBe(clock.GetUtcNow());
        consumers[1].FailingSince.ShouldBe(marked, "failing since it was first marked");
        consumers[1].Failure.ShouldBe("no answer within 00:00:10", "the last failure");

        if (reopen is not null)
        {
            await DisposeAsync(store);
            store = await reopen();
            log = (IOrderChangeLog)store;
            (await log.GetConsumersAsync())[1].FailingSince.ShouldBe(marked, "the mark is stored, for every process to see");
        }

        (await log.SetConsumerFailureAsync("webhook:erp", null)).ShouldBeTrue();
        var cleared = (await log.GetConsumersAsync())[1];
        cleared.FailingSince.ShouldBeNull();
        cleared.Failure.ShouldBeNull();
        await DisposeAsync(store);
    });

    [Fact]
    public Task Consumers_Advance_OnlyFromThePositionTheyReadFrom() => WithStoreAsync(async (store, log, _, _) =>
    {
        (await log.AdvanceConsumerPositionAsync("erp", 0, 3)).ShouldBeFalse("a consumer that stored no position has none to move on from");
        (await log.GetConsumerPositionAsync("erp")).ShouldBeNull();
        await log.SetConsumerPositionAsync("erp", 5);
        await log.SetConsumerPositionAsync("warehouse", 5);

        (await log.AdvanceConsumerPositionAsync("erp", 5, 9)).ShouldBeTrue();
        await log.SetConsumerPositionAsync("erp", 2); // a replay, stored between a deliverer's read and its write
        (await log.AdvanceConsumerPositionAsync("erp", 9, 12)).ShouldBeFalse("the replay's position wins");

        (await log.GetConsumerPositionAsync("erp")).ShouldBe(2);
        (await log.GetConsumerPositionAsync("warehouse")).ShouldBe(5, "only the named consumer moves");
        (await log.AdvanceConsumerPositionAsync("erp", 2, 4)).ShouldBeTrue();
        (await log.GetConsumerPositionAsync("erp")).ShouldBe(4);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => log.AdvanceConsumerPositionAsync("erp", -1, 5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => log.AdvanceConsumerPositionAsync("erp", 4, -1));
        await DisposeAsync(store);
    });

    [Fact]
    public Task Consumers_KeepTheirPositions_AcrossReopen() => WithStoreAsync(async (store, log, _, reopen) =>
    {
        (await log.GetConsumerPositionAsync("erp")).ShouldBeNull();
        await log.SetConsumerPositionAsync("erp", 5);
        await log.SetConsumerPositionAsync("warehouse", 2);
        await log.SetConsumerPositionAsync("erp", 7);

        (await log.GetConsumerPositionAsync("erp")).ShouldBe(7);
        (await log.GetConsumerPositionAsync("warehouse")).ShouldBe(2);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => log.SetConsumerPositionAsync("erp", -1));
        await Should.ThrowAsync<ArgumentException>(() => log.SetConsumerPositionAsync(" ", 1));

        if (reopen is not null)
        {
            await DisposeAsync(store);
            var again = await reopen();
            try
            {
                (await ((IOrderChangeLog)again).GetConsumerPositionAsync("erp")).ShouldBe(7, "a consumer's position is stored, not kept in memory");
            }
            finally
            {
                await DisposeAsync(again);
            }
        }
    });

    [Fact]
    public Task Wait_ReturnsTrueWhenAWriteLands() => WithStoreAsync(async (store, log, clock, _) =>
    {
        await store.UpsertAsync(Placed("oo-00000000000000001"));
        var last = (await log.ReadAsync(0, 10)).LastPosition;
        (await log.WaitAsync(0, TimeSpan.Zero)).ShouldBeTrue("an entry after 0 exists already");

        var wait = log.WaitAsync(last, TimeSpan.FromSeconds(30));
        wait.IsCompleted.ShouldBeFalse("nothing after the last entry yet");
        await store.UpsertAsync(Shipped("oo-00000000000000001"));

        // The clock moves through a store's short polls, never up to the timeout: the wait must end before it.
        await clock.AdvanceUntilAsync(
            () => wait.IsCompleted,
            "the wait saw the new entry",
            readyToAdvance: () => clock.NextDue is { } due && due - clock.GetUtcNow() <= TimeSpan.FromSeconds(1));
        (await wait).ShouldBeTrue();
        clock.GetUtcNow().ShouldBeLessThan(Start.AddSeconds(30), "it returned at once, not at the timeout");
    });

    [Fact]
    public Task Wait_ReturnsFalseAtTheTimeout() => WithStoreAsync(async (store, log, clock, _) =>
    {
        await store.UpsertAsync(Placed("oo-00000000000000001"));
        var last = (await log.ReadAsync(0, 10)).LastPosition;

        var wait = log.WaitAsync(last, TimeSpan.FromSeconds(5));
        await clock.AdvanceUntilAsync(() => wait.IsCompleted, "the wait timed out");

        (await wait).ShouldBeFalse();
        clock.GetUtcNow().ShouldBeGreaterThanOrEqualTo(Start.AddSeconds(5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => log.WaitAsync(last, TimeSpan.FromSeconds(-1)));
    });

    [Fact]
    public Task Change_ToString_ShowsNoOrderContent() => WithStoreAsync(async (store, log, _, _) =>
    {
        await store.UpsertAsync(Placed("oo-00000000000000001"));
        var change = (await ReadAllAsync(log)).Single();

        change.ToString().ShouldBe($"OrderChange {{ Position = {change.Position}, outposts/oo-00000000000000001, Created }}");
        new OrderChangeLogPage([change], change.Position).ToString().ShouldNotContain("PREPARING");
    });
}
