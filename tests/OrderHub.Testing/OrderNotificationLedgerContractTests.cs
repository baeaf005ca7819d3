using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// What every <see cref="IOrderNotificationLedger"/> must do: a notification acted on once, its order stored with it in
/// one transaction under the store's usual rules, a second delivery writing nothing, and ids forgotten after the
/// retention. Each store's tests inherit this class and say how to open a fresh store.
/// </summary>
public abstract class OrderNotificationLedgerContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Opens a new, empty store on a clock; the test disposes it if it is disposable.</summary>
    protected abstract Task<IOrderNotificationLedger> CreateStoreAsync(TimeProvider timeProvider);

    private static Order At(string status, int minute) =>
        OrderStoreContractTests.SampleOrder(status: status) with { LastUpdatedAt = T0.AddMinutes(minute) };

    private async Task WithStoreAsync(Func<IOrderNotificationLedger, FakeTimeProvider, Task> test)
    {
        var clock = new FakeTimeProvider(T0);
        var store = await CreateStoreAsync(clock);
        try
        {
            await test(store, clock);
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
    public Task ANewNotification_StoresItsOrder_AndIsSeenAfterwards() => WithStoreAsync(async (store, _) =>
    {
        var order = At("PREPARING", 1);
        (await store.LookUpNotificationAsync("outposts", "n-1", order.OrderId)).ShouldBe(new NotificationLookup(false, false, null, false));

        (await store.CommitNotificationAsync("outposts", "n-1", order)).ShouldBe(new NotificationCommit(false, StoreOutcome.Inserted));

        (await store.LookUpNotificationAsync("outposts", "n-1", order.OrderId)).ShouldBe(new NotificationLookup(true, true, T0.AddMinutes(1), false));
        (await ((IOrderStore)store).GetAsync("outposts", order.OrderId)).ShouldNotBeNull();
    });

    [Fact]
    public Task ASecondDelivery_WritesNothing_EvenWithOtherContent() => WithStoreAsync(async (store, _) =>
    {
        var first = At("PREPARING", 1);
        await store.CommitNotificationAsync("outposts", "n-1", first);
        var hash = (await ((IOrderStore)store).GetAsync("outposts", first.OrderId))!.ContentHash;

        (await store.CommitNotificationAsync("outposts", "n-1", At("DELIVERED", 2))).ShouldBe(new NotificationCommit(true, null));

        (await ((IOrderStore)store).GetAsync("outposts", first.OrderId))!.ContentHash.ShouldBe(hash);
    });

    [Fact]
    public Task ANotificationRecordedAlone_IsSeen_AndLeavesTheOrderAsItWas() => WithStoreAsync(async (store, _) =>
    {
        (await store.CommitNotificationAsync("outposts", "n-1", null)).ShouldBe(new NotificationCommit(false, null));

        var known = await store.LookUpNotificationAsync("outposts", "n-1", "oo-0123456789abcdef0");
        known.Seen.ShouldBeTrue();
        known.Stored.ShouldBeFalse();
    });

    [Fact]
    public Task AnOlderChangeDeliveredLate_IsRecorded_ButNeverReplacesTheNewerCopy() => WithStoreAsync(async (store, _) =>
    {
        (await store.CommitNotificationAsync("outposts", "n-2", At("DELIVERED", 2))).Outcome.ShouldBe(StoreOutcome.Inserted);

        (await store.CommitNotificationAsync("outposts", "n-1", At("PREPARING", 1))).ShouldBe(new NotificationCommit(false, StoreOutcome.Superseded));

        (await store.LookUpNotificationAsync("outposts", "n-1", "oo-0123456789abcdef0")).ShouldBe(new NotificationLookup(true, true, T0.AddMinutes(2), false));
    });

    [Fact]
    public Task APartialCopy_IsSaidToBePartial() => WithStoreAsync(async (store, _) =>
    {
        await ((IOrderStore)store).UpsertAsync(At("PREPARING", 1) with { Completeness = OrderCompleteness.Partial });

        (await store.LookUpNotificationAsync("outposts", "n-1", "oo-0123456789abcdef0")).ShouldBe(new NotificationLookup(false, true, T0.AddMinutes(1), true));
    });

    [Fact]
    public Task Ids_ArePerSource() => WithStoreAsync(async (store, _) =>
    {
        await store.CommitNotificationAsync("outposts", "n-1", null);

        (await store.LookUpNotificationAsync("sp-api", "n-1", "171-0000000-0000001")).Seen.ShouldBeFalse();
        (await store.CommitNotificationAsync("sp-api", "n-1", null)).Duplicate.ShouldBeFalse();
    });

    [Fact]
    public Task AnOrderOfAnotherSource_IsRefused() => WithStoreAsync(async (store, _) =>
    {
        var error = await Should.ThrowAsync<ArgumentException>(() => store.CommitNotificationAsync("sp-api", "n-1", At("PREPARING", 1)));

        error.Message.ShouldContain("'outposts', not 'sp-api'");
        (await store.LookUpNotificationAsync("sp-api", "n-1", "oo-0123456789abcdef0")).Seen.ShouldBeFalse();
    });

    [Fact]
    public Task ConcurrentDeliveriesOfOneNotification_AreActedOnOnce() => WithStoreAsync(async (store, _) =>
    {
        var commits = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.CommitNotificationAsync("outposts", "n-1", At("PREPARING", i)))));

        commits.Count(c => !c.Duplicate).ShouldBe(1);
        commits.Where(c => c.Duplicate).ShouldAllBe(c => c.Outcome == null);
    });

    [Fact]
    public Task AnId_IsForgottenAfterTheRetention_AtTheNextWrite() => WithStoreAsync(async (store, clock) =>
    {
        await store.CommitNotificationAsync("outposts", "n-old", null);
        clock.Advance(TimeSpan.FromDays(13));
        await store.CommitNotificationAsync("outposts", "n-recent", At("PREPARING", 1));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5));
        await store.CommitNotificationAsync("outposts", "n-new", At("DELIVERED", 2));

        (await store.LookUpNotificationAsync("outposts", "n-old", "x")).Seen.ShouldBeFalse("recorded 14 days and 5 minutes ago");
        (await store.LookUpNotificationAsync("outposts", "n-recent", "x")).Seen.ShouldBeTrue("recorded a day ago");
        (await store.LookUpNotificationAsync("outposts", "n-new", "x")).Seen.ShouldBeTrue();
    });
}
