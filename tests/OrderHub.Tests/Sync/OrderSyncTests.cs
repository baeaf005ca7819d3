using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using OrderHub.Testing;
using OrderHub.Tests.Sources;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync;

public sealed class OrderSyncTests
{
    /// <summary>An in-memory source paced by a real token bucket on the test's clock.</summary>
    private sealed class PacedSource(AdaptiveTokenBucketRateLimiter limiter, InMemoryOrderSource inner) : IRateLimitedOrderSource
    {
        public string Name => inner.Name;

        public OrderIdFormat OrderIdFormat => inner.OrderIdFormat;

        public IRateLimitStatus GetOrderRateLimit => limiter;

        public async Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
        {
            using var lease = await ((IQuotaLimiter)limiter).AcquireAsync(null, cancellationToken);
            return await inner.GetOrderAsync(orderId, options, cancellationToken);
        }
    }

    private static string Id(int i) => $"111-{i:D7}-0000000";

    [Fact]
    public async Task Run_IsPacedOnlyByTheSourcesLimiter_ThirtyAtOnceThenOneEveryTwoSeconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        using var limiter = new AdaptiveTokenBucketRateLimiter(new() { PermitsPerSecond = 0.5, Burst = 30 }, time);
        var memory = new InMemoryOrderSource("sp-api", InMemoryOrderSource.ThreeSevenSeven);
        for (var i = 0; i < 34; i++)
        {
            memory.Add(Id(i));
        }

        var store = new InMemoryOrderStore();
        var sync = new OrderSync(new OrderLookup([new PacedSource(limiter, memory)]), store, time);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 34).Select(i => new OrderReference("sp-api", Id(i))));
        var reports = new List<SyncProgress>();
        var run = sync.RunAsync("run", new OrderSyncOptions { MaxConcurrencyPerSource = 64 }, new Progress(reports));

        await Eventually.TrueAsync(() => store.OrderCount == 30, "the burst is stored");
        await Eventually.TrueAsync(() => limiter.GetStatistics()!.CurrentQueuedCount == 4, "the rest wait for permits");
        memory.Requests.ShouldBe(30);
        for (var extra = 1; extra <= 4; extra++)
        {
            // Permits come only from the clock's timers, inside Advance: the queue after it is exactly what was held back.
            time.Advance(TimeSpan.FromMilliseconds(1999));
            limiter.GetStatistics()!.CurrentQueuedCount.ShouldBe(5 - extra);
            memory.Requests.ShouldBe(29 + extra);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => store.OrderCount == 30 + extra, "the next permit's order is stored");
        }

        var final = await run;
        final.Inserted.ShouldBe(34);
        final.Remaining.ShouldBe(0);
        lock (reports)
        {
            reports.ShouldContain(r => r.Done == 30 && r.Remaining == 4 && r.EstimatedTimeLeft == TimeSpan.FromSeconds(8));
        }
    }

    [Fact]
    public async Task Run_ResumedWithTheSameRunId_FetchesNothingTwice()
    {
        var memory = new InMemoryOrderSource("sp-api", InMemoryOrderSource.ThreeSevenSeven).Add(Id(1)).Add(Id(2));
        var store = new InMemoryOrderStore();
        var sync = new OrderSync(new OrderLookup([memory]), store);
        await sync.AddReferencesAsync("run", [new("sp-api", Id(1)), new("sp-api", Id(2))]);

        await sync.RunAsync("run");
        await sync.AddReferencesAsync("run", [new("sp-api", Id(1))]);
        var again = await sync.RunAsync("run");

        again.Done.ShouldBe(0);
        again.AlreadyDone.ShouldBe(2);
        memory.Requests.ShouldBe(2);
    }

    private sealed class Progress(List<SyncProgress> reports) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}

public sealed class OrderSyncBrokenSourceTests
{
    private sealed class BrokenSource : IOrderSource
    {
        public string Name => "broken";

        public OrderIdFormat OrderIdFormat => InMemoryOrderSource.ThreeSevenSeven;

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a bug in a source");
    }

    [Fact]
    public async Task Run_SourceThrowingSomethingUnexpected_RecordsRetryableFailures_AndFinishes()
    {
        var store = new InMemoryOrderStore();
        var sync = new OrderSync(new OrderLookup([new BrokenSource()]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 200).Select(i => new OrderReference("broken", $"111-{i:D7}-0000000")));

        var result = await sync.RunAsync("run", new OrderSyncOptions { MaxConcurrencyPerSource = 2, MaxConsecutiveFailuresPerSource = 1000 });

        result.Failed.ShouldBe(200);
        var failures = await store.GetFailuresAsync("run");
        failures.ShouldAllBe(f => !f.Permanent && f.ErrorKind == "unexpected" && f.Reason.Contains(nameof(InvalidOperationException)));
        failures[0].Reason.ShouldNotContain("a bug in a source");
    }
}
