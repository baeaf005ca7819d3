using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OrderHub.RateLimits;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Reports;

/// <summary>The Selling Partner source as an <see cref="IOrderBackfillSource"/>, against a scripted Reports API over real HTTP, on a fake clock.</summary>
public sealed class SellingPartnerReportsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 4, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly OrderBackfillWindow March = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero));
    private readonly TimerWatch _watch = new(new FakeTimeProvider(Now));
    private ScriptedReportsApi _api = null!;

    public Task InitializeAsync()
    {
        _api = new ScriptedReportsApi();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static OrderBackfillJob Done(string documentId = "doc-1") =>
        new() { JobId = "rep-1", Window = March, State = OrderBackfillJobState.Done, DocumentId = documentId };

    private static async Task<List<Order>> ReadAllAsync(IOrderBackfillSource source, OrderBackfillJob job)
    {
        var orders = new List<Order>();
        await foreach (var order in source.ReadAsync(job))
        {
            orders.Add(order);
        }

        return orders;
    }

    [Fact]
    public async Task RequestAsync_PostsTheDocumentedSpecification_AndAnswersAQueuedJob()
    {
        using var source = _api.CreateSource(_watch, configure: o => o.MarketplaceIds = ["A1PA6795UKMFR9", "A13V1IB3VIYZZH"]);

        var job = await source.RequestAsync(March);

        job.JobId.ShouldBe("rep-1");
        job.State.ShouldBe(OrderBackfillJobState.Queued);
        job.Window.ShouldBe(March);
        job.RequestId.ShouldBe("req-202");
        var request = _api.ApiRequests.ShouldHaveSingleItem().RequestMessage;
        request.Method.ShouldBe("POST");
        using var body = JsonDocument.Parse(request.Body!);
        body.RootElement.GetProperty("reportType").GetString().ShouldBe("GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL");
        body.RootElement.GetProperty("marketplaceIds").EnumerateArray().Select(m => m.GetString()).ShouldBe(["A1PA6795UKMFR9", "A13V1IB3VIYZZH"]);
        body.RootElement.GetProperty("dataStartTime").GetString().ShouldBe("2026-03-01T00:00:00.000Z");
        body.RootElement.GetProperty("dataEndTime").GetString().ShouldBe("2026-03-31T00:00:00.000Z");
        request.Headers!["x-amz-access-token"].ShouldBe(["token-1"]);
    }

    [Fact]
    public async Task RequestAsync_AWindowOlderThanTwoYears_AsksForTheArchivedReport()
    {
        using var source = _api.CreateSource(_watch);
        var old = new OrderBackfillWindow(Now.AddDays(-800), Now.AddDays(-780));

        await source.RequestAsync(old);

        using var body = JsonDocument.Parse(_api.ApiRequests.ShouldHaveSingleItem().RequestMessage.Body!);
        body.RootElement.GetProperty("reportType").GetString().ShouldBe(SellingPartnerOrderReports.ArchivedByOrderDate);
        source.BackfillRules.RegularHistory.ShouldBe(TimeSpan.FromDays(730));
    }

    public static TheoryData<string, string> RefusedWindows => new()
    {
        { "longer", "at most 30 days" },
        { "future", "ends in the future" },
        { "empty", "is empty" },
        { "two-year line", "spans the two-year line" },
    };

    [Theory]
    [MemberData(nameof(RefusedWindows))]
    public async Task RequestAndFind_AWindowTheReportsRefuse_AreRefusedBeforeAnyRequest(string kind, string expected)
    {
        using var source = _api.CreateSource(_watch);
        var window = kind switch
        {
            "longer" => new OrderBackfillWindow(March.Start, March.Start.AddDays(31)),
            "future" => new OrderBackfillWindow(Now.AddDays(-1), Now.AddMinutes(1)),
            "empty" => new OrderBackfillWindow(March.End, March.Start),
            _ => new OrderBackfillWindow(Now.AddDays(-740), Now.AddDays(-720)),
        };

        (await Should.ThrowAsync<InvalidOrderRequestException>(() => source.RequestAsync(window))).Message.ShouldContain(expected);
        (await Should.ThrowAsync<InvalidOrderRequestException>(() => source.FindFinishedAsync(window))).Message.ShouldContain(expected);
        _api.ApiRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task RequestAsync_WithoutMarketplaces_IsRefusedNamingTheSetting()
    {
        using var source = _api.CreateSource(_watch, configure: o => o.MarketplaceIds = []);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => source.RequestAsync(March));

        error.ParameterName.ShouldBe("MarketplaceIds");
        error.Message.ShouldContain("OrderHub:Sources:sp-eu:MarketplaceIds");
        _api.ApiRequests.ShouldBeEmpty();
    }

    [Fact]
    public void Options_AMarketplaceIdThatIsNotOne_OrTooMany_AreRefusedWhenTheSourceIsBuilt()
    {
        Should.Throw<ArgumentException>(() => _api.CreateSource(_watch, configure: o => o.MarketplaceIds = ["A1PA6795UKMFR9", "amazon.de"]))
            .Message.ShouldContain("MarketplaceIds has 'amazon.de'");
        Should.Throw<ArgumentException>(() => _api.CreateSource(_watch, configure: o => o.MarketplaceIds = [.. Enumerable.Range(0, 26).Select(i => $"M{i}")]))
            .Message.ShouldContain("at most 25");
        Should.Throw<ArgumentException>(() => _api.CreateSource(_watch, configure: o => o.ReportMaxPollInterval = TimeSpan.FromSeconds(1)))
            .Message.ShouldContain("ReportMaxPollInterval");
    }

    [Theory]
    [InlineData("IN_QUEUE", OrderBackfillJobState.Queued)]
    [InlineData("IN_PROGRESS", OrderBackfillJobState.InProgress)]
    [InlineData("DONE", OrderBackfillJobState.Done)]
    [InlineData("CANCELLED", OrderBackfillJobState.Empty)]
    [InlineData("FATAL", OrderBackfillJobState.Failed)]
    [InlineData("PAUSED_FOR_LUNCH", OrderBackfillJobState.Unknown)]
    public async Task GetAsync_MapsTheProcessingStatus_KeepingTheWord(string status, OrderBackfillJobState expected)
    {
        _api.GetAnswers(200, ScriptedReportsApi.Report("rep-7", status, documentId: status == "DONE" ? "doc-7" : null));
        using var source = _api.CreateSource(_watch);

        var job = await source.GetAsync(new OrderBackfillJob { JobId = "rep-7", Window = March, State = OrderBackfillJobState.Queued });

        job.State.ShouldBe(expected);
        job.RawState.ShouldBe(status);
        job.Window.ShouldBe(March);
        job.DocumentId.ShouldBe(status == "DONE" ? "doc-7" : null);
        _api.ApiRequests.ShouldHaveSingleItem().RequestMessage.Path.ShouldBe("/reports/2021-06-30/reports/rep-7");
    }

    [Fact]
    public async Task GetAsync_ADoneReportWithoutItsDocument_IsAProtocolError()
    {
        _api.GetAnswers(200, ScriptedReportsApi.Report("rep-1", "DONE"));
        using var source = _api.CreateSource(_watch);

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => source.GetAsync(Done()));

        error.RequestId.ShouldBe("req-200");
        error.Message.ShouldContain("reportDocumentId");
    }

    [Fact]
    public async Task FindFinishedAsync_ReusesTheDoneReportOfExactlyTheWindow_ComparedAsInstants()
    {
        var reports = string.Join(',',
            ScriptedReportsApi.Report("other-window", "DONE", start: "2026-02-01T00:00:00Z", end: "2026-03-01T00:00:00Z", documentId: "doc-x"),
            ScriptedReportsApi.Report("other-marketplace", "DONE", start: "2026-03-01T01:00:00+01:00", end: "2026-03-31T00:00:00Z", documentId: "doc-y", marketplaces: "\"ATVPDKIKX0DER\""),
            ScriptedReportsApi.Report("queued-then-cancelled", "CANCELLED", start: "2026-03-01T00:00:00Z", end: "2026-03-31T00:00:00Z", started: false, created: "2026-04-09T00:00:00Z"));
        _api.ListAnswers(200, $$"""{"reports":[{{reports}}],"nextToken":"page-2"}""");
        _api.ListAnswers(200, $$"""{"reports":[{{ScriptedReportsApi.Report("rep-9", "DONE", start: "2026-03-01T01:00:00+01:00", end: "2026-03-31T00:00:00.000Z", documentId: "doc-9")}}]}""");
        using var source = _api.CreateSource(_watch);

        var found = (await source.FindFinishedAsync(March)).ShouldNotBeNull();

        found.JobId.ShouldBe("rep-9", "the same instants written with another offset are the same window");
        found.State.ShouldBe(OrderBackfillJobState.Done);
        found.DocumentId.ShouldBe("doc-9");
        var (first, second) = (_api.ApiRequests[0].RequestMessage, _api.ApiRequests[1].RequestMessage);
        first.Query!["reportTypes"].ShouldBe(["GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"]);
        first.Query["processingStatuses"].ShouldBe(["DONE,CANCELLED"]);
        first.Query["marketplaceIds"].ShouldBe(["A1PA6795UKMFR9"]);
        first.Query["createdSince"].ShouldBe(["2026-03-11T12:00:00.000Z"]);
        second.Query!.Keys.ShouldBe(["nextToken"], "a next page is asked for with its token alone");
        second.Query["nextToken"].ShouldBe(["page-2"]);
    }

    [Fact]
    public async Task FindFinishedAsync_AProcessedCancelledReport_IsAnEmptyWindow_AndNoneFoundIsNull()
    {
        _api.ListAnswers(200, $$"""{"reports":[{{ScriptedReportsApi.Report("rep-empty", "CANCELLED")}}]}""");
        _api.ListAnswers(200, """{"reports":[]}""");
        using var source = _api.CreateSource(_watch);

        var found = await source.FindFinishedAsync(March);
        var none = await source.FindFinishedAsync(March);

        found.ShouldNotBeNull().State.ShouldBe(OrderBackfillJobState.Empty);
        found.JobId.ShouldBe("rep-empty");
        none.ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_DownloadsTheDocumentFromItsHost_WithoutTheAccessToken_AndDecompressesIt()
    {
        _api.DocumentAnswers(200, _api.Document("doc-1", 1), requestId: "req-doc");
        _api.DownloadAnswers(200, OrderReportReaderTests.Gzip(OrderReportReaderTests.ReportText));
        using var source = _api.CreateSource(_watch);

        var orders = await ReadAllAsync(source, Done());

        orders.Count.ShouldBe(4);
        orders.ShouldAllBe(o => o.Completeness == OrderCompleteness.Partial && o.Source == "sp-eu");
        var api = _api.ApiRequests.ShouldHaveSingleItem().RequestMessage;
        api.Path.ShouldBe("/reports/2021-06-30/documents/doc-1");
        api.Headers!.Keys.ShouldContain("x-amz-access-token", "the API is sent the token: the check below could not fail otherwise");
        var download = _api.Downloads.ShouldHaveSingleItem().RequestMessage;
        download.Url.ShouldEndWith("/docs/doc-1?X-Amz-Signature=sig-1");
        download.Headers!.Keys.ShouldNotContain(k => k.Equals("x-amz-access-token", StringComparison.OrdinalIgnoreCase), "the document host is never sent the access token");
        download.Headers.Keys.ShouldNotContain(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        download.Headers.Keys.ShouldNotContain(k => k.StartsWith("x-amz", StringComparison.OrdinalIgnoreCase), "no header a pre-signed URL would have to have signed");
    }

    [Fact]
    public async Task ReadAsync_AnExpiredUrl_IsAskedForAgain()
    {
        _api.DocumentAnswers(200, _api.Document("doc-1", 1));
        _api.DocumentAnswers(200, _api.Document("doc-1", 2));
        _api.DownloadAnswers(403, Encoding.UTF8.GetBytes("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"), "application/xml");
        _api.DownloadAnswers(200, OrderReportReaderTests.Gzip(OrderReportReaderTests.ReportText));
        using var source = _api.CreateSource(_watch);

        var orders = await ReadAllAsync(source, Done());

        orders.Count.ShouldBe(4);
        _api.Count("GET", "/reports/2021-06-30/documents/").ShouldBe(2);
        _api.Downloads.Select(d => d.RequestMessage.Url[d.RequestMessage.Url.IndexOf("sig-", StringComparison.Ordinal)..]).ShouldBe(["sig-1", "sig-2"], "the second download uses the new URL");
    }

    [Fact]
    public async Task ReadAsync_AUrlRefusedEveryTime_GivesUpAfterThreeUrls()
    {
        _api.DownloadAnswers(403, Encoding.UTF8.GetBytes("<Error><Code>AccessDenied</Code></Error>"), "application/xml");
        using var source = _api.CreateSource(_watch);

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => ReadAllAsync(source, Done()));

        error.Message.ShouldContain("3 times");
        _api.Count("GET", "/reports/2021-06-30/documents/").ShouldBe(3);
        _api.Downloads.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ReadAsync_AnAnswerThatIsNotADocument_IsAProtocolErrorWithTheRequestId()
    {
        _api.DocumentAnswers(200, _api.Document("doc-1", 1, gzip: false), requestId: "req-doc");
        _api.DownloadAnswers(200, Encoding.UTF8.GetBytes("<html><body>Service moved</body></html>"), "text/html");
        using var source = _api.CreateSource(_watch);

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => ReadAllAsync(source, Done()));

        error.RequestId.ShouldBe("req-doc");
        error.Message.ShouldContain("not an order report");
        error.ResponseExcerpt.ShouldBeNull("a document's content may be customer data");
    }

    [Fact]
    public async Task ReadAsync_TheDocumentHostsError_IsAProtocolErrorWithTheRequestId()
    {
        _api.DocumentAnswers(200, _api.Document("doc-1", 1), requestId: "req-doc");
        _api.DownloadAnswers(404, Encoding.UTF8.GetBytes("<Error><Code>NoSuchKey</Code></Error>"), "application/xml");
        using var source = _api.CreateSource(_watch);

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => ReadAllAsync(source, Done()));

        error.RequestId.ShouldBe("req-doc");
        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        error.ResponseExcerpt.ShouldNotBeNull().ShouldContain("NoSuchKey");
    }

    [Fact]
    public void ReadAsync_AJobNotDone_IsRefusedAtOnce()
    {
        using var source = _api.CreateSource(_watch);

        Should.Throw<InvalidOrderRequestException>(() => source.ReadAsync(Done() with { State = OrderBackfillJobState.InProgress, RawState = "IN_PROGRESS" }))
            .Message.ShouldContain("IN_PROGRESS");
        _api.ApiRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateReport_429_IsRetriedAfterTheBucketRefills()
    {
        _api.CreateAnswers(429, """{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota."}]}""");
        _api.CreateAnswers(202, """{"reportId":"rep-2"}""");
        using var source = _api.CreateSource(_watch);

        var request = source.RequestAsync(March);
        await Eventually.TrueAsync(
            () => _api.Count("POST", "/reports/2021-06-30/reports") == 1 && source.CreateReportRateLimiter.QueuedPermits == 1,
            "the 429 empties createReport's bucket, and the retry waits for its next permit");
        _watch.Clock.Advance(TimeSpan.FromSeconds(59));
        request.IsCompleted.ShouldBeFalse("a createReport permit accrues every 59.9 s at 0.0167 per second");
        _api.Count("POST", "/reports/2021-06-30/reports").ShouldBe(1);
        _watch.Clock.Advance(TimeSpan.FromSeconds(1));

        (await request).JobId.ShouldBe("rep-2");
        _api.Count("POST", "/reports/2021-06-30/reports").ShouldBe(2);
    }

    [Fact]
    public void EachOperation_HasItsOwnBucket_AtItsDocumentedPlan_InTheSourcesSharedPartition()
    {
        var registry = new RateLimiterRegistry(_watch);
        using var source = _api.CreateSource(_watch, registry);

        (source.CreateReportRateLimiter.PermitsPerSecond, source.CreateReportRateLimiter.Burst).ShouldBe((0.0167, 15));
        (source.GetReportRateLimiter.PermitsPerSecond, source.GetReportRateLimiter.Burst).ShouldBe((2, 15));
        (source.GetReportDocumentRateLimiter.PermitsPerSecond, source.GetReportDocumentRateLimiter.Burst).ShouldBe((0.0167, 15));
        (source.GetReportsRateLimiter.PermitsPerSecond, source.GetReportsRateLimiter.Burst).ShouldBe((0.0222, 10));
        foreach (var (operation, limiter) in new[]
        {
            ("createReport", source.CreateReportRateLimiter),
            ("getReport", source.GetReportRateLimiter),
            ("getReports", source.GetReportsRateLimiter),
            ("getReportDocument", source.GetReportDocumentRateLimiter),
        })
        {
            registry.GetOrAdd(new QuotaDefinition($"{source.QuotaPartition}|{operation}", 1, 1)).ShouldBeSameAs(limiter, $"{operation}'s bucket is the partition's, shared through the store with every process of this seller");
        }

        source.BackfillRules.MaxJobsInFlight.ShouldBe(15, "as many reports in flight as createReport's burst");
    }

    [Fact]
    public async Task EachOperation_SpendsOnlyItsOwnBucket()
    {
        using var source = _api.CreateSource(_watch, configure: o =>
        {
            o.CreateReportBurst = 1;
            o.GetReportBurst = 1;
            o.GetReportsBurst = 1;
            o.GetReportDocumentBurst = 1;
            o.ThrottleMode = ThrottleMode.FailFast;
        });
        _api.GetAnswers(200, ScriptedReportsApi.Report("rep-1", "IN_PROGRESS"));

        await source.RequestAsync(March);
        await Should.ThrowAsync<OrderSourceThrottledException>(() => source.RequestAsync(March));

        // createReport's bucket is empty; the others are untouched by it, and each empties on its own.
        await source.GetAsync(Done());
        await source.FindFinishedAsync(March);
        await Should.ThrowAsync<OrderSourceThrottledException>(() => source.GetAsync(Done()));
        await Should.ThrowAsync<OrderSourceThrottledException>(() => source.FindFinishedAsync(March));
        source.GetReportDocumentRateLimiter.AvailablePermits.ShouldBe(1);
        _api.Count("POST", "/reports/2021-06-30/reports").ShouldBe(1);
        _api.Count("GET", "/reports/2021-06-30/reports/").ShouldBe(1);
    }

    [Fact]
    public void TwoSourcesOfOneSeller_ShareTheReportBuckets()
    {
        var registry = new RateLimiterRegistry(_watch);
        using var first = _api.CreateSource(_watch, registry);
        using var second = _api.CreateSource(_watch, registry);
        using var otherSeller = _api.CreateSource(_watch, registry, refreshToken: "Atzr|another-seller");

        second.CreateReportRateLimiter.ShouldBeSameAs(first.CreateReportRateLimiter);
        second.GetReportDocumentRateLimiter.ShouldBeSameAs(first.GetReportDocumentRateLimiter);
        otherSeller.CreateReportRateLimiter.ShouldNotBeSameAs(first.CreateReportRateLimiter);
    }
}
