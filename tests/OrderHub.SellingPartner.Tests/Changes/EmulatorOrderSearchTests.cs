using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Changes;

/// <summary>
/// The emulator's searchOrders and getOrders, probed with plain HTTP requests on the emulator's clock: filters, order,
/// pages, token rules and the usage plans, with no client code taking part.
/// </summary>
public sealed class EmulatorOrderSearchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    // A window start before every seeded order: they reach back SpOrderHistory from the emulator's start.
    private static readonly string Since = Stamp((Now - new EmulatorOptions().SpOrderHistory).AddDays(-1));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(HttpClient http, EmulatorHost emulator, string token, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, pathAndQuery));
        request.Headers.Add("x-amz-access-token", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static async Task<List<JsonObject>> ReadAllAsync(HttpClient http, EmulatorHost emulator, string token, string query, bool v0 = false)
    {
        var orders = new List<JsonObject>();
        string? next = null;
        do
        {
            var path = v0
                ? $"orders/v0/orders?{query}{(next is null ? string.Empty : "&NextToken=" + Uri.EscapeDataString(next))}"
                : $"orders/2026-01-01/orders?{query}{(next is null ? string.Empty : "&paginationToken=" + Uri.EscapeDataString(next))}";
            var (status, body) = await GetAsync(http, emulator, token, path);
            status.ShouldBe(HttpStatusCode.OK, body?.ToJsonString());
            var page = v0 ? body!["payload"]! : body!;
            orders.AddRange(page[v0 ? "Orders" : "orders"]!.AsArray().Select(o => o!.AsObject()));
            next = v0 ? page["NextToken"]?.GetValue<string>() : page["pagination"]?["nextToken"]?.GetValue<string>();
        }
        while (next is not null);
        return orders;
    }

    private static string Stamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonNode order, string name) => DateTimeOffset.Parse(order[name]!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task SearchOrders_ServesEveryMatchingOrderOnce_InLastUpdatedOrder_AcrossPages()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(Now), SpOrderCount = 45, SpSearchOrdersBurst = 100 });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);

        var orders = await ReadAllAsync(http, emulator, token, $"lastUpdatedAfter={Since}&maxResultsPerPage=7");

        orders.Select(o => o["orderId"]!.GetValue<string>()).Order().ShouldBe(emulator.SellingPartner.OrderIds.Order(), "every order once");
        orders.Select(o => Time(o, "lastUpdatedTime")).ShouldBeInOrder(SortDirection.Ascending);
        emulator.SellingPartner.PagesAdmitted.ShouldBe(7);
    }

    [Fact]
    public async Task SearchOrders_Filters_ByWindowMarketplaceStatusAndFulfiller()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(Now), SpOrderCount = 120, SpSearchOrdersBurst = 100 });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);
        var records = emulator.SellingPartner.Catalog.Orders;
        var from = Now.AddDays(-80);
        var to = Now.AddDays(-5);

        var orders = await ReadAllAsync(http, emulator, token, $"lastUpdatedAfter={Stamp(from)}&lastUpdatedBefore={Stamp(to)}&marketplaceIds=ATVPDKIKX0DER,A1F83G8C2ARO7P&fulfilledBy=AMAZON&fulfillmentStatuses=SHIPPED&includedData=FULFILLMENT");

        var expected = records.Where(r =>
            Time(r.Order, "LastUpdateDate") is var t && t >= from && t <= to
            && r.Order["MarketplaceId"]!.GetValue<string>() is "ATVPDKIKX0DER" or "A1F83G8C2ARO7P"
            && r.Order["FulfillmentChannel"]!.GetValue<string>() == "AFN"
            && r.Order["OrderStatus"]!.GetValue<string>() is "Shipped" or "InvoiceUnconfirmed").Select(r => r.OrderId).Order().ToArray();
        expected.ShouldNotBeEmpty("the seed holds such orders, so the filter is tested on something");
        orders.Select(o => o["orderId"]!.GetValue<string>()).Order().ShouldBe(expected);
        orders.ShouldAllBe(o => o["fulfillment"]!["fulfillmentStatus"]!.GetValue<string>() == "SHIPPED");
    }

    [Theory]
    [InlineData("lastUpdatedAfter=2026-01-01T00:00:00Z&createdAfter=2026-01-01T00:00:00Z", "Exactly one")]
    [InlineData("createdAfter=2026-01-01T00:00:00Z&lastUpdatedBefore=2026-02-01T00:00:00Z", "cannot be mixed")]
    [InlineData("lastUpdatedAfter=2026-01-01T00:00:00Z&lastUpdatedBefore=2026-11-23T11:59:00Z", "two minutes")]
    [InlineData("lastUpdatedAfter=2026-02-01T00:00:00Z&lastUpdatedBefore=2026-01-01T00:00:00Z", "after the start")]
    [InlineData("lastUpdatedAfter=2026-01-01T00:00:00Z&maxResultsPerPage=101", "between 1 and 100")]
    [InlineData("lastUpdatedAfter=2026-01-01T00:00:00Z&fulfillmentStatuses=LOST", "not a fulfillment status")]
    [InlineData("lastUpdatedAfter=yesterday", "ISO 8601")]
    public async Task SearchOrders_RefusesWhatTheApiRefuses(string query, string message)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(Now) });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);

        var (status, body) = await GetAsync(http, emulator, token, "orders/2026-01-01/orders?" + query);

        status.ShouldBe(HttpStatusCode.BadRequest);
        body!["errors"]![0]!["code"]!.GetValue<string>().ShouldBe("InvalidInput");
        body["errors"]![0]!["details"]!.GetValue<string>().ShouldContain(message);
    }

    [Fact]
    public async Task SearchOrders_RefusesFiftyOneMarketplaces()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(Now) });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);

        var (status, _) = await GetAsync(http, emulator, token, $"orders/2026-01-01/orders?lastUpdatedAfter={Since}&marketplaceIds=" + string.Join(',', Enumerable.Range(0, 51).Select(i => $"M{i}")));

        status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PageToken_IsBoundToItsQuery_AndExpiresAfter24Hours()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 30, SpSearchOrdersBurst = 100, AccessTokenLifetime = TimeSpan.FromDays(2) });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);
        var (_, first) = await GetAsync(http, emulator, token, $"orders/2026-01-01/orders?lastUpdatedAfter={Since}&maxResultsPerPage=5");
        var next = Uri.EscapeDataString(first!["pagination"]!["nextToken"]!.GetValue<string>());
        first["lastUpdatedBefore"]!.GetValue<string>().ShouldBe("2026-11-23T11:58:00Z", "the window ends two minutes before the request");

        var (otherQuery, refused) = await GetAsync(http, emulator, token, $"orders/2026-01-01/orders?lastUpdatedAfter=2026-02-01T00:00:00Z&paginationToken={next}");
        otherQuery.ShouldBe(HttpStatusCode.BadRequest);
        refused!["errors"]![0]!["details"]!.GetValue<string>().ShouldContain("other parameters");

        clock.Advance(TimeSpan.FromHours(23));
        (await GetAsync(http, emulator, token, $"orders/2026-01-01/orders?lastUpdatedAfter={Since}&maxResultsPerPage=50&paginationToken={next}")).Status
            .ShouldBe(HttpStatusCode.OK, "a token outlives a change of page size, for 24 hours");
        clock.Advance(TimeSpan.FromHours(1.01));
        var (expired, body) = await GetAsync(http, emulator, token, $"orders/2026-01-01/orders?lastUpdatedAfter={Since}&paginationToken={next}");
        expired.ShouldBe(HttpStatusCode.BadRequest);
        body!["errors"]![0]!["details"]!.GetValue<string>().ShouldContain("expired");
    }

    [Fact]
    public async Task SearchOrders_BurstOfTwenty_ThenOneEvery180Seconds_PerSeller()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 5 });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);
        var search = $"orders/2026-01-01/orders?lastUpdatedAfter={Since}";

        for (var i = 0; i < 20; i++)
        {
            (await GetAsync(http, emulator, token, search)).Status.ShouldBe(HttpStatusCode.OK, $"request {i + 1} of the burst");
        }

        var (throttled, body) = await GetAsync(http, emulator, token, search);
        throttled.ShouldBe(HttpStatusCode.TooManyRequests);
        body!["errors"]![0]!["code"]!.GetValue<string>().ShouldBe("QuotaExceeded");
        clock.Advance(TimeSpan.FromSeconds(178));
        (await GetAsync(http, emulator, token, search)).Status.ShouldBe(HttpStatusCode.TooManyRequests, "0.0056 per second is one request per 178.6 s");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await GetAsync(http, emulator, token, search)).Status.ShouldBe(HttpStatusCode.OK);
        (await GetAsync(http, emulator, token, $"orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter={Since}")).Status
            .ShouldBe(HttpStatusCode.OK, "getOrders has a plan of its own");
    }

    [Fact]
    public async Task GetOrders_V0_NeedsAMarketplace_AndPagesInItsOwnShape()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(Now), SpOrderCount = 36, SpGetOrdersBurst = 100 });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);

        (await GetAsync(http, emulator, token, $"orders/v0/orders?LastUpdatedAfter={Since}")).Status.ShouldBe(HttpStatusCode.BadRequest);
        var orders = await ReadAllAsync(http, emulator, token, $"MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter={Since}&OrderStatuses=Pending,Unshipped&MaxResultsPerPage=2", v0: true);

        var expected = emulator.SellingPartner.Catalog.Orders.Where(r =>
            r.Order["MarketplaceId"]!.GetValue<string>() == "ATVPDKIKX0DER" && r.Order["OrderStatus"]!.GetValue<string>() is "Pending" or "Unshipped").Select(r => r.OrderId).Order();
        orders.Select(o => o["AmazonOrderId"]!.GetValue<string>()).Order().ShouldBe(expected);
        orders.ShouldAllBe(o => o["BuyerInfo"] == null, "personal data needs a restricted data token");
    }

    [Fact]
    public async Task Orders_ChangeOverTime_WhenSetTo_OneMovesOnAndOneArrivesEachInterval()
    {
        var clock = new FakeTimeProvider(Now);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 20, SpSearchOrdersBurst = 100, SpOrderChangeInterval = TimeSpan.FromMinutes(1) });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);
        clock.Advance(TimeSpan.FromMinutes(5));

        var changed = await ReadAllAsync(http, emulator, token, "lastUpdatedAfter=2026-11-23T12:00:00Z&includedData=FULFILLMENT");

        changed.Count.ShouldBe(6, "three steps have settled (two minutes before now): three orders moved on and three arrived");
        changed.Count(o => o["fulfillment"]?["fulfillmentStatus"]?.GetValue<string>() == "PENDING").ShouldBeGreaterThanOrEqualTo(3);
        emulator.SellingPartner.OrderIds.Count.ShouldBe(25, "five steps have happened");
    }
}
