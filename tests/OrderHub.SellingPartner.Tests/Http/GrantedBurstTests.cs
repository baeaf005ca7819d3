using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>
/// A seller whose plan grants a smaller burst than the documented 30, judged by the emulator's own usage plan on a
/// fake clock that the client shares: no time passes while requests are in flight, so what the server refuses is
/// exactly what the client sent beyond the plan.
/// </summary>
public sealed class GrantedBurstTests
{
    private const int Readers = 16;
    private const int GrantedBurst = 10;
    private static readonly OrderReadOptions FailFast = new() { ThrottleMode = ThrottleMode.FailFast };

    [Fact]
    public async Task ABurstSmallerThanDocumented_IsLearnedAtTheFirst429s_AndTheNextBurstSendsOnlyIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpGetOrderBurst = GrantedBurst, SpOrderCount = 2 * Readers });
        var source = Source(emulator, new RateLimiterRegistry(clock), clock);
        var ids = emulator.SellingPartner.OrderIdsOf(0);

        var first = await ReadAtOnceAsync(source, ids.Take(Readers));

        // The first burst goes out before the server says its plan is smaller: at most the readers beyond the granted
        // burst are refused (fewer on a busy machine, where the first 429 can empty the bucket before the last readers
        // take a permit, and they are then refused here without a request).
        var throttledInTheFirstBurst = emulator.SellingPartner.Throttled;
        var sentInTheFirstBurst = emulator.SellingPartner.GetOrderRequests;
        throttledInTheFirstBurst.ShouldBeInRange(1, Readers - GrantedBurst);
        first.ShouldBe(GrantedBurst);
        source.GetOrderRateLimiter.Burst.ShouldBe(GrantedBurst, "the burst the server granted is learned");

        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await ReadAtOnceAsync(source, ids.Skip(Readers).Take(Readers));

        second.ShouldBe(GrantedBurst);
        emulator.SellingPartner.Throttled.ShouldBe(throttledInTheFirstBurst, "after the first burst, no more than the granted burst is sent at once");
        emulator.SellingPartner.GetOrderRequests.ShouldBe(sentInTheFirstBurst + GrantedBurst);
    }

    [Fact]
    public async Task ALearnedBurst_IsSharedThroughTheStore_WithAnotherProcessOfTheSameSeller()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpGetOrderBurst = GrantedBurst, SpOrderCount = 2 * Readers });
        var store = new InProcessQuotaStore(clock);
        var learner = Source(emulator, new RateLimiterRegistry(new QuotaStoreAccess(store, clock), clock), clock);
        var other = Source(emulator, new RateLimiterRegistry(new QuotaStoreAccess(store, clock), clock), clock);
        var ids = emulator.SellingPartner.OrderIdsOf(0);

        await ReadAtOnceAsync(learner, ids.Take(Readers));
        var throttledWhileLearning = emulator.SellingPartner.Throttled;
        clock.Advance(TimeSpan.FromMinutes(1));
        var read = await ReadAtOnceAsync(other, ids.Skip(Readers).Take(Readers));

        emulator.SellingPartner.Throttled.ShouldBe(throttledWhileLearning, "the other process sends only the burst the first one learned");
        read.ShouldBe(GrantedBurst);
        var bucket = await store.ListAsync().SingleAsync();
        bucket.Burst.ShouldBe(GrantedBurst);
    }

    private static SellingPartnerOrderSource Source(EmulatorHost emulator, RateLimiterRegistry registry, TimeProvider clock)
    {
        var options = EmulatorClient.Options(emulator);
        options.PacingMargin = 0;
        options.BurstLatencyAllowance = TimeSpan.Zero;
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(clock), registry);
    }

    // Every reader asks at once and gives up on a throttle (no retry, no wait): returns how many orders were read.
    private static async Task<int> ReadAtOnceAsync(SellingPartnerOrderSource source, IEnumerable<string> ids)
    {
        var reads = ids.Select(id => source.GetOrderAsync(id, FailFast)).ToArray();
        try
        {
            await Task.WhenAll(reads);
        }
        catch (OrderSourceThrottledException)
        {
        }

        reads.Where(r => r.IsFaulted).ShouldAllBe(r => r.Exception!.InnerException is OrderSourceThrottledException);
        return reads.Count(r => r.IsCompletedSuccessfully);
    }
}
