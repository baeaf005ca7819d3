using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using OrderHub.RateLimits;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests.Limiters;

public sealed class SharedQuotaLimiterTests
{
    private static readonly OrderErrorContext Context = new("sp-api", "902-3159896-1390916");
    private readonly FakeTimeProvider _time = new();
    private readonly TimerWatch _watch;
    private readonly SwitchableStore _store;

    public SharedQuotaLimiterTests()
    {
        _watch = new TimerWatch(_time);
        _store = new SwitchableStore(new InProcessQuotaStore(_time));
    }

    [Fact]
    public async Task AcquireAsync_ACallerThatMustWait_IsToldAboutHowLong_BeforeTheWait_AndOneServedAtOnceIsNot()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 0.25, burst: 1);
        var told = new List<TimeSpan>();
        (await limiter.AcquireAsync(null, told.Add, default)).IsAcquired.ShouldBeTrue();
        told.ShouldBeEmpty("the burst's permit is free");

        var pending = limiter.AcquireAsync(null, told.Add, default).AsTask();
        await Eventually.TrueAsync(() => told.Count == 1, "the caller was told before waiting");

        told[0].ShouldBe(TimeSpan.FromSeconds(4), "one permit every 4 s");
        pending.IsCompleted.ShouldBeFalse();
        _time.Advance(TimeSpan.FromSeconds(4));
        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired.ShouldBeTrue();
        told.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AcquireAsync_ReservedPermit_IsHandedOutExactlyWhenDue()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 2, burst: 1);
        (await limiter.AcquireAsync(null, default)).IsAcquired.ShouldBeTrue();

        var pending = limiter.AcquireAsync(null, default).AsTask();
        await Eventually.TrueAsync(() => limiter.QueuedPermits == 1, "the caller waits its turn");
        _time.Advance(TimeSpan.FromMilliseconds(499));
        var earlyDone = pending.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        earlyDone.ShouldBeFalse("the permit is due 500 ms after the first");
        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired.ShouldBeTrue();
        limiter.QueuedPermits.ShouldBe(0);
    }

    [Fact]
    public async Task AcquireAsync_TwoProcessesOfOneStore_AreServedInTheOrderTheyReserved()
    {
        var first = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 1);
        var second = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 1);
        await first.AcquireAsync(null, default);

        var a = second.AcquireAsync(null, default).AsTask();
        await Eventually.TrueAsync(() => second.QueuedPermits == 1, "the caller waits its turn");
        var b = first.AcquireAsync(null, default).AsTask();
        await Eventually.TrueAsync(() => first.QueuedPermits == 1, "the caller waits its turn");
        _time.Advance(TimeSpan.FromSeconds(1));
        await a.WaitAsync(TimeSpan.FromSeconds(10));
        var bDoneWithA = b.IsCompleted;
        _time.Advance(TimeSpan.FromSeconds(1));

        bDoneWithA.ShouldBeFalse("the second reservation is due a whole permit after the first, whichever process holds it");
        (await b.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task AcquireAsync_WokenLongAfterThePermitWasDue_DropsItAndReservesAnother()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 1);
        await limiter.AcquireAsync(null, default);

        var pending = limiter.AcquireAsync(null, default).AsTask();
        await Eventually.TrueAsync(() => limiter.QueuedPermits == 1, "the caller waits its turn");
        _time.Advance(TimeSpan.FromSeconds(5)); // the process was paused for 4 s past the permit's time

        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired.ShouldBeTrue();
        limiter.StaleReservations.ShouldBe(1, "a permit 4 s late would have gone out with everything else that fell due meanwhile");
        _store.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task AcquireAsync_WokenOnTime_UsesTheReservedPermit()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 1);
        await limiter.AcquireAsync(null, default);

        var pending = limiter.AcquireAsync(null, default).AsTask();
        await Eventually.TrueAsync(() => limiter.QueuedPermits == 1, "the caller waits its turn");
        _time.Advance(TimeSpan.FromSeconds(1.5)); // half a permit late: within one permit's time

        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired.ShouldBeTrue();
        limiter.StaleReservations.ShouldBe(0);
        _store.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task AcquireAsync_ManyCallers_HoldAtMostTwoReservationsAhead_AndAreServedInOrder()
    {
        var timers = new TimerWatch(_time);
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 1, timers);
        await limiter.AcquireAsync(null, default);
        var order = new List<int>();
        var callers = Enumerable.Range(0, 5).Select(async i =>
        {
            await limiter.AcquireAsync(null, default);
            lock (order)
            {
                order.Add(i);
            }
        }).ToArray();
        await Eventually.TrueAsync(() => limiter.QueuedPermits == 5, "the callers wait their turn");

        var reservedAhead = await ReservedAheadAsync();
        for (var second = 0; second < 5; second++)
        {
            // The callers holding reservations wait on timers: the clock moves only once each has armed its own, or a
            // reservation made just after a served caller would start counting from after the advance.
            var holding = Math.Min(2, 5 - second);
            await Eventually.TrueAsync(() => timers.ArmedTimers == holding, $"{holding} callers wait for their reserved permits");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => order.Count == second + 1, "the next caller is served");
        }

        reservedAhead.ShouldBe(2, "a process that died now would leave two permits unused, not five");
        await Task.WhenAll(callers);
        order.ShouldBe([0, 1, 2, 3, 4]);
    }

    [Fact]
    public async Task AcquireAsync_WithinABudget_RefusesAtOnceWithTheWait()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 0.5, burst: 1);
        await limiter.AcquireAsync(null, default);

        using var refused = await limiter.AcquireAsync(TimeSpan.FromSeconds(1), default);

        refused.IsAcquired.ShouldBeFalse();
        refused.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue();
        retryAfter.ShouldBe(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AcquireAsync_StoreDown_FailFastCallerFailsAtOnceNamingTheStore()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 5);
        _store.Down = true;

        var error = await Should.ThrowAsync<OrderHub.RateLimits.QuotaStoreUnavailableException>(() => limiter.AcquireAsync(TimeSpan.Zero, default).AsTask());

        error.Message.ShouldContain("the test store is down");
        _store.Calls.ShouldBe(1, "a caller that may not wait does not retry the store");
    }

    [Fact]
    public async Task AcquireAsync_StoreDown_WaitingCallerRetriesUntilItIsBack_ThenNewBucketsStartEmpty()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _watch), rate: 1, burst: 5, _watch);
        _store.Down = true;

        var pending = limiter.AcquireAsync(null, default).AsTask();
        await _watch.AdvanceUntilAsync(() => _store.Calls >= 3, "the store is tried again, backing off");
        var doneWhileDown = pending.IsCompleted;
        _store.Down = false;
        await _watch.AdvanceUntilAsync(() => pending.IsCompleted, "the caller gets its answer");

        doneWhileDown.ShouldBeFalse("nothing is granted while the store is down");
        (await pending).IsAcquired.ShouldBeTrue();
        _store.StartFullFlags.Last().ShouldBeFalse("the store may have lost what was spent: the bucket it no longer holds starts empty");
    }

    [Fact]
    public async Task AcquireAsync_StoreRefusesTheCredentials_WaitingCallerFailsAtOnce()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _watch), rate: 1, burst: 5, _watch);
        _store.Down = true;
        _store.DownForGood = true;

        var error = await Should.ThrowAsync<OrderHub.RateLimits.QuotaStoreUnavailableException>(() => limiter.AcquireAsync(null, default).AsTask());

        error.IsTransient.ShouldBeFalse();
        _store.Calls.ShouldBe(1, "a wrong setting is not waited for as an outage");
    }

    [Fact]
    public async Task AcquireAsync_StoreDownLongerThanTheTolerance_FailsWithTheStoresError()
    {
        var limiter = Limiter(new QuotaStoreAccess(_store, _watch, outageTolerance: TimeSpan.FromSeconds(30)), rate: 1, burst: 5, _watch);
        _store.Down = true;

        var pending = limiter.AcquireAsync(null, default).AsTask();
        // Between two tries only the tolerance's own deadline is armed; the clock moves once the next try's delay is too.
        await _watch.AdvanceUntilAsync(() => pending.IsCompleted, "the caller gets its answer", readyToAdvance: () => _watch.ArmedTimers >= 2);

        var error = await Should.ThrowAsync<OrderHub.RateLimits.QuotaStoreUnavailableException>(() => pending);
        error.Message.ShouldContain("the test store is down");
        _store.Calls.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task AdoptRateAndDrain_ReachTheStore_ForEveryProcess()
    {
        var first = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 5);
        var second = Limiter(new QuotaStoreAccess(_store, _time), rate: 1, burst: 5);

        await first.AdoptRateAsync(20, default);
        await first.DrainAsync(default);
        var lease = second.AcquireAsync(null, default).AsTask();
        await Eventually.TrueAsync(() => second.QueuedPermits == 1, "the caller waits its turn");
        _time.Advance(TimeSpan.FromMilliseconds(50));

        (await lease.WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired.ShouldBeTrue();
        second.PermitsPerSecond.ShouldBe(20);
    }

    private async Task<int> ReservedAheadAsync()
    {
        await foreach (var bucket in _store.ListAsync())
        {
            return bucket.Waiting;
        }

        return 0;
    }

    private SharedQuotaLimiter Limiter(QuotaStoreAccess access, double rate, int burst, TimeProvider? time = null) =>
        new(access, new QuotaDefinition("sp-api|test|na|getOrder", rate, burst), time ?? _time);

    private sealed class SwitchableStore(IQuotaStore inner) : IQuotaStore
    {
        private int _calls;

        public volatile bool Down;

        public volatile bool DownForGood;

        public List<bool> StartFullFlags { get; } = [];

        public int Calls => Volatile.Read(ref _calls);

        public string Description => "the test store";

        public ValueTask<QuotaReservation> ReserveAsync(QuotaDefinition quota, QuotaReservationRequest request, CancellationToken cancellationToken = default)
        {
            Enter();
            lock (StartFullFlags)
            {
                StartFullFlags.Add(request.StartFull);
            }

            return inner.ReserveAsync(quota, request, cancellationToken);
        }

        public ValueTask<QuotaBucket> AdoptRateAsync(QuotaDefinition quota, double permitsPerSecond, CancellationToken cancellationToken = default)
        {
            Enter();
            return inner.AdoptRateAsync(quota, permitsPerSecond, cancellationToken);
        }

        public ValueTask<QuotaBucket> AdoptBurstAsync(QuotaDefinition quota, int burst, CancellationToken cancellationToken = default)
        {
            Enter();
            return inner.AdoptBurstAsync(quota, burst, cancellationToken);
        }

        public ValueTask<QuotaBucket> DrainAsync(QuotaDefinition quota, CancellationToken cancellationToken = default)
        {
            Enter();
            return inner.DrainAsync(quota, cancellationToken);
        }

        public async IAsyncEnumerable<QuotaBucket> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Enter();
            await foreach (var bucket in inner.ListAsync(cancellationToken))
            {
                yield return bucket;
            }
        }

        private void Enter()
        {
            Interlocked.Increment(ref _calls);
            if (Down)
            {
                throw new QuotaStoreUnavailableException("the test store is down.", null, isTransient: !DownForGood);
            }
        }
    }
}
