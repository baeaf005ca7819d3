using Microsoft.Extensions.Time.Testing;
using System.Threading.RateLimiting;
using OrderHub.Testing;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests.Limiters;

public sealed class AdaptiveTokenBucketRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private AdaptiveTokenBucketRateLimiter SellingPartnerGetOrderShape(int queueLimit = int.MaxValue) =>
        new(new AdaptiveTokenBucketRateLimiterOptions { PermitsPerSecond = 0.5, Burst = 30, QueueLimit = queueLimit }, _time);

    [Fact]
    public async Task AcquireWithinAsync_ManyAtOnce_AdmitsOnlyThoseServedWithinTheWait_CountingTheQueue()
    {
        using var limiter = new AdaptiveTokenBucketRateLimiter(new AdaptiveTokenBucketRateLimiterOptions { PermitsPerSecond = 1, Burst = 1 }, _time);
        (await limiter.AcquireAsync()).IsAcquired.ShouldBeTrue();

        var calls = Enumerable.Range(0, 10).Select(_ => limiter.AcquireWithinAsync(1, TimeSpan.FromSeconds(3)).AsTask()).ToArray();

        var rejected = calls.Where(c => c.IsCompleted).ToArray();
        rejected.Length.ShouldBe(7, "permits come at 1, 2 and 3 s: the other seven would wait longer");
        foreach (var call in rejected)
        {
            var lease = await call;
            lease.IsAcquired.ShouldBeFalse();
            lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
            retryAfter.ShouldBe(TimeSpan.FromSeconds(4));
        }

        for (var second = 0; second < 3; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1)); // time passes second by second: the bucket holds one permit at most
        }

        foreach (var call in calls.Except(rejected))
        {
            (await call).IsAcquired.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task AcquireAsync_GetOrderShape_ThirtyAtOnceThenOneEveryTwoSeconds()
    {
        using var limiter = SellingPartnerGetOrderShape();
        for (var i = 0; i < 30; i++)
        {
            (await limiter.AcquireAsync()).IsAcquired.ShouldBeTrue();
        }

        var waiting = Enumerable.Range(0, 5).Select(_ => limiter.AcquireAsync().AsTask()).ToArray();
        waiting.ShouldAllBe(t => !t.IsCompleted);

        for (var second = 1; second <= 10; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
            var done = waiting.Count(t => t.IsCompleted);
            done.ShouldBe(second / 2, $"after {second} s");
        }

        foreach (var task in waiting)
        {
            (await task).IsAcquired.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task AcquireAsync_Waiters_AreServedFirstInFirstOut()
    {
        using var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        var order = new List<int>();
        var tasks = Enumerable.Range(0, 3).Select(async i =>
        {
            using var lease = await limiter.AcquireAsync();
            lock (order)
            {
                order.Add(i);
            }
        }).ToArray();

        _time.Advance(TimeSpan.FromSeconds(6));
        await Task.WhenAll(tasks);

        order.ShouldBe([0, 1, 2]);
    }

    [Fact]
    public void AttemptAcquire_Empty_FailsWithRetryAfterBehindTheQueue()
    {
        using var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        _ = limiter.AcquireAsync();

        using var lease = limiter.AttemptAcquire();

        lease.IsAcquired.ShouldBeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
        retryAfter.ShouldBe(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsAndFreesItsPlace()
    {
        using var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        using var cancel = new CancellationTokenSource();
        var first = limiter.AcquireAsync(1, cancel.Token).AsTask();
        var second = limiter.AcquireAsync().AsTask();

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => first);
        limiter.GetStatistics()!.CurrentQueuedCount.ShouldBe(1);
        _time.Advance(TimeSpan.FromSeconds(2));
        (await second).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_ThrowsWithoutTakingAPermit()
    {
        using var limiter = SellingPartnerGetOrderShape();

        await Should.ThrowAsync<OperationCanceledException>(() => limiter.AcquireAsync(1, new CancellationToken(true)).AsTask());

        limiter.GetStatistics()!.CurrentAvailablePermits.ShouldBe(30);
    }

    [Fact]
    public async Task SetPermitsPerSecond_AdoptsTheNewRateForWaiters()
    {
        using var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        var waiter = limiter.AcquireAsync().AsTask();

        limiter.SetPermitsPerSecond(2);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        await Task.Yield();
        waiter.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await waiter).IsAcquired.ShouldBeTrue();
        limiter.PermitsPerSecond.ShouldBe(2);
        limiter.ReplenishmentPeriod.ShouldBe(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void SetPermitsPerSecond_KeepsPermitsAlreadyAccrued()
    {
        using var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        _time.Advance(TimeSpan.FromSeconds(4));

        limiter.SetPermitsPerSecond(0.1);

        limiter.AvailablePermits.ShouldBe(2, tolerance: 1e-9);
        _time.Advance(TimeSpan.FromSeconds(10));
        limiter.AvailablePermits.ShouldBe(3, tolerance: 1e-9);
    }

    [Fact]
    public void Drain_EmptiesTheBucketUntilItRefills()
    {
        using var limiter = SellingPartnerGetOrderShape();

        limiter.Drain();

        limiter.AttemptAcquire().IsAcquired.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));
        limiter.AttemptAcquire().IsAcquired.ShouldBeTrue();
        limiter.AttemptAcquire().IsAcquired.ShouldBeFalse();
    }

    [Fact]
    public void Refill_NeverExceedsTheBurst()
    {
        using var limiter = SellingPartnerGetOrderShape();
        _time.Advance(TimeSpan.FromHours(1));

        limiter.AvailablePermits.ShouldBe(30);
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        limiter.AttemptAcquire().IsAcquired.ShouldBeFalse();
    }

    [Fact]
    public async Task AcquireAsync_QueueFull_FailsAtOnce()
    {
        using var limiter = SellingPartnerGetOrderShape(queueLimit: 1);
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        _ = limiter.AcquireAsync();

        var lease = await limiter.AcquireAsync();

        lease.IsAcquired.ShouldBeFalse();
    }

    [Fact]
    public async Task Dispose_FailsEveryWaiter()
    {
        var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire(30).IsAcquired.ShouldBeTrue();
        var waiter = limiter.AcquireAsync().AsTask();

        limiter.Dispose();

        (await waiter).IsAcquired.ShouldBeFalse();
        Should.Throw<ObjectDisposedException>(() => limiter.AttemptAcquire());
    }

    [Fact]
    public void AttemptAcquire_MoreThanTheBurst_Throws()
    {
        using var limiter = SellingPartnerGetOrderShape();

        Should.Throw<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(31));
    }

    [Fact]
    public void IdleDuration_CountsFromWhenTheBucketWasFullAgain()
    {
        using var limiter = SellingPartnerGetOrderShape();
        limiter.AttemptAcquire().IsAcquired.ShouldBeTrue();
        limiter.IdleDuration.ShouldBeNull();

        _time.Advance(TimeSpan.FromSeconds(5));

        limiter.IdleDuration.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadRate_Throws(double rate) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new AdaptiveTokenBucketRateLimiter(new() { PermitsPerSecond = rate, Burst = 1 }, _time));
}

public sealed class AdaptiveTokenBucketRefillDelayTests
{
    [Fact]
    public async Task RefillDelayAfterBurst_PostponesTheFirstRefillOnce_ThenThePaceIsExact()
    {
        var time = new FakeTimeProvider();
        using var limiter = new AdaptiveTokenBucketRateLimiter(new() { PermitsPerSecond = 0.5, Burst = 2, RefillDelayAfterBurst = TimeSpan.FromMilliseconds(50) }, time);
        limiter.AttemptAcquire(2).IsAcquired.ShouldBeTrue();
        var first = limiter.AcquireAsync().AsTask();
        var second = limiter.AcquireAsync().AsTask();

        time.Advance(TimeSpan.FromMilliseconds(2049));
        await Task.Yield();
        first.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await first).IsAcquired.ShouldBeTrue();
        time.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Yield();
        second.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await second).IsAcquired.ShouldBeTrue();
    }
}
