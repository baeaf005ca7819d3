using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>The store's answers kept in memory for <see cref="OrderApiOptions.StoreCacheDuration"/>, on the API's clock.</summary>
public sealed class StoreCacheTests
{
    [Fact]
    public async Task StoreHit_IsAnsweredFromMemory_UntilTheDurationHasPassed_ThenTheStoreIsReadAgain()
    {
        var (fixture, store, clock) = await StartAsync(TimeSpan.FromSeconds(1));
        await using var disposeFixture = fixture;
        var id = fixture.Emulator.SellingPartner.OrderIds[0];

        (await fixture.GetAsync($"orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK); // a miss: read upstream, written back
        var fromStore = await fixture.GetAsync($"orders/{id}");
        var readsAfterStoreHit = store.PublicReads;
        var fromMemory = await fixture.GetAsync($"orders/{id}");
        var readsWithinDuration = store.PublicReads;
        clock.Advance(TimeSpan.FromSeconds(1));
        (await fixture.GetAsync($"orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        readsAfterStoreHit.ShouldBe(2, "the miss, then the store hit");
        readsWithinDuration.ShouldBe(2, "answered from memory");
        store.PublicReads.ShouldBe(3, "the duration passed: the store is read again");
        (await fromMemory.Content.ReadAsByteArrayAsync()).ShouldBe(await fromStore.Content.ReadAsByteArrayAsync());
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task AnOrderWrittenBack_IsReadFromTheStoreNextTime_NotFromMemory()
    {
        var (fixture, store, _) = await StartAsync(TimeSpan.FromMinutes(1));
        await using var disposeFixture = fixture;
        var id = fixture.Emulator.SellingPartner.OrderIds[0];

        await fixture.GetAsync($"orders/{id}");
        await fixture.GetAsync($"orders/{id}"); // kept in memory from here
        (await fixture.GetAsync($"orders/{id}?refresh=true", ApiFixture.RefresherKey)).StatusCode.ShouldBe(HttpStatusCode.OK); // read upstream and written back
        var readsBefore = store.PublicReads;
        (await fixture.GetAsync($"orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        store.PublicReads.ShouldBe(readsBefore + 1, "the copy in memory went with the write-back");
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(2);
    }

    [Fact]
    public async Task DurationZero_ReadsTheStoreOnEveryRequest()
    {
        var (fixture, store, _) = await StartAsync(TimeSpan.Zero);
        await using var disposeFixture = fixture;
        var id = fixture.Emulator.SellingPartner.OrderIds[0];

        for (var i = 0; i < 4; i++)
        {
            (await fixture.GetAsync($"orders/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        store.PublicReads.ShouldBe(4);
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1);
    }

    // The API over the emulator, its store counted, on a fake clock that starts now (stored orders are young enough).
    private static async Task<(ApiFixture Fixture, CountingStore Store, FakeTimeProvider Clock)> StartAsync(TimeSpan storeCacheDuration)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        CountingStore? store = null;
        var fixture = await ApiFixture.StartAsync(
            configure: o => o.StoreCacheDuration = storeCacheDuration,
            wrapStore: inner => store = new CountingStore(inner),
            timeProvider: clock);
        return (fixture, store!, clock);
    }

    [Fact]
    public void NegativeDuration_OrNoSizeLimit_IsRefusedAtRegistration_NamingTheSetting()
    {
        var negative = Should.Throw<ArgumentException>(() => new ServiceCollection().AddOrderHubApi(o => { o.AuthenticationDisabled = true; o.StoreCacheDuration = TimeSpan.FromSeconds(-1); }));
        var noLimit = Should.Throw<ArgumentException>(() => new ServiceCollection().AddOrderHubApi(o => { o.AuthenticationDisabled = true; o.StoreCacheSizeLimit = 0; }));

        negative.Message.ShouldContain("StoreCacheDuration");
        noLimit.Message.ShouldContain("StoreCacheSizeLimit");
    }
}
