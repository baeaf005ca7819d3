using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>
/// A read that is throttled, retried and then succeeds, seen as an operator sees it: through the OpenTelemetry SDK's
/// exporters (spans and metrics) and through the logs, which name what happened and never a secret or personal data.
/// </summary>
public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string OrderId = "902-3159896-1390916";
    private readonly string _sourceName = "observed-" + Guid.NewGuid().ToString("N")[..8];
    private ScriptedSellingPartner _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedSellingPartner.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            yield return point;
        }
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private IEnumerable<MetricPoint> Mine(List<Metric> metrics, string name) =>
        metrics.Where(m => m.Name == name).SelectMany(Points).Where(p => Tag(p, "orderhub.source") == _sourceName);

    [Fact]
    public async Task ThrottledRetriedThenSuccessfulRead_IsExportedAsOneSpanAndItsMetrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource("OrderHub").AddInMemoryExporter(spans).Build();
        using var metering = Sdk.CreateMeterProviderBuilder().AddMeter("OrderHub", "Polly").AddInMemoryExporter(metrics).Build();
        _server.Enqueue(ScriptedResponse.Error(429, "QuotaExceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "0", ["x-amzn-RequestId"] = "req-429" }));
        _server.Enqueue(ScriptedResponse.Order(OrderId));
        using var source = _server.CreateSource(configure: o => o.SourceName = _sourceName);

        (await source.GetOrderAsync(OrderId)).OrderId.ShouldBe(OrderId);
        tracing.ForceFlush();
        metering.ForceFlush();

        var call = spans.Single(a => a.OperationName == "getOrder" && Equals(a.GetTagItem("orderhub.source"), _sourceName));
        call.Kind.ShouldBe(ActivityKind.Client);
        call.GetTagItem("http.response.status_code").ShouldBe(200);
        call.GetTagItem("orderhub.upstream.request_id").ShouldBe("req-ok");
        call.Status.ShouldNotBe(ActivityStatusCode.Error);

        Mine(metrics, "orderhub.upstream.requests").Where(p => Tag(p, "orderhub.operation") == "getOrder")
            .Select(p => (Tag(p, "orderhub.outcome"), p.GetSumLong())).OrderBy(p => p.Item1)
            .ShouldBe([("success", 1L), ("throttled", 1L)]);
        Mine(metrics, "orderhub.upstream.throttled").Sum(p => p.GetSumLong()).ShouldBe(1);
        Mine(metrics, "orderhub.upstream.retries").Select(p => (Tag(p, "orderhub.retry.reason"), p.GetSumLong())).ShouldBe([("throttled", 1L)]);
        Mine(metrics, "orderhub.ratelimit.wait").Where(p => Tag(p, "orderhub.operation") == "getOrder").Sum(p => p.GetHistogramCount()).ShouldBe(2);
        Mine(metrics, "orderhub.ratelimit.permits").ShouldContain(p => Tag(p, "orderhub.operation") == "getOrder", "the bucket's free permits are a gauge");
        Mine(metrics, "orderhub.ratelimit.waiters").ShouldContain(p => Tag(p, "orderhub.operation") == "getOrder");
        metrics.Where(m => m.MeterName == "Polly").SelectMany(Points)
            .ShouldContain(p => Tag(p, "pipeline.instance") == _sourceName && Tag(p, "event.name") == "OnRetry", "Polly's own telemetry is on, under the source's name");
    }

    [Fact]
    public async Task RetryAndThrottleLogs_NameTheSourceOperationOrderAndRequestId_AndNeverASecretOrPersonalData()
    {
        using var logs = new CapturingLoggerProvider();
        _server.Enqueue(ScriptedResponse.Error(429, "QuotaExceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "0", ["x-amzn-RequestId"] = "req-throttled" }));
        _server.Enqueue(ScriptedResponse.Error(503, "ServiceUnavailable", headers: new Dictionary<string, string> { ["Retry-After"] = "0", ["x-amzn-RequestId"] = "req-unavailable" }));
        _server.Enqueue(new ScriptedResponse(200, """{"payload":{"AmazonOrderId":"902-3159896-1390916","PurchaseDate":"2026-01-02T03:04:05Z","LastUpdateDate":"2026-01-02T03:04:06Z","OrderStatus":"Shipped","BuyerInfo":{"BuyerEmail":"jane.buyer@example.com","BuyerName":"Jane Buyer"},"ShippingAddress":{"Name":"Jane Buyer","AddressLine1":"1 Secret Lane","City":"Seattle"}}}"""));
        using var source = _server.CreateSource(configure: o => o.SourceName = _sourceName, logger: logs.CreateLogger<SellingPartnerOrderSource>());

        var order = await source.GetOrderAsync(OrderId);

        order.Shipping!.Address!.Name.ShouldBe("Jane Buyer", "the read carried personal data, so the test can fail");
        var lines = logs.Lines.ToArray();
        lines.ShouldContain(l => l.Contains($"Retrying {_sourceName} getOrder for order {OrderId} (attempt 1) after throttled (request req-throttled)"));
        lines.ShouldContain(l => l.Contains($"Retrying {_sourceName} getOrder for order {OrderId} (attempt 2) after server_error (request req-unavailable)"));
        lines.ShouldContain(l => l.Contains($"{_sourceName} getOrder for order {OrderId} was throttled (429, request req-throttled)"));
        var all = string.Join('\n', lines);
        foreach (var secret in new[] { "top-secret-value", "Atzr|refresh-", "token-", "Jane Buyer", "jane.buyer@example.com", "1 Secret Lane" })
        {
            all.ShouldNotContain(secret);
        }
    }
}
