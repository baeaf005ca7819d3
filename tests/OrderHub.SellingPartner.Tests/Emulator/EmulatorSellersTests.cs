using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.SellingPartner;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Emulator;

/// <summary>
/// The emulator's sellers and the dates of its orders, probed with plain HTTP: several sellers each in the marketplaces
/// of its region, and orders dated relative to the emulator's start on its clock.
/// </summary>
public sealed class EmulatorSellersTests
{
    private static readonly DateTimeOffset Start = new(2027, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    private static string Stamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonNode order, string name) => DateTimeOffset.Parse(order[name]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static async Task<List<JsonObject>> SearchAllAsync(HttpClient http, EmulatorHost emulator, string token, string query)
    {
        var orders = new List<JsonObject>();
        string? next = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, $"orders/2026-01-01/orders?{query}{(next is null ? string.Empty : "&paginationToken=" + Uri.EscapeDataString(next))}"));
            request.Headers.Add("x-amz-access-token", token);
            using var response = await http.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            response.StatusCode.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
            orders.AddRange(body["orders"]!.AsArray().Select(o => o!.AsObject()));
            next = body["pagination"]?["nextToken"]?.GetValue<string>();
        }
        while (next is not null);
        return orders;
    }

    [Fact]
    public async Task SellersWithRegions_EachSellsInItsRegionsMarketplaces_InTheirCurrencies_CoveringEveryStatus_AndSeesOnlyItsOwnOrders()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            TimeProvider = clock,
            SpOrderCount = 90,
            SpSearchOrdersBurst = 100,
            RefreshTokens = ["Atzr|eu", "Atzr|na", "Atzr|fe"],
            SellerRegions = { ["Atzr|eu"] = "eu", ["Atzr|na"] = "na", ["Atzr|fe"] = "fe" },
        });
        using var http = new HttpClient();
        var expectedSites = new Dictionary<string, (string Site, string Currency)>
        {
            ["A1PA6795UKMFR9"] = ("Amazon.de", "EUR"), ["A1F83G8C2ARO7P"] = ("Amazon.co.uk", "GBP"), ["ATVPDKIKX0DER"] = ("Amazon.com", "USD"),
            ["A2EUQ1WTGCTBG2"] = ("Amazon.ca", "CAD"), ["A1AM78C64UM0Y8"] = ("Amazon.com.mx", "MXN"), ["A1VC38T7YXB528"] = ("Amazon.co.jp", "JPY"),
            ["A39IBJ37TRP1C6"] = ("Amazon.com.au", "AUD"), ["A19VAU5U5O7RUS"] = ("Amazon.sg", "SGD"),
        };

        for (var seller = 0; seller < 3; seller++)
        {
            var token = await EmulatorQuotaTests.TokenAsync(http, emulator, seller);
            var orders = await SearchAllAsync(http, emulator, token, $"createdAfter={Stamp(Start.AddDays(-100))}&includedData=PROCEEDS,FULFILLMENT");
            var region = SpSellers.Regions[emulator.SellingPartner.Options.SellerRegions[emulator.SellingPartner.Options.RefreshTokens[seller]]];

            orders.Select(o => o["orderId"]!.GetValue<string>()).Order().ShouldBe(emulator.SellingPartner.OrderIdsOf(seller).Order(), "a seller lists its own orders, all of them");
            orders.Count.ShouldBe(30);
            var marketplaces = orders.Select(o => o["salesChannel"]!["marketplaceId"]!.GetValue<string>()).ToHashSet();
            marketplaces.ShouldBe(region.Select(m => m.Id).ToHashSet(), ignoreOrder: true, "its orders are dealt out over every marketplace of its region, and no other");
            emulator.SellingPartner.MarketplaceIdsOf(seller).ShouldBe(region.Select(m => m.Id));
            foreach (var order in orders)
            {
                var marketplace = region.Single(m => m.Id == order["salesChannel"]!["marketplaceId"]!.GetValue<string>());
                order["salesChannel"]!["marketplaceName"]!.GetValue<string>().ShouldBe(marketplace.Site);
                order["proceeds"]!["grandTotal"]!["currencyCode"]!.GetValue<string>().ShouldBe(marketplace.Currency);
                if (expectedSites.TryGetValue(marketplace.Id, out var expected))
                {
                    (marketplace.Site, marketplace.Currency).ShouldBe(expected);
                }
            }

            orders.Select(o => o["fulfillment"]!["fulfillmentStatus"]!.GetValue<string>()).Distinct().Count().ShouldBe(7, "each seller's orders cover every fulfillment status");
            orders.Select(o => o["fulfillment"]!["fulfilledBy"]!.GetValue<string>()).Distinct().Count().ShouldBe(2, "and both fulfilling parties");
        }

        var eu = await EmulatorQuotaTests.TokenAsync(http, emulator, 0);
        using var other = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, $"orders/v0/orders/{emulator.SellingPartner.OrderIdsOf(1)[0]}"));
        other.Headers.Add("x-amz-access-token", eu);
        (await http.SendAsync(other)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "another seller's order is not found, as on the real API");
    }

    [Fact]
    public async Task ASellerWithoutARegion_SellsInSixMarketplacesOfTheThreeRegions_AsOneSellerAlwaysDid()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 12 });

        emulator.SellingPartner.MarketplaceIdsOf(0).ShouldBe(["ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528", "A1F83G8C2ARO7P", "A2Q3Y263D00KWC", "A33AVAJ2PDY3EV"]);
        emulator.SellingPartner.OrderIds.Select(id => emulator.SellingPartner.GetOrderPayload(id)!["MarketplaceId"]!.GetValue<string>())
            .ShouldBe(Enumerable.Range(0, 12).Select(i => emulator.SellingPartner.MarketplaceIdsOf(0)[i % 6]), "in turn");
    }

    [Theory]
    [InlineData("us", "'us' is not a Selling Partner region: expected na, eu or fe.")]
    [InlineData("eu", "names a refresh token that is not in EmulatorOptions.RefreshTokens")]
    public async Task ABadSellerSetting_StopsTheStart_WithAMessageThatSaysWhatIsExpected(string region, string message)
    {
        var options = new EmulatorOptions { RefreshTokens = ["Atzr|one"] };
        options.SellerRegions[region == "us" ? "Atzr|one" : "Atzr|unknown"] = region;

        var error = await Should.ThrowAsync<ArgumentException>(() => EmulatorHost.StartAsync(options));

        error.Message.ShouldContain(message);
        error.Message.ShouldNotContain("Atzr|", Case.Sensitive, "a refresh token is a secret, even the emulator's");
    }

    [Fact]
    public async Task Orders_AreDatedOverTheHistoryBeforeTheStart_SoTheLastWeekHoldsSome_AndAllHaveSettled()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 200, SpSearchOrdersBurst = 100 });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);
        var history = emulator.SellingPartner.Options.SpOrderHistory;
        var orders = emulator.SellingPartner.Catalog.Orders.Select(r => r.Order).ToArray();

        orders.ShouldAllBe(o => Time(o, "PurchaseDate") >= Start - history - TimeSpan.FromHours(1) && Time(o, "PurchaseDate") <= Start - TimeSpan.FromHours(1));
        orders.ShouldAllBe(o => Time(o, "LastUpdateDate") >= Time(o, "PurchaseDate") && Time(o, "LastUpdateDate") <= Start - TimeSpan.FromHours(1));
        orders.Min(o => Time(o, "PurchaseDate")).ShouldBeLessThan(Start - (history * 0.9), "spread over the whole history");
        orders.Max(o => Time(o, "PurchaseDate")).ShouldBeGreaterThan(Start - (history * 0.1));

        var lastWeek = await SearchAllAsync(http, emulator, token, $"createdAfter={Stamp(Start.AddDays(-7))}");
        var expected = orders.Where(o => Time(o, "PurchaseDate") >= Start.AddDays(-7)).Select(o => o["AmazonOrderId"]!.GetValue<string>()).Order().ToArray();
        expected.Length.ShouldBeGreaterThan(5, "about 200 × 7 / 90 orders were placed in the last week");
        lastWeek.Select(o => o["orderId"]!.GetValue<string>()).Order().ShouldBe(expected);
        (await SearchAllAsync(http, emulator, token, $"lastUpdatedAfter={Stamp(Start - history - TimeSpan.FromDays(1))}")).Count
            .ShouldBe(200, "every seeded order has settled by the start: a search then sees them all");
    }

    [Fact]
    public async Task TheSameSeedAndStart_GiveTheSameOrders_AndALaterStart_TheSameOrdersThatMuchLater()
    {
        static async Task<JsonObject[]> OrdersAtAsync(DateTimeOffset start)
        {
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = new FakeTimeProvider(start), SpOrderCount = 50, SpOrderHistory = TimeSpan.FromDays(730) });
            return [.. emulator.SellingPartner.OrderIds.Select(id => emulator.SellingPartner.GetOrderPayload(id)!)];
        }

        var first = await OrdersAtAsync(Start);
        var again = await OrdersAtAsync(Start);
        var later = await OrdersAtAsync(Start.AddDays(10));

        again.Select(o => o.ToJsonString()).ShouldBe(first.Select(o => o.ToJsonString()));
        later.Select(o => o["AmazonOrderId"]!.GetValue<string>()).ShouldBe(first.Select(o => o["AmazonOrderId"]!.GetValue<string>()));
        foreach (var name in new[] { "PurchaseDate", "LastUpdateDate", "LatestShipDate" })
        {
            later.Zip(first).ShouldAllBe(p => Time(p.First, name) - Time(p.Second, name) == TimeSpan.FromDays(10), name);
        }

        first.Min(o => Time(o, "PurchaseDate")).ShouldBeLessThan(Start.AddDays(-600), "SpOrderHistory reaches two years back");
    }
}
