using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.Json;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Changes;

/// <summary>The Selling Partner source's change feed (searchOrders, getOrders) against the emulator over real sockets.</summary>
public sealed class SellingPartnerChangeFeedTests
{
    private static readonly DateTimeOffset Since = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SellingPartnerOrderSource Source(EmulatorHost emulator, string version, Action<SellingPartnerOrderSourceOptions>? configure = null)
    {
        var options = EmulatorClient.Options(emulator, version);
        options.SearchOrdersBurst = 100;
        options.GetOrdersBurst = 100;
        options.GetOrderBurst = 100;
        configure?.Invoke(options);
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
    }

    private static async Task<List<OrderChangePage>> ReadAllAsync(IOrderChangeFeed feed, OrderChangeQuery query)
    {
        var pages = new List<OrderChangePage>();
        await foreach (var page in feed.ReadChangesAsync(query))
        {
            pages.Add(page);
        }

        return pages;
    }

    [Fact]
    public async Task SearchOrders_ReadsEveryOrderOnce_AsWholeOrders_StoredExactlyAsGetOrderWouldStoreThem()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 30, SpSearchOrdersBurst = 100, SpGetOrderBurst = 100 });
        using var source = Source(emulator, SellingPartnerOrdersApi.V20260101);

        var pages = await ReadAllAsync(source, new OrderChangeQuery { After = EmulatorClient.Since(emulator), PageSize = 8 });

        pages.Count.ShouldBe(4);
        pages.ShouldAllBe(p => p.RequestId != null && p.WindowEnd != null);
        var orders = pages.SelectMany(p => p.Orders).ToArray();
        orders.Select(o => o.OrderId).Order().ShouldBe(emulator.SellingPartner.OrderIds.Order());
        emulator.SellingPartner.GetOrderRequests.ShouldBe(0, "pages carry whole orders: no getOrder is spent");
        foreach (var order in orders.Take(5))
        {
            var read = await source.GetOrderAsync(order.OrderId);
            OrderJson.ContentHash(order).ShouldBe(OrderJson.ContentHash(read), "an order listed and an order read are stored the same, so the overlap counts as unchanged");
        }
    }

    [Fact]
    public async Task GetOrders_V0_ReadsTheMarketplaceGiven_UnderItsOwnPlan()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 36, SpGetOrdersBurst = 100, SpGetOrderBurst = 100 });
        using var source = Source(emulator, SellingPartnerOrdersApi.V0);

        var orders = (await ReadAllAsync(source, new OrderChangeQuery { After = EmulatorClient.Since(emulator), MarketplaceIds = ["ATVPDKIKX0DER"], FulfillmentStatuses = ["PENDING", "SHIPPED"], PageSize = 2 })).SelectMany(p => p.Orders).ToArray();

        var expected = emulator.SellingPartner.Catalog.Orders
            .Where(r => r.Order["MarketplaceId"]!.GetValue<string>() == "ATVPDKIKX0DER" && r.Order["OrderStatus"]!.GetValue<string>() is "Pending" or "Shipped" or "InvoiceUnconfirmed")
            .Select(r => r.OrderId).Order().ToArray();
        expected.ShouldNotBeEmpty();
        orders.Select(o => o.OrderId).Order().ShouldBe(expected);
        var read = await source.GetOrderAsync(orders[0].OrderId);
        OrderJson.ContentHash(orders[0]).ShouldBe(OrderJson.ContentHash(read));
    }

    public static TheoryData<string, OrderChangeQuery, string> RefusedQueries => new()
    {
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since, MarketplaceIds = [.. Enumerable.Range(0, 51).Select(i => $"M{i}")] }, "at most 50 marketplaces" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since, PageSize = 101 }, "1 to 100 orders" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since, FulfillmentStatuses = ["LOST"] }, "use one of PENDING_AVAILABILITY" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since, FulfilledBy = ["SELLER"] }, "MERCHANT, AMAZON" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since, Before = DateTimeOffset.UtcNow.AddMinutes(-1) }, "2 minutes before now" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since.AddMonths(2), Before = Since }, "not be earlier than its start" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = DateTimeOffset.UtcNow.AddMinutes(1) }, "2 minutes before now" },
        { SellingPartnerOrdersApi.V20260101, new OrderChangeQuery { After = Since, MarketplaceIds = ["ATVPDKIKX0DER&x=1"] }, "letters and digits" },
        { SellingPartnerOrdersApi.V0, new OrderChangeQuery { After = Since }, "at least one marketplace id" },
    };

    [Theory]
    [MemberData(nameof(RefusedQueries))]
    public async Task QueryTheApiWouldRefuse_IsRefusedBeforeAnyRequest_SayingWhatIsAllowed(string version, OrderChangeQuery query, string message)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = Source(emulator, version);

        var error = Should.Throw<InvalidOrderRequestException>(() => source.ReadChangesAsync(query));

        error.Message.ShouldContain(message);
        error.ParameterName.ShouldNotBeNull();
        emulator.SellingPartner.TokenRequests.ShouldBe(0);
        emulator.SellingPartner.PageRequests.ShouldBe(0);
    }

    [Fact]
    public async Task ExpiredPageToken_RaisesTheTypedError_WithTheUpstreamRequestId()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 20, SpSearchOrdersBurst = 100 });
        using var source = Source(emulator, SellingPartnerOrdersApi.V20260101);
        await using var pages = source.ReadChangesAsync(new OrderChangeQuery { After = EmulatorClient.Since(emulator), PageSize = 5 }).GetAsyncEnumerator();
        (await pages.MoveNextAsync()).ShouldBeTrue();
        pages.Current.NextPageToken.ShouldNotBeNull();

        clock.Advance(TimeSpan.FromHours(25));
        var error = await Should.ThrowAsync<OrderPageTokenExpiredException>(async () => await pages.MoveNextAsync());

        error.RequestId.ShouldNotBeNull();
        error.Message.ShouldContain("again from its first page");
    }

    [Fact]
    public async Task SavedPageTokenRefusedWithAGenericError_IsTheTokensError_AndTheSameQueryWithoutATokenIsTheCallers()
    {
        var refused = ScriptedResponse.Error(400, "InvalidInput", "Invalid Input");
        await using var server = await ScriptedSellingPartner.StartAsync(refused);
        server.OrdersApiVersion = SellingPartnerOrdersApi.V20260101;
        using var source = server.CreateSource();

        var withToken = await Should.ThrowAsync<OrderPageTokenExpiredException>(async () => await ReadAllAsync(source, new OrderChangeQuery { After = Since, PageToken = "saved-token" }));
        var withoutToken = await Should.ThrowAsync<InvalidOrderRequestException>(async () => await ReadAllAsync(source, new OrderChangeQuery { After = Since }));

        withToken.RequestId.ShouldBe("req-400");
        withToken.Message.ShouldContain("again from its first page");
        withoutToken.ShouldNotBeOfType<OrderPageTokenExpiredException>();
    }

    [Fact]
    public async Task MalformedPage_IsAProtocolError_CarryingTheRequestId()
    {
        await using var server = await ScriptedSellingPartner.StartAsync(
            new ScriptedResponse(200, "{}", new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-bad-page" }, """{"orders":[{"orderId":"902-3159896-1390916","createdTime":"not a time"}]}"""));
        server.OrdersApiVersion = SellingPartnerOrdersApi.V20260101;
        using var source = server.CreateSource();

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(async () => await ReadAllAsync(source, new OrderChangeQuery { After = Since }));

        error.RequestId.ShouldBe("req-bad-page");
        server.QueriesSeen.Single().ShouldContain("lastUpdatedAfter=2026-01-01T00%3A00%3A00Z");
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(20, 1)]
    public async Task Pages_AreSentAtThePlansPace_AndAClientThatIgnoresThePlanIsThrottled(int clientBurst, int minimumThrottled)
    {
        // The emulator judges arrivals with its own algorithm and shares no code with the client's limiter; it shares
        // this test process with the others, so a quarter second of its stalls is not counted against the client.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            SpOrderCount = 40, SpSearchOrdersRate = 20, SpSearchOrdersBurst = 2, SpQuotaJitterTolerance = TimeSpan.FromMilliseconds(250),
        });
        using var source = Source(emulator, SellingPartnerOrdersApi.V20260101, o =>
        {
            o.SearchOrdersPermitsPerSecond = 20;
            o.SearchOrdersBurst = clientBurst;
            o.BurstLatencyAllowance = TimeSpan.FromMilliseconds(500);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        });

        var pages = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ReadAllAsync(source, new OrderChangeQuery { After = EmulatorClient.Since(emulator), PageSize = 20 })));

        pages.ShouldAllBe(p => p.Sum(page => page.Orders.Count) == 40);
        if (minimumThrottled == 0)
        {
            emulator.SellingPartner.Throttled.ShouldBe(0, "the client keeps to 20 pages a second after a burst of 2");
            emulator.SellingPartner.PageRequests.ShouldBe(20);
        }
        else
        {
            emulator.SellingPartner.Throttled.ShouldBeGreaterThanOrEqualTo(minimumThrottled, "a burst of 20 against a plan of 2 is refused: the judge can fail a client");
        }
    }
}
