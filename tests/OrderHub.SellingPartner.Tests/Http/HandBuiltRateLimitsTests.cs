using Microsoft.Extensions.Time.Testing;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>A source built by hand, without a store: buckets in this process, on the clock it was given, and no file.</summary>
public sealed class HandBuiltRateLimitsTests
{
    private static SellingPartnerOrderSourceOptions Options() => new()
    {
        Endpoint = new Uri("https://sellingpartnerapi-eu.amazon.com"),
        ClientId = "client",
        ClientSecret = "secret",
        RefreshToken = "Atzr|hand-built",
        GetOrderBurst = 1,
    };

    [Fact]
    public async Task HandBuiltSources_WithOneClock_ShareAnInProcessBucketThatRefillsOnThatClock()
    {
        var clock = new FakeTimeProvider();
        using var first = new SellingPartnerOrderSource(Options(), clock);
        using var second = new SellingPartnerOrderSource(Options(), clock);
        var limiter = first.GetOrderRateLimiter;

        (await limiter.AcquireAsync(TimeSpan.Zero, default)).IsAcquired.ShouldBeTrue();
        (await limiter.AcquireAsync(TimeSpan.Zero, default)).IsAcquired.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(3)); // a permit every 2 s, less the pacing margin, after the burst allowance

        (await limiter.AcquireAsync(TimeSpan.Zero, default)).IsAcquired.ShouldBeTrue("the bucket refills on the source's clock");
        second.GetOrderRateLimiter.ShouldBeSameAs(limiter, "one seller's sources share one bucket");
        limiter.ShouldBeOfType<AdaptiveTokenBucketRateLimiter>("no store was asked for: nothing is written to any file");
    }
}
