using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// What every <see cref="IQuotaStore"/> must do, whatever its clock: the rates are slow enough (one permit per
/// 1,000 s) that the real time a test takes cannot change an expected wait by more than its tolerance.
/// </summary>
public abstract class QuotaStoreContractTests
{
    private const double SlowRate = 0.001;
    private static readonly TimeSpan OnePermit = TimeSpan.FromSeconds(1 / SlowRate);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(5);

    /// <summary>Creates a store; two calls in one test share one backing (the same file, the same Redis), as two processes do.</summary>
    protected abstract IQuotaStore CreateStore();

    private static QuotaDefinition Quota(int burst = 3, double rate = SlowRate) => new($"test|{Guid.NewGuid():N}|getOrder", rate, burst);

    [Fact]
    public async Task ReserveAsync_NewBucket_StartsFullThenQueuesReservationsInOrder()
    {
        var store = CreateStore();
        var quota = Quota(burst: 3);

        for (var i = 0; i < 3; i++)
        {
            var free = await store.ReserveAsync(quota, new QuotaReservationRequest());
            free.IsGranted.ShouldBeTrue();
            free.Wait.ShouldBe(TimeSpan.Zero);
        }

        var fourth = await store.ReserveAsync(quota, new QuotaReservationRequest());
        var fifth = await store.ReserveAsync(quota, new QuotaReservationRequest());

        fourth.IsGranted.ShouldBeTrue();
        fourth.Wait.ShouldBe(OnePermit, Tolerance);
        fifth.Wait.ShouldBe(2 * OnePermit, Tolerance, "each reservation is due one permit after the one before it");
        fifth.Bucket.Waiting.ShouldBe(2);
        fifth.Bucket.Available.ShouldBe(0);
    }

    [Fact]
    public async Task ReserveAsync_BeyondMaxWait_IsRefusedAndTakesNothing()
    {
        var store = CreateStore();
        var quota = Quota(burst: 1);
        (await store.ReserveAsync(quota, new QuotaReservationRequest())).IsGranted.ShouldBeTrue();

        var refused = await store.ReserveAsync(quota, new QuotaReservationRequest { MaxWait = TimeSpan.FromSeconds(10) });
        var next = await store.ReserveAsync(quota, new QuotaReservationRequest());

        refused.IsGranted.ShouldBeFalse();
        refused.Wait.ShouldBe(OnePermit, Tolerance);
        next.Wait.ShouldBe(OnePermit, Tolerance, "the refused reservation took no place in the queue");
    }

    [Fact]
    public async Task ReserveAsync_FailFast_GrantsOnlyAPermitFreeNow()
    {
        var store = CreateStore();
        var quota = Quota(burst: 1);

        (await store.ReserveAsync(quota, new QuotaReservationRequest { MaxWait = TimeSpan.Zero })).IsGranted.ShouldBeTrue();
        (await store.ReserveAsync(quota, new QuotaReservationRequest { MaxWait = TimeSpan.Zero })).IsGranted.ShouldBeFalse();
    }

    [Fact]
    public async Task ReserveAsync_StartEmpty_FirstPermitWaitsForTheRefill()
    {
        var store = CreateStore();

        var first = await store.ReserveAsync(Quota(burst: 5), new QuotaReservationRequest { StartFull = false });

        first.IsGranted.ShouldBeTrue();
        first.Wait.ShouldBe(OnePermit, Tolerance);
    }

    [Fact]
    public async Task TwoClients_OfOneBacking_ShareTheBucket()
    {
        var quota = Quota(burst: 2);
        var first = CreateStore();
        var second = CreateStore();

        await first.ReserveAsync(quota, new QuotaReservationRequest());
        await second.ReserveAsync(quota, new QuotaReservationRequest());
        var third = await first.ReserveAsync(quota, new QuotaReservationRequest());

        third.Wait.ShouldBe(OnePermit, Tolerance, "the second client spent the bucket's second permit");
    }

    [Fact]
    public async Task Partitions_AreIndependent()
    {
        var store = CreateStore();
        var one = Quota(burst: 1);
        var other = Quota(burst: 1);

        await store.ReserveAsync(one, new QuotaReservationRequest());
        var reservation = await store.ReserveAsync(other, new QuotaReservationRequest());

        reservation.Wait.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task AdoptRateAsync_ChangesTheWaitOfTheNextReservation()
    {
        var store = CreateStore();
        var quota = Quota(burst: 1);
        await store.ReserveAsync(quota, new QuotaReservationRequest());

        var adopted = await store.AdoptRateAsync(quota, 1000);
        var next = await store.ReserveAsync(quota, new QuotaReservationRequest());

        adopted.PermitsPerSecond.ShouldBe(1000);
        next.Wait.ShouldBeLessThan(TimeSpan.FromMilliseconds(2));
        next.Bucket.PermitsPerSecond.ShouldBe(1000, "the adopted rate stays with the bucket");
    }

    [Fact]
    public async Task AdoptBurstAsync_CapsTheBucketForEveryProcess_AndKeepsItAcrossReservations()
    {
        var store = CreateStore();
        var quota = Quota(burst: 5);
        await store.ReserveAsync(quota, new QuotaReservationRequest { Permits = 0 });

        var adopted = await store.AdoptBurstAsync(quota, 2);
        var first = await CreateStore().ReserveAsync(quota, new QuotaReservationRequest { Permits = 2 });
        var third = await CreateStore().ReserveAsync(quota, new QuotaReservationRequest());

        var lowerLater = await store.AdoptBurstAsync(quota, 1);
        var higherLater = await store.AdoptBurstAsync(quota, 3);

        adopted.Burst.ShouldBe(2);
        adopted.Available.ShouldBe(2, "the permits above the new burst are dropped");
        first.Wait.ShouldBe(TimeSpan.Zero);
        first.Bucket.Burst.ShouldBe(2, "another client of the store sees the adopted burst");
        third.Wait.ShouldBe(OnePermit, Tolerance, "the third permit is not in the bucket: it accrues");
        lowerLater.Burst.ShouldBe(2, "once learned, a burst only rises: each client proves a lower bound");
        higherLater.Burst.ShouldBe(3);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AdoptBurstAsync(quota, 6).AsTask());
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AdoptBurstAsync(quota, 0).AsTask());
    }

    [Fact]
    public async Task DrainAsync_EmptiesAFullBucketAndRecordsTheThrottle()
    {
        var store = CreateStore();
        var quota = Quota(burst: 5);
        await store.ReserveAsync(quota, new QuotaReservationRequest { Permits = 0 });

        var drained = await store.DrainAsync(quota);
        var next = await store.ReserveAsync(quota, new QuotaReservationRequest());

        drained.Available.ShouldBe(0);
        drained.LastThrottledAt.ShouldNotBeNull();
        next.Wait.ShouldBe(OnePermit, Tolerance);
    }

    [Fact]
    public async Task ListAsync_ShowsEveryBucketAsItIsNow()
    {
        var store = CreateStore();
        var quota = Quota(burst: 4);
        await store.ReserveAsync(quota, new QuotaReservationRequest());
        await store.DrainAsync(quota);

        var listed = new List<QuotaBucket>();
        await foreach (var bucket in CreateStore().ListAsync())
        {
            listed.Add(bucket);
        }

        var mine = listed.Single(b => b.Partition == quota.Partition);
        mine.Burst.ShouldBe(4);
        mine.PermitsPerSecond.ShouldBe(SlowRate);
        mine.Available.ShouldBeLessThan(0.1);
        mine.LastThrottledAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task ReserveAsync_MorePermitsThanTheBurst_IsRefusedBeforeTheStore()
    {
        var store = CreateStore();

        var error = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.ReserveAsync(Quota(burst: 2), new QuotaReservationRequest { Permits = 3 }).AsTask());

        error.Message.ShouldContain("0 to 2 permits");
    }
}
