using Microsoft.Extensions.Time.Testing;
using OrderHub.RateLimits;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests;

public sealed class InProcessQuotaStoreTests : QuotaStoreContractTests
{
    private readonly InProcessQuotaStore _store = new();

    protected override IQuotaStore CreateStore() => _store;

    [Fact]
    public async Task ReserveAsync_RefillsAtTheRateOnTheStoresClock()
    {
        var time = new FakeTimeProvider();
        var store = new InProcessQuotaStore(time);
        var quota = new QuotaDefinition("p", permitsPerSecond: 2, burst: 2);
        await store.ReserveAsync(quota, new QuotaReservationRequest());
        await store.ReserveAsync(quota, new QuotaReservationRequest());

        var third = await store.ReserveAsync(quota, new QuotaReservationRequest());
        time.Advance(TimeSpan.FromSeconds(1.5));
        var fourth = await store.ReserveAsync(quota, new QuotaReservationRequest());

        third.Wait.ShouldBe(TimeSpan.FromMilliseconds(500));
        fourth.Wait.ShouldBe(TimeSpan.Zero, "3 permits accrued in 1.5 s: one paid the third's debt, one is the fourth's");
        fourth.Bucket.Permits.ShouldBe(1, 1e-9);
    }

    [Fact]
    public async Task ReserveAsync_RefillNeverExceedsTheBurst()
    {
        var time = new FakeTimeProvider();
        var store = new InProcessQuotaStore(time);
        var quota = new QuotaDefinition("p", permitsPerSecond: 10, burst: 3);
        await store.ReserveAsync(quota, new QuotaReservationRequest { Permits = 3 });

        time.Advance(TimeSpan.FromHours(1));
        var after = await store.ReserveAsync(quota, new QuotaReservationRequest { Permits = 0 });

        after.Bucket.Permits.ShouldBe(3);
    }

    [Fact]
    public async Task ReserveAsync_FirstPermitOfAFullBucket_PausesTheRefillForTheDelay()
    {
        var time = new FakeTimeProvider();
        var store = new InProcessQuotaStore(time);
        var quota = new QuotaDefinition("p", permitsPerSecond: 1, burst: 1) { RefillDelayAfterBurst = TimeSpan.FromMilliseconds(200) };

        await store.ReserveAsync(quota, new QuotaReservationRequest());
        var second = await store.ReserveAsync(quota, new QuotaReservationRequest());

        second.Wait.ShouldBe(TimeSpan.FromMilliseconds(1200), "the upstream's bucket starts refilling only when the burst has reached it");
    }
}
