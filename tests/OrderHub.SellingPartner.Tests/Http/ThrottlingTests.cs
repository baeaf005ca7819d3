using Microsoft.Extensions.Time.Testing;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>The getOrder throttle shape, on a fake clock: the only real waiting is for socket I/O to land.</summary>
public abstract class ThrottlingTests(string ordersApiVersion) : IAsyncLifetime
{
    private const string OrderId = "902-3159896-1390916";
    private readonly TimerWatch _watch = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero)));

    private FakeTimeProvider _time => _watch.Clock;
    private ScriptedSellingPartner _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ScriptedSellingPartner.StartAsync();
        _server.OrdersApiVersion = ordersApiVersion;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetOrder_ThirtyGoAtOnce_ThenOneEveryTwoSeconds()
    {
        var source = _server.CreateSource(_time);

        var calls = Enumerable.Range(0, 35).Select(_ => source.GetOrderAsync(OrderId)).ToArray();

        var limiter = source.GetOrderRateLimiter;
        await Eventually.TrueAsync(() => calls.Count(c => c.IsCompletedSuccessfully) == 30, "the burst of 30 is answered");
        await Eventually.TrueAsync(() => limiter.GetStatistics()!.CurrentQueuedCount == 5, "the other five wait for permits");
        _server.GetOrderRequests.ShouldBe(30);
        for (var extra = 1; extra <= 5; extra++)
        {
            // Permits are granted only from the clock's timers, which fire inside Advance: what is queued after it is
            // exactly what was not let through, with no time given to in-flight work.
            _time.Advance(TimeSpan.FromMilliseconds(1999));
            limiter.GetStatistics()!.CurrentQueuedCount.ShouldBe(6 - extra, "a permit accrues only after a full 2 s");
            _server.GetOrderRequests.ShouldBe(29 + extra);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => _server.GetOrderRequests == 30 + extra, $"request {30 + extra} is sent at {2 * extra} s");
        }

        await Task.WhenAll(calls);
        _server.TokenRequests.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrder_AnnouncedRate_IsAdopted()
    {
        _server.Enqueue(ScriptedResponse.Order(OrderId) with { Headers = new Dictionary<string, string> { ["x-amzn-RateLimit-Limit"] = "2.0" } });
        var source = _server.CreateSource(_time, configure: o => o.GetOrderBurst = 1);

        await source.GetOrderAsync(OrderId);
        source.GetOrderRateLimiter.PermitsPerSecond.ShouldBe(2);
        var next = source.GetOrderAsync(OrderId);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        await next;
        _server.GetOrderRequests.ShouldBe(2);
    }

    [Fact]
    public async Task GetOrder_CancelledWhileWaitingForAPermit_ThrowsAndSendsNothing()
    {
        var source = _server.CreateSource(_time, configure: o => o.GetOrderBurst = 1);
        await source.GetOrderAsync(OrderId);
        using var cancel = new CancellationTokenSource();

        var waiting = source.GetOrderAsync(OrderId, cancel.Token);
        await Eventually.TrueAsync(() => source.GetOrderRateLimiter.GetStatistics()!.CurrentQueuedCount == 1, "the call waits for a permit");
        waiting.IsCompleted.ShouldBeFalse();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => waiting);
        source.GetOrderRateLimiter.GetStatistics()!.CurrentQueuedCount.ShouldBe(0);
        _time.Advance(TimeSpan.FromSeconds(10));

        // The permit that accrued is still there for the next call: the cancelled one neither took it nor sent anything.
        await source.GetOrderAsync(OrderId, new OrderReadOptions { ThrottleMode = ThrottleMode.FailFast });
        _server.GetOrderRequests.ShouldBe(2);
    }

    [Fact]
    public async Task GetOrder_FailFast_ThrowsThrottledWithRetryAfterAndSendsNothing()
    {
        var source = _server.CreateSource(_time, configure: o =>
        {
            o.GetOrderBurst = 1;
            o.ThrottleMode = ThrottleMode.FailFast;
        });
        await source.GetOrderAsync(OrderId);

        var error = await Should.ThrowAsync<OrderSourceThrottledException>(() => source.GetOrderAsync(OrderId));

        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(2));
        _server.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrder_PerCallFailFast_OverridesTheSourceDefault()
    {
        var source = _server.CreateSource(_time, configure: o => o.GetOrderBurst = 1);
        await source.GetOrderAsync(OrderId);

        await Should.ThrowAsync<OrderSourceThrottledException>(() =>
            source.GetOrderAsync(OrderId, new OrderReadOptions { ThrottleMode = ThrottleMode.FailFast }));
    }

    [Fact]
    public async Task GetOrder_429_EmptiesTheBucketAndRetriesAfterRetryAfter()
    {
        _server.Enqueue(ScriptedResponse.Error(429, "QuotaExceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "3", ["x-amzn-RequestId"] = "req-429" }));
        _server.Enqueue(ScriptedResponse.Order(OrderId));
        var source = _server.CreateSource(_watch);

        var timersBefore = _watch.ArmedTimers;
        var call = source.GetOrderAsync(OrderId);
        await Eventually.TrueAsync(() => _server.GetOrderRequests == 1, "the first attempt is answered 429");

        // The 429 empties the bucket once the exchange (and its timeout timer) is over; then the one timer left is the
        // retry's delay.
        await Eventually.TrueAsync(
            () => source.GetOrderRateLimiter.AvailablePermits < 1 && _watch.ArmedTimers == timersBefore + 1,
            "the bucket is emptied and the retry is scheduled on the clock");
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        call.IsCompleted.ShouldBeFalse();
        _server.GetOrderRequests.ShouldBe(1, "Retry-After is 3 s");
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await call).OrderId.ShouldBe(OrderId);
        _server.GetOrderRequests.ShouldBe(2);
    }

    [Fact]
    public async Task GetOrder_429_WhenFailingFast_IsThrottledAtOnceWithTheUpstreamRetryAfter()
    {
        _server.Enqueue(ScriptedResponse.Error(429, "QuotaExceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "7", ["x-amzn-RequestId"] = "req-429" }));
        var source = _server.CreateSource(_time, configure: o => o.ThrottleMode = ThrottleMode.FailFast);

        var error = await Should.ThrowAsync<OrderSourceThrottledException>(() => source.GetOrderAsync(OrderId));

        error.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
        error.RequestId.ShouldBe("req-429");
        error.ErrorCode.ShouldBe("QuotaExceeded");
        _server.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task Buckets_AreSharedPerCredentialAndRegion_NotPerSourceInstance()
    {
        var registry = new OrderHub.RateLimits.RateLimiterRegistry(_time);
        var first = _server.CreateSource(_time, registry, o => o.RefreshToken = "Atzr|same-seller");
        var second = _server.CreateSource(_time, registry, o => o.RefreshToken = "Atzr|same-seller");
        var otherSeller = _server.CreateSource(_time, registry, o => o.RefreshToken = "Atzr|other-seller");

        second.GetOrderRateLimiter.ShouldBeSameAs(first.GetOrderRateLimiter);
        otherSeller.GetOrderRateLimiter.ShouldNotBeSameAs(first.GetOrderRateLimiter);
    }
}

/// <summary>The tests above through Orders API v0.</summary>
public sealed class ThrottlingTestsV0() : ThrottlingTests(SellingPartnerOrdersApi.V0);

/// <summary>The tests above through Orders API 2026-01-01: the same transport, so the same behaviour.</summary>
public sealed class ThrottlingTests20260101() : ThrottlingTests(SellingPartnerOrdersApi.V20260101);
