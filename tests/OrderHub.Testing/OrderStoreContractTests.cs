using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// What every <see cref="IOrderStore"/> must do, whatever it is built on. Each store's tests inherit this class and
/// say how to open a fresh, empty store.
/// </summary>
public abstract class OrderStoreContractTests
{
    /// <summary>Opens a new, empty store on a clock (its stored-at times); the test disposes it if it is disposable.</summary>
    protected abstract Task<IOrderStore> CreateStoreAsync(TimeProvider timeProvider);

    /// <summary>A small Outposts order with a raw payload, in the given status.</summary>
    public static Order SampleOrder(string id = "oo-0123456789abcdef0", string status = "PREPARING") => new()
    {
        Source = "outposts",
        OrderId = id,
        AccountId = "op-0123456789abcdef0",
        Status = new ProviderValue<OrderStatus>(OrderStatus.Pending, status),
        LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Total = new Money(11.01m, "USD"),
        RawPayload = RawPayload.FromElement(JsonDocument.Parse($$"""{"OrderId":"{{id}}","Status":"{{status}}"}""").RootElement),
    };

    protected static OrderReference Ref(Order order) => new(order.Source, order.OrderId);

    /// <summary>A fetched order, as the sync hands it to a store.</summary>
    public static SyncResult Fetched(Order order) => new() { Reference = Ref(order), Order = order };

    protected static SyncResult Failed(OrderReference reference, bool permanent) =>
        new() { Reference = reference, Failure = new SyncFailure(reference, permanent ? "not found" : "unavailable", "E", 1, "req-1", permanent) };

    private async Task<T> WithStoreAsync<T>(Func<IOrderStore, Task<T>> test, TimeProvider? timeProvider = null)
    {
        var store = await CreateStoreAsync(timeProvider ?? TimeProvider.System);
        try
        {
            return await test(store);
        }
        finally
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    [Fact]
    public Task AddToRun_CountsOnlyReferencesNewToTheRun() => WithStoreAsync(async store =>
    {
        OrderReference[] references = [new("outposts", "oo-00000000000000001"), new("outposts", "oo-00000000000000002")];

        (await store.AddToRunAsync("run", references)).ShouldBe(2);
        (await store.AddToRunAsync("run", [references[1], new("outposts", "oo-00000000000000003")])).ShouldBe(1);
        (await store.AddToRunAsync("other", references)).ShouldBe(2, "runs are separate");
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(3, 0, 0));
        return true;
    });

    [Fact]
    public Task GetPending_ListsTheRunsReferencesInTheOrderAdded_WithRetryableFailures_WithoutDoneOrPermanent() => WithStoreAsync(async store =>
    {
        var orders = Enumerable.Range(1, 5).Select(i => SampleOrder($"oo-{i:D17}")).ToArray();
        await store.AddToRunAsync("run", [.. orders.Select(Ref)]);
        await store.AddToRunAsync("other", [new("outposts", "oo-99999999999999999")]);

        await store.CommitAsync("run", [Fetched(orders[1]), Failed(Ref(orders[2]), permanent: false), Failed(Ref(orders[3]), permanent: true)]);

        var pending = new List<OrderReference>();
        await foreach (var reference in store.GetPendingAsync("run"))
        {
            pending.Add(reference);
        }

        pending.ShouldBe([Ref(orders[0]), Ref(orders[2]), Ref(orders[4])]);
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(Pending: 3, Done: 1, Failed: 1));
        return true;
    });

    [Fact]
    public Task Commit_StoresOrders_AndTellsInsertedUnchangedUpdated() => WithStoreAsync(async store =>
    {
        var order = SampleOrder();
        await store.AddToRunAsync("run", [Ref(order)]);

        (await store.CommitAsync("run", [Fetched(order)])).ShouldBe([StoreOutcome.Inserted]);
        (await store.CommitAsync("run", [Fetched(order)])).ShouldBe([StoreOutcome.Unchanged]);
        (await store.CommitAsync("run", [Fetched(SampleOrder(status: "IN_PROGRESS"))])).ShouldBe([StoreOutcome.Updated]);

        var stored = await store.GetAsync("outposts", order.OrderId);
        stored.ShouldNotBeNull();
        stored.Reference.ShouldBe(Ref(order));
        Encoding.UTF8.GetString(stored.Json).ShouldContain("IN_PROGRESS");
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 1, 0));
        return true;
    });

    [Fact]
    public Task Commit_RecordsFailuresWithTheirReasonAndRequestId() => WithStoreAsync(async store =>
    {
        OrderReference gone = new("outposts", "oo-00000000000000001"), down = new("outposts", "oo-00000000000000002");
        await store.AddToRunAsync("run", [gone, down]);

        (await store.CommitAsync("run", [Failed(gone, permanent: true), Failed(down, permanent: false)])).ShouldBe([StoreOutcome.Failed, StoreOutcome.Failed]);

        var failures = await store.GetFailuresAsync("run");
        failures.Select(f => (f.Reference, f.Permanent, f.Reason, f.RequestId)).ShouldBe([(gone, true, "not found", "req-1"), (down, false, "unavailable", "req-1")]);
        (await store.GetAsync(gone.Source, gone.OrderId)).ShouldBeNull();
        return true;
    });

    [Fact]
    public Task Upsert_OutsideARun_TellsInsertedUnchangedUpdated_AndTouchesNoRun() => WithStoreAsync(async store =>
    {
        (await store.UpsertAsync(SampleOrder())).ShouldBe(StoreOutcome.Inserted);
        (await store.UpsertAsync(SampleOrder())).ShouldBe(StoreOutcome.Unchanged);
        (await store.UpsertAsync(SampleOrder(status: "DELIVERED"))).ShouldBe(StoreOutcome.Updated);

        Encoding.UTF8.GetString((await store.GetAsync("outposts", "oo-0123456789abcdef0"))!.Json).ShouldContain("DELIVERED");
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 0, 0));
        return true;
    });

    [Fact]
    public Task AnOlderCopy_NeverReplacesANewerOne_InACommitOrAnUpsert() => WithStoreAsync(async store =>
    {
        var newer = SampleOrder(status: "DELIVERED") with { LastUpdatedAt = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero) };
        var older = SampleOrder(status: "PREPARING") with { LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero) };
        await store.AddToRunAsync("run", [Ref(newer)]);

        (await store.UpsertAsync(newer)).ShouldBe(StoreOutcome.Inserted);
        (await store.CommitAsync("run", [Fetched(older)])).ShouldBe([StoreOutcome.Superseded]);
        (await store.UpsertAsync(older)).ShouldBe(StoreOutcome.Superseded);

        Encoding.UTF8.GetString((await store.GetAsync("outposts", newer.OrderId))!.Json).ShouldContain("DELIVERED");
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 1, 0), "the reference is done: the store holds a copy at least as new");
        return true;
    });

    [Fact]
    public Task APartialCopy_NeverReplacesAFullOneOfTheSameOrANewerUpdate_InACommitAnUpsertOrAPage() => WithStoreAsync(async store =>
    {
        var at = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero);
        var full = SampleOrder(status: "DELIVERED") with { LastUpdatedAt = at };
        var partialSame = SampleOrder(status: "PREPARING") with { LastUpdatedAt = at, Completeness = OrderCompleteness.Partial };
        var partialOlder = partialSame with { LastUpdatedAt = at.AddHours(-1) };
        await store.AddToRunAsync("run", [Ref(full)]);
        (await store.UpsertAsync(full)).ShouldBe(StoreOutcome.Inserted);

        (await store.UpsertAsync(partialSame)).ShouldBe(StoreOutcome.Superseded);
        (await store.UpsertAsync(partialOlder)).ShouldBe(StoreOutcome.Superseded);
        (await store.CommitAsync("run", [Fetched(partialSame)])).ShouldBe([StoreOutcome.Superseded]);
        if (store is ISyncCursorStore cursors)
        {
            (await cursors.CommitPageAsync("outposts", "all", [partialSame], new SyncCursor { UpdatedAt = at })).ShouldBe([StoreOutcome.Superseded]);
        }

        var stored = Encoding.UTF8.GetString((await store.GetAsync("outposts", full.OrderId))!.Json);
        stored.ShouldContain("DELIVERED");
        stored.ShouldNotContain("completeness");
        return true;
    });

    [Fact]
    public Task APartialCopyOfANewerUpdate_ReplacesAFullOne_AndAFullCopy_AlwaysReplacesAPartialOne() => WithStoreAsync(async store =>
    {
        var at = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero);
        var full = SampleOrder(status: "PREPARING") with { LastUpdatedAt = at };
        var partialNewer = SampleOrder(status: "DELIVERED") with { LastUpdatedAt = at.AddHours(1), Completeness = OrderCompleteness.Partial };
        (await store.UpsertAsync(full)).ShouldBe(StoreOutcome.Inserted);

        (await store.UpsertAsync(partialNewer)).ShouldBe(StoreOutcome.Updated);
        Encoding.UTF8.GetString((await store.GetAsync("outposts", full.OrderId))!.Json).ShouldContain("\"completeness\":\"Partial\"");

        // Even of an older update: the full copy holds what the partial one lacks.
        (await store.UpsertAsync(full)).ShouldBe(StoreOutcome.Updated);
        var stored = Encoding.UTF8.GetString((await store.GetAsync("outposts", full.OrderId))!.Json);
        stored.ShouldContain("PREPARING");
        stored.ShouldNotContain("completeness");

        // Once full again, the partial copy of the same update no longer replaces it.
        (await store.UpsertAsync(partialNewer with { LastUpdatedAt = at })).ShouldBe(StoreOutcome.Superseded);
        return true;
    });

    [Fact]
    public Task APartialCopy_OverAPartialOne_FollowsTheUsualRules() => WithStoreAsync(async store =>
    {
        var at = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero);
        var partial = SampleOrder(status: "PREPARING") with { LastUpdatedAt = at, Completeness = OrderCompleteness.Partial };

        (await store.UpsertAsync(partial)).ShouldBe(StoreOutcome.Inserted);
        (await store.UpsertAsync(partial)).ShouldBe(StoreOutcome.Unchanged);
        (await store.UpsertAsync(partial with { Status = new ProviderValue<OrderStatus>(OrderStatus.Delivered, "DELIVERED") })).ShouldBe(StoreOutcome.Updated);
        (await store.UpsertAsync(partial with { LastUpdatedAt = at.AddHours(-1) })).ShouldBe(StoreOutcome.Superseded);
        return true;
    });

    [Fact]
    public Task AnOlderCopy_NeverReplacesANewerOne_InAnIncrementalPage() => WithStoreAsync(async store =>
    {
        if (store is not ISyncCursorStore cursors)
        {
            return false;
        }

        var newer = SampleOrder(status: "DELIVERED") with { LastUpdatedAt = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero) };
        var older = SampleOrder(status: "PREPARING") with { LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero) };
        await store.UpsertAsync(newer);

        (await cursors.CommitPageAsync("outposts", "all", [older], new SyncCursor { UpdatedAt = newer.LastUpdatedAt!.Value })).ShouldBe([StoreOutcome.Superseded]);

        Encoding.UTF8.GetString((await store.GetAsync("outposts", newer.OrderId))!.Json).ShouldContain("DELIVERED");
        return true;
    });

    [Fact]
    public Task ACopyWithoutLastUpdate_OrOverOneWithout_ReplacesIt() => WithStoreAsync(async store =>
    {
        // Only two known times are compared: a copy that cannot say how new it is is taken as the latest read.
        var known = SampleOrder(status: "DELIVERED");
        (await store.UpsertAsync(known)).ShouldBe(StoreOutcome.Inserted);
        (await store.UpsertAsync(SampleOrder(status: "UNDATED") with { LastUpdatedAt = null })).ShouldBe(StoreOutcome.Updated);
        (await store.UpsertAsync(SampleOrder(status: "DATED_AGAIN") with { LastUpdatedAt = known.LastUpdatedAt!.Value.AddDays(-1) })).ShouldBe(StoreOutcome.Updated);

        Encoding.UTF8.GetString((await store.GetAsync("outposts", known.OrderId))!.Json).ShouldContain("DATED_AGAIN");
        return true;
    });

    [Fact]
    public Task Requeue_MakesEveryReferenceOfTheRunPendingAgain_AndNoOtherRun() => WithStoreAsync(async store =>
    {
        var orders = Enumerable.Range(1, 3).Select(i => SampleOrder($"oo-{i:D17}")).ToArray();
        await store.AddToRunAsync("run", [.. orders.Select(Ref)]);
        await store.AddToRunAsync("other", [Ref(orders[0])]);
        await store.CommitAsync("run", [Fetched(orders[0]), Failed(Ref(orders[1]), permanent: true)]);
        await store.CommitAsync("other", [Fetched(orders[0])]);

        (await store.RequeueAsync("run")).ShouldBe(2);

        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(3, 0, 0));
        (await store.CountRunAsync("other")).ShouldBe(new SyncRunCounts(0, 1, 0));
        (await store.GetAsync("outposts", orders[0].OrderId)).ShouldNotBeNull("the stored order stays until it is read again");
        return true;
    });

    [Fact]
    public Task Get_UnknownOrder_IsNull() => WithStoreAsync(async store =>
    {
        (await store.GetAsync("outposts", "oo-0123456789abcdef0")).ShouldBeNull();
        (await store.GetPublicAsync("outposts", "oo-0123456789abcdef0")).ShouldBeNull();
        return true;
    });

    [Fact]
    public Task GetPublic_IsThePublicJsonAndStoredAtOfGet_AndFollowsEachUpdate() => WithStoreAsync(async store =>
    {
        await store.UpsertAsync(SampleOrder("oo-00000000000000001"));
        await store.UpsertAsync(SampleOrder("oo-00000000000000002"));

        for (var round = 0; round < 3; round++)
        {
            // Read again after each update: a reused read must see what was written since.
            var status = round == 0 ? "PREPARING" : $"STATUS_{round}";
            if (round > 0)
            {
                await store.UpsertAsync(SampleOrder("oo-00000000000000001", status));
            }

            var full = await store.GetAsync("outposts", "oo-00000000000000001");
            var shown = await store.GetPublicAsync("outposts", "oo-00000000000000001");
            shown.ShouldNotBeNull();
            shown.Reference.ShouldBe(new OrderReference("outposts", "oo-00000000000000001"));
            shown.PublicJson.ShouldBe(full!.PublicJson);
            shown.StoredAt.ShouldBe(full.StoredAt);
            Encoding.UTF8.GetString(shown.PublicJson).ShouldContain(status);
        }

        Encoding.UTF8.GetString((await store.GetPublicAsync("outposts", "oo-00000000000000002"))!.PublicJson).ShouldContain("oo-00000000000000002");
        return true;
    });

    [Fact]
    public Task Stored_ContentHash_IsTheSameForTheSameOrder_AndDiffersForAnother() => WithStoreAsync(async store =>
    {
        await store.UpsertAsync(SampleOrder("oo-00000000000000001"));
        await store.UpsertAsync(SampleOrder("oo-00000000000000002"));
        var first = await store.GetAsync("outposts", "oo-00000000000000001");
        var second = await store.GetAsync("outposts", "oo-00000000000000002");

        first!.ContentHash.ShouldBe(OrderHub.Json.OrderJson.ContentHash(SampleOrder("oo-00000000000000001")));
        second!.ContentHash.ShouldNotBe(first.ContentHash);
        return true;
    });

    [Fact]
    public Task StoredAt_IsTheStoresClock_OnEveryWritePath()
    {
        // Far from now: a store that took the time from its database server (or the machine) cannot pass by chance. The
        // lookup API compares the stored-at time with its own clock, the one the store is given.
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        return WithStoreAsync(
            async store =>
            {
                var upserted = SampleOrder("oo-00000000000000001");
                await store.UpsertAsync(upserted);
                (await store.GetAsync(upserted.Source, upserted.OrderId))!.StoredAt.ShouldBe(clock.GetUtcNow(), "an upsert");
                (await store.GetPublicAsync(upserted.Source, upserted.OrderId))!.StoredAt.ShouldBe(clock.GetUtcNow(), "the public view");

                clock.Advance(TimeSpan.FromDays(3));
                var committed = SampleOrder("oo-00000000000000002");
                await store.AddToRunAsync("run", [Ref(committed)]);
                await store.CommitAsync("run", [Fetched(committed)]);
                (await store.GetAsync(committed.Source, committed.OrderId))!.StoredAt.ShouldBe(clock.GetUtcNow(), "a run's commit");

                if (store is ISyncCursorStore cursors)
                {
                    clock.Advance(TimeSpan.FromDays(3));
                    var paged = SampleOrder("oo-00000000000000003");
                    await cursors.CommitPageAsync(paged.Source, "all", [paged], new SyncCursor { UpdatedAt = clock.GetUtcNow() });
                    (await store.GetAsync(paged.Source, paged.OrderId))!.StoredAt.ShouldBe(clock.GetUtcNow(), "an incremental page");
                }

                return true;
            },
            clock);
    }
}
