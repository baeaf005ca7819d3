using OrderHub.RateLimits;
using OrderHub.SellingPartner.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>When the store the buckets live in cannot be used, nothing is sent, and the caller is told which store to fix.</summary>
public sealed class SharedBucketStoreTests
{
    private const string OrderId = "902-3159896-1390916";

    [Fact]
    public async Task GetOrder_BucketStoreDown_FailingFast_IsUnavailableNamingTheStore_AndSendsNothing()
    {
        await using var server = await ScriptedSellingPartner.StartAsync();
        var registry = new RateLimiterRegistry(new QuotaStoreAccess(new DownStore()), TimeProvider.System);
        using var source = server.CreateSource(registry: registry, configure: o => o.ThrottleMode = ThrottleMode.FailFast);

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain("the broken test store");
        error.OrderId.ShouldBe(OrderId);
        server.GetOrderRequests.ShouldBe(0, "no request goes out without a permit");
    }

    private sealed class DownStore : IQuotaStore
    {
        public string Description => "the broken test store";

        public ValueTask<QuotaReservation> ReserveAsync(QuotaDefinition quota, QuotaReservationRequest request, CancellationToken cancellationToken = default) =>
            throw new QuotaStoreUnavailableException("the broken test store is down");

        public ValueTask<QuotaBucket> AdoptRateAsync(QuotaDefinition quota, double permitsPerSecond, CancellationToken cancellationToken = default) =>
            throw new QuotaStoreUnavailableException("the broken test store is down");

        public ValueTask<QuotaBucket> AdoptBurstAsync(QuotaDefinition quota, int burst, CancellationToken cancellationToken = default) =>
            throw new QuotaStoreUnavailableException("the broken test store is down");

        public ValueTask<QuotaBucket> DrainAsync(QuotaDefinition quota, CancellationToken cancellationToken = default) =>
            throw new QuotaStoreUnavailableException("the broken test store is down");

        public IAsyncEnumerable<QuotaBucket> ListAsync(CancellationToken cancellationToken = default) =>
            throw new QuotaStoreUnavailableException("the broken test store is down");
    }
}
