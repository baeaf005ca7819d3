using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CsvHelper;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.SellingPartner;
using OrderHub.Emulator.SellingPartner.Reports;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Emulator;

/// <summary>
/// The emulator's Reports API for the order reports, probed with plain HTTP on the emulator's clock (time moved by a
/// fake clock, never slept): the report's life, its document read back with a CSV library by header name against the
/// seeded orders, the pre-signed URL, the usage plans and the limits.
/// </summary>
public sealed class EmulatorReportsTests
{
    private const string ByOrderDate = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL";
    private const string ByLastUpdate = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";
    private const string Archived = "GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE";

    // The columns order-reports.md lists, in its order.
    private static readonly string[] DocumentedColumns =
    [
        "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel", "sales-channel",
        "order-channel", "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax",
        "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount", "ship-city",
        "ship-state", "ship-postal-code", "ship-country", "promotion-ids", "is-business-order", "purchase-order-number", "price-designation",
    ];

    private static readonly DateTimeOffset Start = new(2027, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static readonly string[] MixedMarketplaces = ["ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528", "A1F83G8C2ARO7P", "A2Q3Y263D00KWC", "A33AVAJ2PDY3EV"];

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonNode order, string name) => DateTimeOffset.Parse(order[name]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static JsonObject Body(string reportType, DateTimeOffset start, DateTimeOffset end, params string[] marketplaces) => new()
    {
        ["reportType"] = reportType,
        ["marketplaceIds"] = new JsonArray([.. (marketplaces.Length == 0 ? MixedMarketplaces : marketplaces).Select(m => (JsonNode)m)]),
        ["dataStartTime"] = Stamp(start),
        ["dataEndTime"] = Stamp(end),
    };

    /// <summary>A seller's session with the emulator: its access token, and the requests the tests make.</summary>
    private sealed class Session(EmulatorHost emulator, HttpClient http, string token) : IDisposable
    {
        public static async Task<Session> StartAsync(EmulatorHost emulator, int seller = 0)
        {
            var http = new HttpClient();
            return new Session(emulator, http, await EmulatorQuotaTests.TokenAsync(http, emulator, seller));
        }

        public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, JsonNode? body = null, bool authenticated = true)
        {
            using var request = new HttpRequestMessage(method, new Uri(emulator.BaseAddress, path));
            if (authenticated)
            {
                request.Headers.Add("x-amz-access-token", token);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
        }

        public async Task<string> CreateAsync(JsonObject body)
        {
            var (status, answer, _) = await SendAsync(HttpMethod.Post, "reports/2021-06-30/reports", body);
            status.ShouldBe(HttpStatusCode.Accepted, answer?.ToJsonString());
            return answer!["reportId"]!.GetValue<string>();
        }

        public async Task<JsonNode> ReportAsync(string reportId)
        {
            var (status, answer, _) = await SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports/{reportId}");
            status.ShouldBe(HttpStatusCode.OK, answer?.ToJsonString());
            return answer!;
        }

        public async Task<JsonNode> DocumentAsync(string documentId, bool contentEncodingHeader = false)
        {
            var (status, answer, _) = await SendAsync(HttpMethod.Get, $"reports/2021-06-30/documents/{Uri.EscapeDataString(documentId)}{(contentEncodingHeader ? "?enableContentEncodingUrlHeader=true" : string.Empty)}");
            status.ShouldBe(HttpStatusCode.OK, answer?.ToJsonString());
            return answer!;
        }

        // The document host: a plain GET of the pre-signed URL, with no access token (unless a test sends one on purpose).
        public async Task<HttpResponseMessage> DownloadAsync(string url, bool withAccessToken = false)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (withAccessToken)
            {
                request.Headers.Add("x-amz-access-token", token);
            }

            return await http.SendAsync(request);
        }

        public void Dispose() => http.Dispose();
    }

    // Reads a gzip-compressed flat file as a client must: decompressed as a stream, by header name, tab-separated with
    // no quoting.
    private static (IReadOnlyList<string> Header, List<Dictionary<string, string>> Rows) ReadFlatFile(byte[] gzip)
    {
        using var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var reader = CsvReader.Create(stream, new CsvReaderOptions { Separator = '\t', Mode = CsvMode.NoEscape });
        var header = reader.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.ToDictionary(h => h, h => reader.GetString(h), StringComparer.Ordinal));
        }

        return (header, rows);
    }

    private static async Task<string> UntilFinalAsync(Session session, FakeTimeProvider clock, string reportId, TimeSpan delay)
    {
        clock.Advance(delay);
        return (await session.ReportAsync(reportId))["processingStatus"]!.GetValue<string>();
    }

    [Fact]
    public async Task AReport_GoesFromInQueue_ThroughInProgress_ToDone_AndItsGzipDocument_HoldsTheWindowsOrders_OneRowAnItem_ByHeaderName()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 150, SpGetOrderBurst = 1000 });
        using var session = await Session.StartAsync(emulator);
        var (from, to) = (Start.AddDays(-40), Start.AddDays(-10));

        var reportId = await session.CreateAsync(Body(ByOrderDate, from, to));

        var queued = await session.ReportAsync(reportId);
        queued["processingStatus"]!.GetValue<string>().ShouldBe("IN_QUEUE");
        (queued["reportType"]!.GetValue<string>(), queued["createdTime"]!.GetValue<string>()).ShouldBe((ByOrderDate, "2027-03-14T09:26:53.000Z"));
        queued["reportDocumentId"].ShouldBeNull();
        clock.Advance(TimeSpan.FromSeconds(2.5));
        var processing = await session.ReportAsync(reportId);
        processing["processingStatus"]!.GetValue<string>().ShouldBe("IN_PROGRESS", "the second half of the 5-second delay");
        processing["processingStartTime"].ShouldNotBeNull();
        clock.Advance(TimeSpan.FromSeconds(2.5));
        var done = await session.ReportAsync(reportId);
        done["processingStatus"]!.GetValue<string>().ShouldBe("DONE");
        done["processingEndTime"]!.GetValue<string>().ShouldBe("2027-03-14T09:26:58.000Z");
        var documentId = done["reportDocumentId"]!.GetValue<string>();
        documentId.ShouldStartWith("amzn1.spdoc.");

        var document = await session.DocumentAsync(documentId);
        document["compressionAlgorithm"]!.GetValue<string>().ShouldBe("GZIP", "order reports are always compressed");
        using var download = await session.DownloadAsync(document["url"]!.GetValue<string>());
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentEncoding.ShouldBe(["identity"], "the bytes are gzip; the header says so only when asked");
        var (header, rows) = ReadFlatFile(await download.Content.ReadAsByteArrayAsync());

        header.ShouldBe(OrderReportFlatFile.HeaderOf(ByOrderDate));
        header.Where(DocumentedColumns.Contains).ShouldBe(DocumentedColumns, "every documented column, in the documented order");
        header.ShouldContain("cpf", "the by-order-date report adds cpf");
        var records = emulator.SellingPartner.Catalog.Orders
            .Where(r => Time(r.Order, "PurchaseDate") >= from && Time(r.Order, "PurchaseDate") <= to).ToDictionary(r => r.OrderId);
        records.Count.ShouldBeGreaterThan(20, "the window holds a share of the seeded orders");
        rows.Select(r => r["amazon-order-id"]).Distinct().Order().ShouldBe(records.Keys.Order(), "every order placed in the window, and no other");
        foreach (var order in rows.GroupBy(r => r["amazon-order-id"]))
        {
            var record = records[order.Key];
            var items = Orders20260101View.Build(record, new HashSet<string>())["orderItems"]!.AsArray();
            order.Select(r => (r["sku"], r["asin"], r["product-name"])).ShouldBe(
                items.Select(i => (i!["product"]!["sellerSku"]!.GetValue<string>(), i["product"]!["asin"]!.GetValue<string>(), i["product"]!["title"]!.GetValue<string>())),
                "one row an item, as getOrder lists them");
            var first = order.First();
            DateTimeOffset.Parse(first["purchase-date"], CultureInfo.InvariantCulture).ShouldBe(Time(record.Order, "PurchaseDate"));
            first["purchase-date"].ShouldEndWith("+00:00", Case.Sensitive, "dates carry an offset");
            first["merchant-order-id"].ShouldBe(record.Order["SellerOrderId"]!.GetValue<string>());
            first["sales-channel"].ShouldBe(record.Order["SalesChannel"]!.GetValue<string>());
            first["fulfillment-channel"].ShouldBe(record.Order["FulfillmentChannel"]!.GetValue<string>() == "AFN" ? "Amazon" : "Merchant");
            first["currency"].ShouldBe(record.Order["OrderTotal"]!["CurrencyCode"]!.GetValue<string>());
            var status = record.Order["OrderStatus"]!.GetValue<string>();
            first["order-status"].ShouldBe(OrderReportFlatFile.OrderStatus(status, record.Order["EasyShipShipmentStatus"]?.GetValue<string>()));
            if (status is "Pending" or "PendingAvailability")
            {
                order.ShouldAllBe(r => r["item-price"] == string.Empty, "prices may be empty for pending orders");
            }
            else
            {
                order.Sum(r => decimal.Parse(r["item-price"], CultureInfo.InvariantCulture)).ShouldBe(decimal.Parse(record.Order["OrderTotal"]!["Amount"]!.GetValue<string>(), CultureInfo.InvariantCulture), "the items' prices add up to the order's total");
            }
        }

        rows.Select(r => r["order-status"]).ShouldContain("Cancelled", "in words, as the reports spell them");
        rows.Select(r => r["fulfillment-channel"]).Distinct().Order().ShouldBe(["Amazon", "Merchant"]);
        var text = string.Join('\n', rows.SelectMany(r => r.Values));
        text.ShouldNotContain("@marketplace.amazon", Case.Insensitive, "no customer-identifying data: no e-mail,");
        text.ShouldNotContain("Cross St.", Case.Insensitive, "no street,");
        text.ShouldNotContain("+1 555", Case.Insensitive, "no phone");
        emulator.SellingPartner.ReportDocumentDownloads.ShouldBe(1);
    }

    [Fact]
    public async Task AWindowWithNoOrders_EndsCancelled_WithNoDocument()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 50 });
        using var session = await Session.StartAsync(emulator);

        var reportId = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-200), Start.AddDays(-180)));

        (await UntilFinalAsync(session, clock, reportId, TimeSpan.FromSeconds(5))).ShouldBe("CANCELLED", "what Amazon answers when the window holds no data");
        var report = await session.ReportAsync(reportId);
        report["reportDocumentId"].ShouldBeNull();
        report["processingEndTime"].ShouldNotBeNull();
    }

    [Fact]
    public async Task TheFatalRate_FailsReportsByTheSeed_AndAFailedReportsDocument_SaysWhy_Uncompressed()
    {
        static async Task<string[]> OutcomesAsync(double rate, int seed)
        {
            var clock = new FakeTimeProvider(Start);
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 60, Seed = seed, SpReports = { FatalRate = rate } });
            using var session = await Session.StartAsync(emulator);
            var ids = new List<string>();
            for (var i = 0; i < 15; i++)
            {
                ids.Add(await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-30), Start.AddHours(-1))));
            }

            clock.Advance(TimeSpan.FromSeconds(5));
            return [.. await Task.WhenAll(ids.Select(async id => (await session.ReportAsync(id))["processingStatus"]!.GetValue<string>()))];
        }

        var first = await OutcomesAsync(0.4, seed: 7);
        var again = await OutcomesAsync(0.4, seed: 7);

        again.ShouldBe(first, "the same seed fails the same reports");
        first.Count(s => s == "FATAL").ShouldBeInRange(2, 12);
        first.Where(s => s != "FATAL").ShouldAllBe(s => s == "DONE");
        (await OutcomesAsync(0, seed: 7)).ShouldAllBe(s => s == "DONE");

        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 20, SpReports = { FatalRate = 1 } });
        using var session = await Session.StartAsync(emulator);
        var reportId = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-30), Start.AddHours(-1)));
        (await UntilFinalAsync(session, clock, reportId, TimeSpan.FromSeconds(5))).ShouldBe("FATAL");
        var document = await session.DocumentAsync((await session.ReportAsync(reportId))["reportDocumentId"]!.GetValue<string>());
        document["compressionAlgorithm"].ShouldBeNull("a failed report's document is not compressed");
        using var download = await session.DownloadAsync(document["url"]!.GetValue<string>());
        JsonNode.Parse(await download.Content.ReadAsStringAsync())!["errorDetails"]!.GetValue<string>().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task TheDocumentUrl_TakesNoAccessToken_AndExpiresAfterFiveMinutes_InS3sWords_AndAFreshOneWorks()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 40, SpReports = { ProcessingDelay = TimeSpan.Zero } });
        using var session = await Session.StartAsync(emulator);
        var reportId = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-30), Start.AddHours(-1)));
        var documentId = (await session.ReportAsync(reportId))["reportDocumentId"]!.GetValue<string>();
        var url = (await session.DocumentAsync(documentId))["url"]!.GetValue<string>();
        url.ShouldStartWith(new Uri(emulator.BaseAddress, "report-documents/").ToString());
        url.ShouldContain("X-Amz-Expires=300");

        using (var withToken = await session.DownloadAsync(url, withAccessToken: true))
        {
            withToken.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the document host signs every x-amz-* header: an access token sent along is refused");
            XElement.Parse(await withToken.Content.ReadAsStringAsync()).Element("HeadersNotSigned")!.Value.ShouldBe("x-amz-access-token");
        }

        using (var altered = await session.DownloadAsync(url.Replace("X-Amz-Expires=300", "X-Amz-Expires=3000", StringComparison.Ordinal)))
        {
            altered.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            XElement.Parse(await altered.Content.ReadAsStringAsync()).Element("Code")!.Value.ShouldBe("SignatureDoesNotMatch");
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        using (var lastMoment = await session.DownloadAsync(url))
        {
            lastMoment.StatusCode.ShouldBe(HttpStatusCode.OK, "five minutes to the second still works");
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        using (var expired = await session.DownloadAsync(url))
        {
            expired.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            expired.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
            var error = XElement.Parse(await expired.Content.ReadAsStringAsync());
            (error.Element("Code")!.Value, error.Element("Message")!.Value, error.Element("X-Amz-Expires")!.Value).ShouldBe(("AccessDenied", "Request has expired", "300"));
        }

        using (var fresh = await session.DownloadAsync((await session.DocumentAsync(documentId))["url"]!.GetValue<string>()))
        {
            fresh.StatusCode.ShouldBe(HttpStatusCode.OK, "a URL asked for again works");
        }

        (emulator.SellingPartner.ReportDocumentDownloads, emulator.SellingPartner.ReportDocumentDownloadsRefused, emulator.SellingPartner.ReportDocumentDownloadsWithAccessToken).ShouldBe((2, 3, 1));
    }

    [Fact]
    public async Task EnableContentEncodingUrlHeader_ServesTheGzipAsContentEncoding_SoAnHttpClientDecompressesIt()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 40, SpReports = { ProcessingDelay = TimeSpan.Zero } });
        using var session = await Session.StartAsync(emulator);
        var reportId = await session.CreateAsync(Body(ByLastUpdate, Start.AddDays(-30), Start.AddHours(-1)));
        var url = (await session.DocumentAsync((await session.ReportAsync(reportId))["reportDocumentId"]!.GetValue<string>(), contentEncodingHeader: true))["url"]!.GetValue<string>();
        using var decompressing = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip });

        var text = await decompressing.GetStringAsync(url);

        text.ShouldStartWith("amazon-order-id\tmerchant-order-id\t");
        text.Split('\n')[0].ShouldNotContain("cpf", Case.Sensitive, "cpf is the by-order-date report's");
    }

    [Fact]
    public async Task TheByLastUpdateReport_SelectsOnTheLastUpdate_AndListsEveryMarketplaceOfTheSeller_WhateverWasAsked()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 120, SpReports = { ProcessingDelay = TimeSpan.Zero } });
        using var session = await Session.StartAsync(emulator);
        var (from, to) = (Start.AddDays(-30), Start.AddHours(-1));

        async Task<List<Dictionary<string, string>>> RowsAsync(string reportType)
        {
            var reportId = await session.CreateAsync(Body(reportType, from, to, "ATVPDKIKX0DER"));
            var document = await session.DocumentAsync((await session.ReportAsync(reportId))["reportDocumentId"]!.GetValue<string>());
            using var download = await session.DownloadAsync(document["url"]!.GetValue<string>());
            return ReadFlatFile(await download.Content.ReadAsByteArrayAsync()).Rows;
        }

        var byUpdate = await RowsAsync(ByLastUpdate);
        var byPurchase = await RowsAsync(ByOrderDate);

        var updated = emulator.SellingPartner.Catalog.Orders.Where(r => Time(r.Order, "LastUpdateDate") >= from && Time(r.Order, "LastUpdateDate") <= to).Select(r => r.OrderId).Order();
        byUpdate.Select(r => r["amazon-order-id"]).Distinct().Order().ShouldBe(updated);
        byUpdate.Select(r => r["sales-channel"]).Distinct().Count().ShouldBeGreaterThan(1, "the by-last-update report returns the seller's every marketplace, whatever marketplaceIds says");
        byPurchase.ShouldNotBeEmpty();
        byPurchase.ShouldAllBe(r => r["sales-channel"] == "Amazon.com", "the by-order-date report keeps to the marketplaces asked for");
    }

    [Fact]
    public async Task TheGeneralReports_CoverOrdersLessThanTwoYearsOld_AndTheArchivedReport_OnlyOlderOnes()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 400, SpOrderHistory = TimeSpan.FromDays(1000), SpReports = { ProcessingDelay = TimeSpan.Zero } });
        using var session = await Session.StartAsync(emulator);
        var twoYearsAgo = Start.AddDays(-730);
        var (from, to) = (twoYearsAgo.AddDays(-15), twoYearsAgo.AddDays(15));

        async Task<(string Status, string[] Ids)> ReadAsync(string reportType)
        {
            var report = await session.ReportAsync(await session.CreateAsync(Body(reportType, from, to)));
            if (report["reportDocumentId"] is null)
            {
                return (report["processingStatus"]!.GetValue<string>(), []);
            }

            using var download = await session.DownloadAsync((await session.DocumentAsync(report["reportDocumentId"]!.GetValue<string>()))["url"]!.GetValue<string>());
            return (report["processingStatus"]!.GetValue<string>(), [.. ReadFlatFile(await download.Content.ReadAsByteArrayAsync()).Rows.Select(r => r["amazon-order-id"]).Distinct()]);
        }

        var general = await ReadAsync(ByOrderDate);
        var archived = await ReadAsync(Archived);

        var placed = emulator.SellingPartner.Catalog.Orders.Select(r => (r.OrderId, Placed: Time(r.Order, "PurchaseDate"))).Where(o => o.Placed >= from && o.Placed <= to).ToArray();
        general.Ids.Order().ShouldBe(placed.Where(o => o.Placed >= twoYearsAgo).Select(o => o.OrderId).Order());
        archived.Ids.Order().ShouldBe(placed.Where(o => o.Placed < twoYearsAgo).Select(o => o.OrderId).Order());
        general.Ids.ShouldNotBeEmpty();
        archived.Ids.ShouldNotBeEmpty("the window straddles the two-year line");
        (await session.ReportAsync(await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-800), Start.AddDays(-775)))))["processingStatus"]!.GetValue<string>()
            .ShouldBe("CANCELLED", "older orders are only in the archived report");
    }

    [Theory]
    [InlineData("window", "an order report covers at most 30 days")]
    [InlineData("future", "prior to or equal to the current date and time")]
    [InlineData("reversed", "prior to or equal to dataEndTime")]
    [InlineData("GET_MERCHANT_LISTINGS_ALL_DATA", "is not a report type the emulator serves")]
    [InlineData("GET_XML_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL", "a report type it does not serve")]
    [InlineData("no marketplaces", "marketplaceIds must list 1 to 25")]
    [InlineData("A39IBJ37TRP1C6", "does not sell in marketplace A39IBJ37TRP1C6")]
    public async Task CreateReport_RefusesWhatTheApiRefuses(string wrong, string message)
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 10 });
        using var session = await Session.StartAsync(emulator);
        var body = wrong switch
        {
            "window" => Body(ByOrderDate, Start.AddDays(-31), Start),
            "future" => Body(ByOrderDate, Start.AddDays(-1), Start.AddMinutes(1)),
            "reversed" => Body(ByOrderDate, Start.AddDays(-1), Start.AddDays(-2)),
            "no marketplaces" => new JsonObject { ["reportType"] = ByOrderDate },
            var other when other.StartsWith("GET_", StringComparison.Ordinal) => Body(other, Start.AddDays(-1), Start),
            var marketplace => Body(ByOrderDate, Start.AddDays(-1), Start, marketplace),
        };

        var (status, answer, _) = await session.SendAsync(HttpMethod.Post, "reports/2021-06-30/reports", body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        answer!["errors"]![0]!["code"]!.GetValue<string>().ShouldBe("InvalidInput");
        answer["errors"]![0]!["message"]!.GetValue<string>().ShouldContain(message);
        (await session.SendAsync(HttpMethod.Post, "reports/2021-06-30/reports", Body(ByOrderDate, Start.AddDays(-30), Start))).Status
            .ShouldBe(HttpStatusCode.Accepted, "thirty days to the second is accepted");
    }

    [Fact]
    public async Task EachOperation_HasItsDocumentedPlanPerSeller_AnsweringQuotaExceeded_WithTheRateLimitHeaderWhenAdmitted()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 10, RefreshTokens = ["Atzr|a", "Atzr|b"] });
        using var session = await Session.StartAsync(emulator);
        using var other = await Session.StartAsync(emulator, seller: 1);
        var create = Body(ByOrderDate, Start.AddDays(-30), Start, "ATVPDKIKX0DER");
        var cases = new (string Operation, HttpMethod Method, string Path, JsonNode? Body, int Burst, string Rate, TimeSpan Interval)[]
        {
            ("createReport", HttpMethod.Post, "reports/2021-06-30/reports", create, 15, "0.0167", TimeSpan.FromSeconds(60)),
            ("getReport", HttpMethod.Get, "reports/2021-06-30/reports/1", null, 15, "2", TimeSpan.FromSeconds(0.5)),
            ("getReports", HttpMethod.Get, $"reports/2021-06-30/reports?reportTypes={ByOrderDate}", null, 10, "0.0222", TimeSpan.FromSeconds(45.1)),
            ("getReportDocument", HttpMethod.Get, "reports/2021-06-30/documents/amzn1.spdoc.1.4.na.none", null, 15, "0.0167", TimeSpan.FromSeconds(60)),
            ("cancelReport", HttpMethod.Delete, "reports/2021-06-30/reports/1", null, 10, "0.0222", TimeSpan.FromSeconds(45.1)),
        };

        foreach (var (operation, method, path, body, burst, rate, interval) in cases)
        {
            for (var i = 0; i < burst; i++)
            {
                var (admitted, _, response) = await session.SendAsync(method, path, body?.DeepClone());
                admitted.ShouldNotBe(HttpStatusCode.TooManyRequests, $"{operation}: request {i + 1} of the burst of {burst}");
                response.Headers.GetValues("x-amzn-RateLimit-Limit").ShouldBe([rate], operation);
            }

            var (throttled, answer, _) = await session.SendAsync(method, path, body?.DeepClone());
            throttled.ShouldBe(HttpStatusCode.TooManyRequests, operation);
            answer!["errors"]![0]!["code"]!.GetValue<string>().ShouldBe("QuotaExceeded");
            (await other.SendAsync(method, path, body?.DeepClone())).Status.ShouldNotBe(HttpStatusCode.TooManyRequests, $"{operation}: another seller has buckets of its own");
            clock.Advance(interval);
            (await session.SendAsync(method, path, body?.DeepClone())).Status.ShouldNotBe(HttpStatusCode.TooManyRequests, $"{operation}: one more after {interval.TotalSeconds} s");
        }
    }

    [Fact]
    public async Task GetReports_ListsTheSellersReportsNewestFirst_ByTypeAndStatus_InPages_WhoseTokenMustComeAlone()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 40, SpReports = { GetReportsBurst = 20 } });
        using var session = await Session.StartAsync(emulator);
        var older = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-30), Start.AddDays(-1)));
        clock.Advance(TimeSpan.FromSeconds(10));
        var newer = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-60), Start.AddDays(-31)));
        await session.CreateAsync(Body(ByLastUpdate, Start.AddDays(-30), Start.AddDays(-1)));

        var (_, page, _) = await session.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports?reportTypes={ByOrderDate}&pageSize=1");
        page!["reports"]!.AsArray().Single()!["reportId"]!.GetValue<string>().ShouldBe(newer);
        var next = page["nextToken"]!.GetValue<string>();
        var (_, second, _) = await session.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports?nextToken={Uri.EscapeDataString(next)}");
        second!["reports"]!.AsArray().Single()!["reportId"]!.GetValue<string>().ShouldBe(older);
        second["nextToken"].ShouldBeNull();

        (await session.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports?reportTypes={ByOrderDate}&nextToken={Uri.EscapeDataString(next)}")).Status.ShouldBe(HttpStatusCode.BadRequest, "nextToken is the only parameter");
        (await session.SendAsync(HttpMethod.Get, "reports/2021-06-30/reports")).Status.ShouldBe(HttpStatusCode.BadRequest, "reportTypes or nextToken is required");
        (await session.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports?reportTypes={ByOrderDate}&processingStatuses=BAD_VALUE")).Status.ShouldBe(HttpStatusCode.BadRequest);
        var (_, queued, _) = await session.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports?reportTypes={ByOrderDate},{ByLastUpdate}&processingStatuses=IN_QUEUE");
        queued!["reports"]!.AsArray().Count.ShouldBe(2, "the older one is done by now");
        clock.Advance(TimeSpan.FromSeconds(5));
        var (_, done, _) = await session.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports?reportTypes={ByOrderDate},{ByLastUpdate}&processingStatuses=DONE&pageSize=100");
        done!["reports"]!.AsArray().Count.ShouldBe(3, "a finished report of a window can be found and reused");
    }

    [Fact]
    public async Task CancelReport_CancelsAReportStillInTheQueue_AndRefusesOneAlreadyProcessing()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpOrderCount = 40 });
        using var session = await Session.StartAsync(emulator);
        var first = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-30), Start.AddDays(-1)));
        var second = await session.CreateAsync(Body(ByOrderDate, Start.AddDays(-60), Start.AddDays(-31)));

        (await session.SendAsync(HttpMethod.Delete, $"reports/2021-06-30/reports/{first}")).Status.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromSeconds(3));
        var (refused, answer, _) = await session.SendAsync(HttpMethod.Delete, $"reports/2021-06-30/reports/{second}");

        refused.ShouldBe(HttpStatusCode.BadRequest);
        answer!["errors"]![0]!["message"]!.GetValue<string>().ShouldContain("IN_PROGRESS");
        clock.Advance(TimeSpan.FromSeconds(10));
        (await session.ReportAsync(first))["processingStatus"]!.GetValue<string>().ShouldBe("CANCELLED", "cancelled reports are still listed");
        (await session.ReportAsync(first))["reportDocumentId"].ShouldBeNull();
        (await session.ReportAsync(second))["processingStatus"]!.GetValue<string>().ShouldBe("DONE");
    }

    [Fact]
    public async Task TheReportsApi_TakesTheOrdersApisAccessTokens_AndASellerSeesOnlyItsOwnReports()
    {
        var clock = new FakeTimeProvider(Start);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            TimeProvider = clock, SpOrderCount = 40, RefreshTokens = ["Atzr|eu", "Atzr|na"], SellerRegions = { ["Atzr|eu"] = "eu", ["Atzr|na"] = "na" },
        });
        using var eu = await Session.StartAsync(emulator);
        using var na = await Session.StartAsync(emulator, seller: 1);

        (await eu.SendAsync(HttpMethod.Post, "reports/2021-06-30/reports", Body(ByOrderDate, Start.AddDays(-30), Start, "A1PA6795UKMFR9"), authenticated: false)).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await eu.SendAsync(HttpMethod.Post, "reports/2021-06-30/reports", Body(ByOrderDate, Start.AddDays(-30), Start, "ATVPDKIKX0DER"))).Status
            .ShouldBe(HttpStatusCode.BadRequest, "a European seller does not sell on Amazon.com");
        var reportId = await eu.CreateAsync(Body(ByOrderDate, Start.AddDays(-30), Start, "A1PA6795UKMFR9", "A1F83G8C2ARO7P"));
        clock.Advance(TimeSpan.FromSeconds(5));
        var documentId = (await eu.ReportAsync(reportId))["reportDocumentId"]!.GetValue<string>();
        documentId.ShouldStartWith("amzn1.spdoc.1.4.eu.");

        (await na.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports/{reportId}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await na.SendAsync(HttpMethod.Get, $"reports/2021-06-30/documents/{documentId}")).Status.ShouldBe(HttpStatusCode.NotFound);
        emulator.SellingPartner.ExpireAllTokens();
        (await eu.SendAsync(HttpMethod.Get, $"reports/2021-06-30/reports/{reportId}")).Status.ShouldBe(HttpStatusCode.Forbidden, "an expired access token is refused as by the Orders API");
    }
}
