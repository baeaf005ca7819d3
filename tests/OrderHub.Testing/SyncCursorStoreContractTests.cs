using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// What every <see cref="ISyncCursorStore"/> must do: cursors kept per source and scope, field for field, and a page's
/// orders written with the cursor after it. Each store's tests inherit this class and say how to open a fresh store.
/// </summary>
public abstract class SyncCursorStoreContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, 123, TimeSpan.Zero);

    /// <summary>Opens a new, empty store; the test disposes it if it is disposable.</summary>
    protected abstract Task<ISyncCursorStore> CreateStoreAsync();

    private static SyncCursor Unfinished => new()
    {
        HighWaterMark = T0.AddMinutes(-5),
        CompletedThrough = T0.AddHours(-1),
        WindowStart = T0.AddHours(-1).AddMinutes(-10),
        WindowEnd = T0,
        PageToken = "token/with+characters=",
        PageTokenIssuedAt = T0.AddSeconds(30),
        PagesRead = 3,
        UpdatedAt = T0.AddSeconds(31),
    };

    // A plan with a window in every state, each member set somewhere, at times with sub-millisecond parts and offsets.
    private static OrderBackfillPlan Plan => new()
    {
        Start = T0.AddDays(-90),
        End = T0.AddMinutes(-30),
        PlannedAt = T0,
        Windows =
        [
            new() { Start = T0.AddDays(-90), End = T0.AddDays(-60), Status = OrderBackfillWindowStatus.Done, JobId = "50001", RawState = "DONE", DocumentId = "amzn1.tortuga.4.eu.T1", RequestedAt = T0.AddSeconds(1), ExportedAt = T0.AddTicks(12_345), OrdersStored = 1234 },
            new() { Start = T0.AddDays(-60), End = T0.AddDays(-30), Status = OrderBackfillWindowStatus.Pending, FailedAttempts = 2, NotBefore = new DateTimeOffset(2026, 11, 20, 10, 10, 0, TimeSpan.FromHours(2)), Reason = "FATAL (report 50002)" },
            new() { Start = T0.AddDays(-30), End = T0.AddDays(-1), Status = OrderBackfillWindowStatus.InFlight, JobId = "50003", RawState = "IN_PROGRESS", RequestedAt = T0.AddSeconds(2), ExportedAt = T0.AddSeconds(2) },
            new() { Start = T0.AddDays(-1), End = T0.AddHours(-2), Status = OrderBackfillWindowStatus.Ready, JobId = "50004", DocumentId = "d4", Reused = true, ExportedAt = T0.AddHours(-1), OrdersStored = 500 },
            new() { Start = T0.AddHours(-2), End = T0.AddHours(-1), Status = OrderBackfillWindowStatus.Empty, JobId = "50005", RawState = "CANCELLED" },
            new() { Start = T0.AddHours(-1), End = T0.AddMinutes(-30), Status = OrderBackfillWindowStatus.Skipped, FailedAttempts = 3, Reason = "failed 3 times" },
        ],
        FinishedAt = null,
    };

    private async Task WithStoreAsync(Func<ISyncCursorStore, Task> test)
    {
        var store = await CreateStoreAsync();
        try
        {
            await test(store);
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
    public Task Get_BeforeAnyRun_IsNull() => WithStoreAsync(async store =>
        (await store.GetCursorAsync("sp-api", "all")).ShouldBeNull());

    [Fact]
    public Task Save_ThenGet_KeepsEveryField_PerSourceAndScope() => WithStoreAsync(async store =>
    {
        await store.SaveCursorAsync("sp-api", "marketplaces=ATVPDKIKX0DER", Unfinished);
        await store.SaveCursorAsync("sp-api", "all", new SyncCursor { CompletedThrough = T0, UpdatedAt = T0 });

        var read = await store.GetCursorAsync("sp-api", "marketplaces=ATVPDKIKX0DER");
        read.ShouldBe(Unfinished);
        read!.InProgress.ShouldBeTrue();
        (await store.GetCursorAsync("sp-api", "all")).ShouldBe(new SyncCursor { CompletedThrough = T0, UpdatedAt = T0 });
        (await store.GetCursorAsync("sp-eu", "marketplaces=ATVPDKIKX0DER")).ShouldBeNull("a cursor belongs to one source");
    });

    [Fact]
    public Task Save_ThenGet_KeepsTheBackfillPlan_WindowByWindow() => WithStoreAsync(async store =>
    {
        var withPlan = Unfinished with { Backfill = Plan };
        await store.SaveCursorAsync("sp-api", "all", withPlan);

        var read = await store.GetCursorAsync("sp-api", "all");
        read.ShouldBe(withPlan);
        read!.Backfill!.Windows.Select(w => w.Status).ShouldBe(Plan.Windows.Select(w => w.Status));
        read.Backfill.IsFinished.ShouldBeFalse();

        var finished = Plan with { Windows = [.. Plan.Windows.Select(w => w with { Status = OrderBackfillWindowStatus.Done })], FinishedAt = T0.AddHours(1) };
        var orders = (IOrderStore)store;
        (await store.CommitPageAsync("sp-api", "all", [OrderStoreContractTests.SampleOrder("oo-0000000000000000c")], new SyncCursor { CompletedThrough = T0, UpdatedAt = T0, Backfill = finished }))
            .ShouldBe([StoreOutcome.Inserted]);
        (await store.GetCursorAsync("sp-api", "all"))!.Backfill.ShouldBe(finished, "a window is marked in the transaction of its batch");
        (await orders.GetAsync("outposts", "oo-0000000000000000c")).ShouldNotBeNull();
    });

    [Fact]
    public Task Save_Again_ReplacesTheCursor_ClearingWhatTheNewOneLeavesOut() => WithStoreAsync(async store =>
    {
        await store.SaveCursorAsync("sp-api", "all", Unfinished with { Backfill = Plan });
        var finished = new SyncCursor { HighWaterMark = T0.AddMinutes(-1), CompletedThrough = T0, UpdatedAt = T0.AddMinutes(1) };

        await store.SaveCursorAsync("sp-api", "all", finished);

        var read = await store.GetCursorAsync("sp-api", "all");
        read.ShouldBe(finished);
        read!.InProgress.ShouldBeFalse();
        read.PageToken.ShouldBeNull();
        read.Backfill.ShouldBeNull();
    });

    [Fact]
    public Task CommitPage_StoresTheOrdersAndTheCursor_AndTellsInsertedUnchangedUpdated() => WithStoreAsync(async store =>
    {
        var orders = (IOrderStore)store;
        var a = OrderStoreContractTests.SampleOrder("oo-0000000000000000a");
        var b = OrderStoreContractTests.SampleOrder("oo-0000000000000000b");

        (await store.CommitPageAsync("outposts", "all", [a, b], Unfinished)).ShouldBe([StoreOutcome.Inserted, StoreOutcome.Inserted]);
        var next = Unfinished with { PageToken = "next", PagesRead = 4 };
        (await store.CommitPageAsync("outposts", "all", [a, OrderStoreContractTests.SampleOrder("oo-0000000000000000b", "DELIVERED")], next))
            .ShouldBe([StoreOutcome.Unchanged, StoreOutcome.Updated]);

        (await store.GetCursorAsync("outposts", "all")).ShouldBe(next);
        (await orders.GetAsync("outposts", "oo-0000000000000000a")).ShouldNotBeNull();
        (await orders.GetAsync("outposts", "oo-0000000000000000b"))!.ContentHash.ShouldBe(OrderHub.Json.OrderJson.ContentHash(OrderStoreContractTests.SampleOrder("oo-0000000000000000b", "DELIVERED")));
    });

    [Fact]
    public Task Delete_ForgetsThatCursorOnly() => WithStoreAsync(async store =>
    {
        await store.SaveCursorAsync("sp-api", "all", Unfinished);
        await store.SaveCursorAsync("sp-api", "marketplaces=A1PA6795UKMFR9", Unfinished);

        (await store.DeleteCursorAsync("sp-api", "all")).ShouldBeTrue();
        (await store.DeleteCursorAsync("sp-api", "all")).ShouldBeFalse("it is gone");

        (await store.GetCursorAsync("sp-api", "all")).ShouldBeNull();
        (await store.GetCursorAsync("sp-api", "marketplaces=A1PA6795UKMFR9")).ShouldNotBeNull();
    });

    [Fact]
    public Task Hold_IsExclusivePerCursor_UntilLetGo() => WithStoreAsync(async store =>
    {
        var first = await store.TryHoldCursorAsync("sp-api", "all");
        first.ShouldNotBeNull();

        (await store.TryHoldCursorAsync("sp-api", "all")).ShouldBeNull("one reader per cursor");
        var other = await store.TryHoldCursorAsync("sp-api", "marketplaces=A1PA6795UKMFR9");
        other.ShouldNotBeNull("another scope is another cursor");
        await other.DisposeAsync();
        await first.DisposeAsync();

        var again = await store.TryHoldCursorAsync("sp-api", "all");
        again.ShouldNotBeNull("let go, the cursor can be held again");
        await again.DisposeAsync();
    });
}
