using Microsoft.Extensions.Time.Testing;
using OrderHub.Testing;
using OrderHub.Throttling;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Throttling;

public sealed class RateLimitGateTests
{
    private readonly FakeTimeProvider _time = new();
    private static readonly OrderErrorContext Context = new("sp-api", "902-3159896-1390916");

    [Fact]
    public async Task AcquireAsync_FailFastWhenEmpty_ThrowsThrottledWithRetryAfter()
    {
        using var limiter = new AdaptiveTokenBucketRateLimiter(new() { PermitsPerSecond = 0.5, Burst = 1 }, _time);
        (await RateLimitGate.AcquireAsync(limiter, ThrottleMode.FailFast, Context)).Dispose();

        var error = await Should.ThrowAsync<OrderSourceThrottledException>(() => RateLimitGate.AcquireAsync(limiter, ThrottleMode.FailFast, Context).AsTask());

        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(2));
        error.SourceName.ShouldBe("sp-api");
        error.OrderId.ShouldBe("902-3159896-1390916");
    }

    [Fact]
    public async Task AcquireAsync_Wait_CompletesWhenThePermitAccrues()
    {
        using var limiter = new AdaptiveTokenBucketRateLimiter(new() { PermitsPerSecond = 0.5, Burst = 1 }, _time);
        (await RateLimitGate.AcquireAsync(limiter, ThrottleMode.Wait, Context)).Dispose();

        var pending = RateLimitGate.AcquireAsync(limiter, ThrottleMode.Wait, Context).AsTask();
        pending.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));

        (await pending).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public void Registry_SameKey_SharesOneBucket_OtherKeyGetsItsOwn()
    {
        using var registry = new RateLimiterRegistry(_time);
        var shape = new AdaptiveTokenBucketRateLimiterOptions { PermitsPerSecond = 0.5, Burst = 30 };

        var a = registry.GetOrAdd("sp-api|seller-a|na|getOrder", shape);
        var again = registry.GetOrAdd("sp-api|seller-a|na|getOrder", shape with { Burst = 5 });
        var b = registry.GetOrAdd("sp-api|seller-b|na|getOrder", shape);

        again.ShouldBeSameAs(a);
        again.Burst.ShouldBe(30);
        b.ShouldNotBeSameAs(a);
        registry.Count.ShouldBe(2);
    }
}
