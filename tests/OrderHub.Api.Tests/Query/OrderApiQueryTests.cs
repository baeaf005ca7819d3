using System.Net;
using System.Text;
using System.Text.Json;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests.Query;

/// <summary>
/// <c>GET /orders</c> and <c>GET /orders/summary</c> over a real SQLite store holding the query contract's sample
/// orders of three sources, with the expected answers from the contract's documented rules.
/// </summary>
public sealed class OrderApiQueryTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<Order> Orders = OrderQueryContractTests.SampleOrders;

    private static readonly Dictionary<string, OrderSort> SortNames = new()
    {
        ["-lastUpdated"] = OrderSort.LastUpdatedDescending,
        ["lastUpdated"] = OrderSort.LastUpdatedAscending,
        ["-created"] = OrderSort.CreatedDescending,
        ["created"] = OrderSort.CreatedAscending,
    };

    private readonly CapturingLoggerProvider _logs = new();
    private ApiFixture _fixture = null!;

    public async Task InitializeAsync()
    {
        _fixture = await ApiFixture.StartAsync(logs: _logs);
        foreach (var order in Orders)
        {
            await _fixture.Store.UpsertAsync(order);
        }
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        _logs.Dispose();
    }

    /// <summary>Each of the contract's filters as a query string (times in several ISO 8601 forms), by the filter's name.</summary>
    public static TheoryData<string, string> FilterQueries => new()
    {
        { "everything", "" },
        { "one source", "source=sp-api" },
        { "two sources", "source=outposts,acme" },
        { "accounts", "account=ATVPDKIKX0DER, op-0000000000000000b" },
        { "statuses", "status=pending,SHIPPED" },
        { "created window", "createdAfter=2026-03-01T01:00:00Z&createdBefore=2026-03-02T04:00:00%2B02:00" },
        { "created before", "createdBefore=2026-03-01T02:00:00Z" },
        { "created after", "createdAfter=2026-03-01T02:00Z" },
        { "updated window", "updatedAfter=2026-03-01T05:00:00Z&updatedBefore=2026-03-01T07:00:00Z" },

        // The offset's '+' unencoded, as a hand-typed URL sends it (it arrives as a space).
        { "updated after", "updatedAfter=2026-03-01T08:00:00+02:00" },
        { "updated before", "updatedBefore=2026-03-01T06:00:00.000Z" },
        { "seller order id", "sellerOrderId=S-1" },
        { "nothing matches", "source=sp-api&sellerOrderId=none" },
        { "partial copies", "completeness=partial" },
        { "full copies of a source", "source=sp-api&completeness=Full" },
        { "combined", "source=sp-api,outposts&status=Pending,Shipped&createdAfter=2026-03-01&updatedBefore=2026-03-01T07:00:00Z" },
    };

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static string[] Expected(OrderFilter filter, OrderSort sort) =>
        [.. Orders.Where(o => OrderQueryContractTests.Matches(filter, o)).Order(OrderQueryContractTests.SortOrder(sort)).Select(o => $"{o.Source}/{o.OrderId}")];

    private static string[] Listed(JsonElement page) =>
        [.. page.GetProperty("orders").EnumerateArray().Select(o => $"{o.GetProperty("source").GetString()}/{o.GetProperty("orderId").GetString()}")];

    private static string With(string query, string more) => query.Length == 0 ? more : query + "&" + more;

    [Theory]
    [MemberData(nameof(FilterQueries))]
    public async Task List_Filters_AnswerTheMatchingOrders_InEachSortsOrder(string filterName, string query)
    {
        var filter = OrderQueryContractTests.Filters[filterName];
        foreach (var (sortName, sort) in SortNames)
        {
            var response = await _fixture.GetAsync($"orders?{With(query, $"sort={sortName}&limit=1000")}");

            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await JsonOf(response);
            Listed(page).ShouldBe(Expected(filter, sort), $"{filterName}, sort={sortName}");
            page.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
            response.Headers.Contains("Link").ShouldBeFalse();
        }
    }

    [Fact]
    public void FilterQueries_SpellEachOfTheContractsFilters()
    {
        FilterQueries.Select(row => (string)row[0]).ShouldBe(OrderQueryContractTests.Filters.Keys, ignoreOrder: true);
    }

    [Fact]
    public async Task List_WithoutSort_IsTheMostRecentlyUpdatedFirst_100APage()
    {
        var page = await JsonOf(await _fixture.GetAsync("orders"));

        Listed(page).ShouldBe(Expected(new OrderFilter(), OrderSort.LastUpdatedDescending));
    }

    [Theory]
    [InlineData("-lastUpdated")]
    [InlineData("lastUpdated")]
    [InlineData("-created")]
    [InlineData("created")]
    public async Task List_PagedToTheEnd_ByTheLinkHeader_SeesEveryOrderOnce_InOrder(string sort)
    {
        var seen = new List<string>();
        var pages = 0;
        Uri? next = new(_fixture.Api.BaseAddress, $"orders?source=sp-api,outposts&status=Pending,Shipped,Cancelled,InProgress,Completed&sort={sort}&limit=3");
        while (next is not null)
        {
            var response = await _fixture.GetAsync(next.PathAndQuery.TrimStart('/'));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await JsonOf(response);
            var listed = Listed(page);
            listed.Length.ShouldBeInRange(1, 3);
            seen.AddRange(listed);
            pages++;

            var cursor = page.GetProperty("nextCursor").GetString();
            if (response.Headers.TryGetValues("Link", out var links))
            {
                var link = links.ShouldHaveSingleItem();
                link.ShouldEndWith(">; rel=\"next\"");
                next = new Uri(new Uri(_fixture.Api.BaseAddress, "orders"), link[1..link.IndexOf('>', StringComparison.Ordinal)]);

                // The same filters, sort and limit, and the page's cursor.
                var parameters = System.Web.HttpUtility.ParseQueryString(next.Query);
                parameters["source"].ShouldBe("sp-api,outposts");
                parameters["status"].ShouldBe("Pending,Shipped,Cancelled,InProgress,Completed");
                parameters["sort"].ShouldBe(sort);
                parameters["limit"].ShouldBe("3");
                parameters["cursor"].ShouldBe(cursor);
                cursor.ShouldNotBeNull();
            }
            else
            {
                cursor.ShouldBeNull();
                next = null;
            }
        }

        var filter = new OrderFilter { Sources = ["sp-api", "outposts"], Statuses = [OrderStatus.Pending, OrderStatus.Shipped, OrderStatus.Cancelled, OrderStatus.InProgress, OrderStatus.Completed] };
        seen.ShouldBe(Expected(filter, SortNames[sort]));
        seen.Count.ShouldBe(8);
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task List_ByNextCursor_MayChangeTheLimit_ButACursorWithAnotherQueryIs400NamingTheCursor()
    {
        var first = await JsonOf(await _fixture.GetAsync("orders?status=Pending&sort=created&limit=1"));
        var cursor = Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!);

        var rest = await _fixture.GetAsync($"orders?status=Pending&sort=created&limit=10&cursor={cursor}");
        var otherFilter = await _fixture.GetAsync($"orders?status=Shipped&sort=created&limit=1&cursor={cursor}");
        var otherSort = await _fixture.GetAsync($"orders?status=Pending&sort=-created&limit=1&cursor={cursor}");

        var expected = Expected(new OrderFilter { Statuses = [OrderStatus.Pending] }, OrderSort.CreatedAscending);
        Listed(first).Concat(Listed(await JsonOf(rest))).ShouldBe(expected);
        foreach (var refused in new[] { otherFilter, otherSort })
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await JsonOf(refused);
            problem.GetProperty("parameter").GetString().ShouldBe("cursor");
            problem.GetProperty("detail").GetString()!.ShouldContain("continues only the query that made it");
        }
    }

    [Fact]
    public async Task List_WritesEachOrder_AsTheStoredPublicJson_ByteForByte_WithoutPersonalData_ForEveryKey()
    {
        foreach (var key in new[] { ApiFixture.ReaderKey, ApiFixture.AdminKey })
        {
            var response = await _fixture.GetAsync("orders?limit=1000", key);
            var body = await response.Content.ReadAsByteArrayAsync();

            using var page = JsonDocument.Parse(body);
            var orders = page.RootElement.GetProperty("orders").EnumerateArray().ToList();
            orders.Count.ShouldBe(Orders.Count);
            foreach (var order in orders)
            {
                var stored = await _fixture.Store.GetPublicAsync(order.GetProperty("source").GetString()!, order.GetProperty("orderId").GetString()!);
                order.GetRawText().ShouldBe(Encoding.UTF8.GetString(stored!.PublicJson));
            }

            // The sample orders' buyer name is in their address and in a provider's details: the store keeps neither.
            Encoding.UTF8.GetString(body).ShouldNotContain("Jane Buyer");
            Encoding.UTF8.GetString(body).ShouldContain("\"tier\":\"gold\"");
        }
    }

    [Fact]
    public async Task Summary_BySourceAndStatus_CountsAndTotalsPerCurrency_AsDecimalStrings()
    {
        var response = await _fixture.GetAsync("orders/summary?groupBy=status,source");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var groups = (await JsonOf(response)).GetProperty("groups").EnumerateArray().ToList();
        var expected = Orders
            .GroupBy(o => (o.Source, Status: o.Status.Value.ToString()))
            .OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => Enum.Parse<OrderStatus>(g.Key.Status))
            .ToList();
        groups.Select(g => (g.GetProperty("source").GetString(), g.GetProperty("status").GetString(), g.GetProperty("count").GetInt64()))
            .ShouldBe(expected.Select(g => ((string?)g.Key.Source, (string?)g.Key.Status, (long)g.Count())));
        foreach (var (group, orders) in groups.Zip(expected))
        {
            group.TryGetProperty("account", out _).ShouldBeFalse();
            var totals = group.GetProperty("totals").EnumerateArray().ToList();
            totals.ShouldAllBe(t => t.GetProperty("amount").ValueKind == JsonValueKind.String);
            totals.Select(t => (t.TryGetProperty("currencyCode", out var c) ? c.GetString() : null, decimal.Parse(t.GetProperty("amount").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
                .ShouldBe(orders.Where(o => o.Total is not null).GroupBy(o => o.Total!.Value.CurrencyCode).OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => (c.Key, c.Sum(o => o.Total!.Value.Amount))));
        }
    }

    [Fact]
    public async Task Summary_OfOneSource_ByMonth_KeepsEachCurrencyApart_AndWithoutGroupBy_IsOneGroup()
    {
        var byMonth = (await JsonOf(await _fixture.GetAsync("orders/summary?groupBy=createdMonth&source=outposts"))).GetProperty("groups");
        var all = (await JsonOf(await _fixture.GetAsync("orders/summary"))).GetProperty("groups");

        // Outposts: two orders without a creation time (one total without a currency, one in USD) first, then two of March, in EUR and USD.
        byMonth.GetRawText().ShouldBe(
            """[{"createdMonth":null,"count":2,"totals":[{"amount":"3"},{"amount":"1.5","currencyCode":"USD"}]},{"createdMonth":"2026-03","count":2,"totals":[{"amount":"2","currencyCode":"EUR"},{"amount":"100","currencyCode":"USD"}]}]""");
        all.GetArrayLength().ShouldBe(1);
        all[0].GetProperty("count").GetInt64().ShouldBe(Orders.Count);
        all[0].TryGetProperty("source", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("orders?limit=0", "limit", "from 1 to 1000")]
    [InlineData("orders?limit=1001", "limit", "from 1 to 1000")]
    [InlineData("orders?limit=ten", "limit", "whole number")]
    [InlineData("orders?sort=newest", "sort", "-lastUpdated, lastUpdated, -created, created")]
    [InlineData("orders?status=Lost", "status", "Pending, InProgress")]
    [InlineData("orders?status=3", "status", "Pending, InProgress")]
    [InlineData("orders?status=Pending&status=Shipped", "status", "separated by commas")]
    [InlineData("orders?source=sp-api,,outposts", "source", "must not hold an empty value")]
    [InlineData("orders?account=", "account", "must not hold an empty value")]
    [InlineData("orders?createdAfter=yesterday", "createdAfter", "ISO 8601")]
    [InlineData("orders?updatedBefore=01/03/2026", "updatedBefore", "ISO 8601")]
    [InlineData("orders?createdAfter=2026-03-02&createdBefore=2026-03-01", "createdBefore", "must be later than createdAfter")]
    [InlineData("orders?sellerOrderId=", "sellerOrderId", "must not be empty")]
    [InlineData("orders?completeness=half", "completeness", "must be full or partial; 'half' was given")]
    [InlineData("orders?completeness=1", "completeness", "must be full or partial")]
    [InlineData("orders/summary?completeness=", "completeness", "must be full or partial")]
    [InlineData("orders?cursor=not-a-cursor", "cursor", "nextCursor unchanged")]
    [InlineData("orders?statuses=Pending", "statuses", "it takes source, account, status")]
    [InlineData("orders?source=" + "a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a,a", "source", "At most 100")]
    [InlineData("orders?groupBy=status", "groupBy", "it takes source")]
    [InlineData("orders/summary?groupBy=weekday", "groupBy", "source, account, status, createdDay, createdMonth")]
    [InlineData("orders/summary?groupBy=createdDay,createdMonth", "groupBy", "not both")]
    [InlineData("orders/summary?limit=5", "limit", "it takes groupBy")]
    [InlineData("orders/summary?status=Lost", "status", "Pending, InProgress")]
    public async Task BadParameter_Is400Problem_NamingTheParameter_AndWhatIsAccepted(string path, string parameter, string accepted)
    {
        var response = await _fixture.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await JsonOf(response);
        problem.GetProperty("parameter").GetString().ShouldBe(parameter);
        problem.GetProperty("detail").GetString()!.ShouldContain(accepted);
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("orders/summary")]
    public async Task Query_WithoutAKey_WithAWrongOne_OrWithOneInTheUrl_Is401Problem(string path)
    {
        var missing = await _fixture.GetAsync(path, key: null);
        var wrong = await _fixture.GetAsync(path, key: "wrong-key");
        var inUrl = await _fixture.GetAsync($"{path}?api_key={ApiFixture.ReaderKey}", key: null);

        foreach (var response in new[] { missing, wrong, inUrl })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            (await response.Content.ReadAsStringAsync()).ShouldNotContain("orderId\":\"");
        }
    }

    [Fact]
    public async Task LookupRoutes_StillAnswerAnOrder_AndSummaryIsNotTakenForAnId()
    {
        var spId = _fixture.Emulator.SellingPartner.OrderIds[0];
        var outpostsId = _fixture.Emulator.Outposts.OrderIds[0];

        var byId = await JsonOf(await _fixture.GetAsync($"orders/{spId}"));
        var bySource = await JsonOf(await _fixture.GetAsync($"orders/outposts/{outpostsId}"));
        var summary = await _fixture.GetAsync("orders/summary");

        byId.GetProperty("orderId").GetString().ShouldBe(spId);
        bySource.GetProperty("orderId").GetString().ShouldBe(outpostsId);
        summary.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonOf(summary)).GetProperty("groups").ValueKind.ShouldBe(JsonValueKind.Array);
        _fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task Query_IsLoggedByRouteTemplate_NeverByItsValues()
    {
        (await _fixture.GetAsync("orders?sellerOrderId=S-1&source=sp-api")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _fixture.GetAsync("orders/summary?sellerOrderId=S-3&groupBy=weekday")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        await Eventually.TrueAsync(() => _logs.Lines.Count(l => l.Contains(" answered ", StringComparison.Ordinal)) >= 2, "both requests are logged");
        var lines = _logs.Lines.ToList();
        lines.ShouldContain(l => l.Contains("GET /orders answered 200", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("GET /orders/summary answered 400", StringComparison.Ordinal));
        lines.ShouldAllBe(l => !l.Contains("S-1") && !l.Contains("S-3") && !l.Contains("sellerOrderId"));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesBothEndpoints_TheirParameters_AndTheKey()
    {
        var document = JsonDocument.Parse(await _fixture.Client.GetStringAsync(new Uri(_fixture.Api.BaseAddress, "openapi/v1.json"))).RootElement;
        var paths = document.GetProperty("paths");

        var list = paths.GetProperty("/orders").GetProperty("get");
        var summary = paths.GetProperty("/orders/summary").GetProperty("get");
        static string[] Parameters(JsonElement operation) => [.. operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
        Parameters(list).ShouldBe(["source", "account", "status", "createdAfter", "createdBefore", "updatedAfter", "updatedBefore", "sellerOrderId", "completeness", "sort", "limit", "cursor"]);
        Parameters(summary).ShouldBe(["groupBy", "source", "account", "status", "createdAfter", "createdBefore", "updatedAfter", "updatedBefore", "sellerOrderId", "completeness"]);
        var completeness = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "completeness");
        completeness.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldBe(["full", "partial"]);
        var status = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status");
        status.GetProperty("explode").GetBoolean().ShouldBeFalse();
        status.GetProperty("schema").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ShouldContain("Shipped");
        foreach (var operation in new[] { list, summary })
        {
            operation.GetProperty("security").GetArrayLength().ShouldBe(1);
            operation.GetProperty("responses").GetProperty("400").ShouldNotBe(default);
            operation.GetProperty("description").GetString()!.ShouldContain("the store keeps no personal data");
        }

        JsonElement Answer(JsonElement operation)
        {
            var reference = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
            return document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]).GetProperty("properties");
        }

        Answer(list).GetProperty("orders").GetRawText().ShouldContain("#/components/schemas/Order\"");
        Answer(list).TryGetProperty("nextCursor", out _).ShouldBeTrue();
        Answer(summary).GetProperty("groups").GetRawText().ShouldContain("OrderSummaryGroup");
        paths.TryGetProperty("/orders/{orderId}", out _).ShouldBeTrue();
    }
}

public sealed class OrderApiQueryWithoutAQueryableStoreTests
{
    [Fact]
    public async Task Query_OverAStoreThatIsNoIOrderQuery_Is501Problem_AndTheLookupStillWorks()
    {
        await using var fixture = await ApiFixture.StartAsync(wrapStore: store => new CountingStore(store));

        var list = await fixture.GetAsync("orders");
        var lookup = await fixture.GetAsync($"orders/{fixture.Emulator.SellingPartner.OrderIds[0]}");

        list.StatusCode.ShouldBe(HttpStatusCode.NotImplemented);
        list.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await list.Content.ReadAsStringAsync()).ShouldContain("IOrderQuery");
        lookup.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
