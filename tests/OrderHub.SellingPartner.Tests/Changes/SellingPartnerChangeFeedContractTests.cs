using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using OrderHub.Testing;

namespace OrderHub.SellingPartner.Tests.Changes;

/// <summary>The contract every change feed meets: searchOrders (Orders 2026-01-01) against the emulator over real sockets.</summary>
public class SellingPartnerChangeFeedContractTests : OrderChangeFeedContractTests
{
    protected virtual string OrdersApiVersion => SellingPartnerOrdersApi.V20260101;

    // Where the feed needs marketplaces (v0's getOrders), every marketplace the emulator's orders are placed in.
    protected virtual IReadOnlyList<string> MarketplaceIds => [];

    protected override async Task<OrderChangeFeedUnderTest> CreateFeedAsync()
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 12, SpSearchOrdersBurst = 100, SpGetOrdersBurst = 100 });
        var options = EmulatorClient.Options(emulator, OrdersApiVersion);
        options.SearchOrdersBurst = 100;
        options.GetOrdersBurst = 100;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        return new OrderChangeFeedUnderTest(
            source,
            EmulatorClient.Since(emulator),
            emulator.SellingPartner.Catalog.OrderIds,
            MarketplaceIds,
            () => DateTimeOffset.UtcNow,
            () => emulator.SellingPartner.PageRequests,
            async () =>
            {
                source.Dispose();
                await emulator.DisposeAsync();
            });
    }
}

/// <summary>The same contract through v0's getOrders, which needs marketplaces.</summary>
public sealed class SellingPartnerV0ChangeFeedContractTests : SellingPartnerChangeFeedContractTests
{
    protected override string OrdersApiVersion => SellingPartnerOrdersApi.V0;

    protected override IReadOnlyList<string> MarketplaceIds => ["ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528", "A1F83G8C2ARO7P", "A2Q3Y263D00KWC", "A33AVAJ2PDY3EV"];
}
