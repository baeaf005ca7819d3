using System.Diagnostics;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>
/// Every call leaves a span and measurements under the name "OrderHub", tagged by source, operation and outcome, with
/// the upstream request id and never a token or an order's content.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime, IDisposable
{
    private const string OrderId = "902-3159896-1390916";
    private readonly TelemetryCapture _telemetry = new("telemetry-" + Guid.NewGuid().ToString("N")[..8]);
    private ScriptedSellingPartner _server = null!;

    private string SourceName => _telemetry.SourceName;

    private IReadOnlyCollection<Activity> Activities => _telemetry.Activities;

    private IReadOnlyCollection<(string Instrument, KeyValuePair<string, object?>[] Tags)> Measurements => _telemetry.Measurements;

    public async Task InitializeAsync() => _server = await ScriptedSellingPartner.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task GetOrder_AfterA429_LeavesOneSpanWithTheRequestId_AndAnAttemptPerOutcome()
    {
        _server.Enqueue(ScriptedResponse.Error(429, "QuotaExceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "0", ["x-amzn-RequestId"] = "req-429" }));
        _server.Enqueue(ScriptedResponse.Order(OrderId));
        var source = _server.CreateSource(configure: o => o.SourceName = SourceName);

        await source.GetOrderAsync(OrderId);

        Activities.Select(a => a.OperationName).ShouldBe(["refreshAccessToken", "getOrder"], "the token is refreshed first (the scripted server answers Orders API v0)");
        var span = Activities.Last();
        span.Kind.ShouldBe(ActivityKind.Client);
        span.GetTagItem("http.response.status_code").ShouldBe(200);
        span.GetTagItem("orderhub.upstream.request_id").ShouldBe("req-ok");
        var attempts = Measurements.Where(m => m.Instrument == "orderhub.upstream.requests" && m.Tags.Any(t => t.Key == "orderhub.operation" && Equals(t.Value, "getOrder")))
            .Select(m => m.Tags.Single(t => t.Key == "orderhub.outcome").Value).ToArray();
        attempts.ShouldBe(["throttled", "success"]);
        Measurements.Count(m => m.Instrument == "orderhub.upstream.request.duration").ShouldBe(3, "the token refresh and the two getOrder attempts");
        Measurements.Count(m => m.Instrument == "orderhub.ratelimit.wait").ShouldBe(2);
    }

    [Fact]
    public async Task Telemetry_NeverCarriesTheTokenTheSecretOrTheOrder()
    {
        var source = _server.CreateSource(configure: o => o.SourceName = SourceName);

        await source.GetOrderAsync(OrderId);

        var values = Activities.SelectMany(a => a.TagObjects.Select(t => t.Value?.ToString()))
            .Concat(Measurements.SelectMany(m => m.Tags.Select(t => t.Value?.ToString())))
            .ToArray();
        values.ShouldNotBeEmpty();
        values.ShouldAllBe(v => v == null || (!v.Contains("token-") && !v.Contains("top-secret-value") && !v.Contains(OrderId)));
    }

    [Fact]
    public async Task GetOrder_NotFound_EndsTheSpanInError_WithTheUpstreamStatus()
    {
        _server.Enqueue(ScriptedResponse.Error(404, "NotFound"));
        var source = _server.CreateSource(configure: o => o.SourceName = SourceName);

        await Should.ThrowAsync<OrderNotFoundException>(() => source.GetOrderAsync(OrderId));

        var span = Activities.Single(a => a.OperationName == "getOrder");
        span.Status.ShouldBe(ActivityStatusCode.Error);
        span.GetTagItem("http.response.status_code").ShouldBe(404);
        Measurements.Where(m => m.Instrument == "orderhub.upstream.requests" && m.Tags.Any(t => t.Key == "orderhub.operation" && Equals(t.Value, "getOrder")))
            .Select(m => m.Tags.Single(t => t.Key == "orderhub.outcome").Value).ShouldBe(["client_error"]);
    }
}
