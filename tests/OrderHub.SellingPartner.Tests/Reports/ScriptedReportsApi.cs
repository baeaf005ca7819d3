using OrderHub.RateLimits;
using OrderHub.Testing;
using WireMock.Logging;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderHub.SellingPartner.Tests.Reports;

/// <summary>
/// The Reports API on WireMock.Net, with Login with Amazon beside it, and a document host of its own on another
/// server (another port: another origin, as Amazon's document host is not the API's). Each operation answers from its
/// own script, the last answer repeating; what was sent is read back from the request logs.
/// </summary>
public sealed class ScriptedReportsApi : IAsyncDisposable
{
    private readonly WireMockServer _api = WireMockServer.Start();
    private readonly WireMockServer _documents = WireMockServer.Start();
    private readonly ScriptedSequence _create;
    private readonly ScriptedSequence _get;
    private readonly ScriptedSequence _list;
    private readonly ScriptedSequence _document;
    private readonly ScriptedSequence _download;

    public ScriptedReportsApi()
    {
        _ = new ScriptedSequence(_api, "lwa", [("POST", "^/auth/o2/token$")], _ => Json(200, """{"access_token":"token-1","token_type":"bearer","expires_in":3600}"""));
        _create = new ScriptedSequence(_api, "createReport", [("POST", "^/reports/2021-06-30/reports$")], _ => Json(202, """{"reportId":"rep-1"}"""));
        _get = new ScriptedSequence(_api, "getReport", [("GET", "^/reports/2021-06-30/reports/[^/]+$")], _ => Json(200, Report("rep-1", "IN_QUEUE")));
        _list = new ScriptedSequence(_api, "getReports", [("GET", "^/reports/2021-06-30/reports$")], _ => Json(200, """{"reports":[]}"""));
        _document = new ScriptedSequence(_api, "getReportDocument", [("GET", "^/reports/2021-06-30/documents/[^/]+$")], _ => Json(200, Document("doc-1", 1)));
        _download = new ScriptedSequence(_documents, "download", [("GET", "^/docs/.*$")], _ => Json(404, "<Error><Code>NoSuchKey</Code></Error>"));
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_api.Ports[0]}/");

    public Uri DocumentHost => new($"http://localhost:{_documents.Ports[0]}/");

    public IReadOnlyList<ILogEntry> ApiRequests => [.. _api.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/reports/", StringComparison.Ordinal))];

    public IReadOnlyList<ILogEntry> Downloads => [.. _documents.LogEntries];

    public int Count(string method, string pathPrefix) =>
        ApiRequests.Count(e => e.RequestMessage.Method == method && e.RequestMessage.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public static string Report(string id, string status, string start = "2026-03-01T00:00:00.000Z", string end = "2026-03-31T00:00:00.000Z", string? documentId = null, string type = SellingPartnerOrderReports.ByOrderDate, string created = "2026-04-01T00:00:00Z", bool started = true, string marketplaces = "\"A1PA6795UKMFR9\"") =>
        $$"""{"reportId":"{{id}}","reportType":"{{type}}","dataStartTime":"{{start}}","dataEndTime":"{{end}}","marketplaceIds":[{{marketplaces}}],"createdTime":"{{created}}","processingStatus":"{{status}}"{{(started ? ",\"processingStartTime\":\"" + created + "\"" : string.Empty)}}{{(documentId is null ? string.Empty : $",\"reportDocumentId\":\"{documentId}\"")}}}""";

    public string Document(string documentId, int n, bool gzip = true) =>
        $$"""{"reportDocumentId":"{{documentId}}","url":"{{DocumentHost}}docs/{{documentId}}?X-Amz-Signature=sig-{{n}}"{{(gzip ? ",\"compressionAlgorithm\":\"GZIP\"" : string.Empty)}}}""";

    public void CreateAnswers(int status, string body, IReadOnlyDictionary<string, string>? headers = null) => _create.Add(_ => Json(status, body, headers));

    public void GetAnswers(int status, string body) => _get.Add(_ => Json(status, body));

    public void ListAnswers(int status, string body) => _list.Add(_ => Json(status, body));

    public void DocumentAnswers(int status, string body, string? requestId = null) =>
        _document.Add(_ => Json(status, body, requestId is null ? null : new Dictionary<string, string> { ["x-amzn-RequestId"] = requestId }));

    public void DownloadAnswers(int status, byte[] body, string contentType = "text/tab-separated-values; charset=UTF-8") =>
        _download.Add(_ => Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithHeader("x-amz-request-id", $"s3-{_download.Count}").WithBody(body));

    internal SellingPartnerOrderSource CreateSource(TimeProvider time, RateLimiterRegistry? registry = null, Action<SellingPartnerOrderSourceOptions>? configure = null, string refreshToken = "Atzr|reports")
    {
        var options = new SellingPartnerOrderSourceOptions
        {
            SourceName = "sp-eu",
            Endpoint = BaseAddress,
            LwaEndpoint = new Uri(BaseAddress, "auth/o2/token"),
            ClientId = "client",
            ClientSecret = "top-secret-value",
            RefreshToken = refreshToken,
            RetryBaseDelay = TimeSpan.Zero,
            PacingMargin = 0,
            BurstLatencyAllowance = TimeSpan.Zero,
            MarketplaceIds = ["A1PA6795UKMFR9"],
        };
        configure?.Invoke(options);
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(time), registry ?? new RateLimiterRegistry(time));
    }

    public ValueTask DisposeAsync()
    {
        _api.Stop();
        _api.Dispose();
        _documents.Stop();
        _documents.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IResponseBuilder Json(int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var answer = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (headers is null || !headers.ContainsKey("x-amzn-RequestId"))
        {
            answer = answer.WithHeader("x-amzn-RequestId", $"req-{status}");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            answer = answer.WithHeader(name, value);
        }

        return answer;
    }
}
