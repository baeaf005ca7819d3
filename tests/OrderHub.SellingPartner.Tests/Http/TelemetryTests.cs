using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderHub.SellingPartner.Tests.Support;
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
    private readonly string _sourceName = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener = new();
    private ScriptedSellingPartner _server = null!;

    public TelemetryTests()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OrderHub",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("orderhub.source"), _sourceName))
                {
                    _activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "OrderHub")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _meterListener.Start();
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = tags.ToArray();
        if (copy.Any(t => t.Key == "orderhub.source" && Equals(t.Value, _sourceName)))
        {
            _measurements.Enqueue((instrument.Name, copy));
        }
    }

    public async Task InitializeAsync() => _server = await ScriptedSellingPartner.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    [Fact]
    public async Task GetOrder_AfterA429_LeavesOneSpanWithTheRequestId_AndAnAttemptPerOutcome()
    {
        _server.Enqueue(ScriptedResponse.Error(429, "QuotaExceeded", headers: new Dictionary<string, string> { ["Retry-After"] = "0", ["x-amzn-RequestId"] = "req-429" }));
        _server.Enqueue(ScriptedResponse.Order(OrderId));
        var source = _server.CreateSource(configure: o => o.SourceName = _sourceName);

        await source.GetOrderAsync(OrderId);

        _activities.Select(a => a.OperationName).ShouldBe(["refreshAccessToken", "getOrder"], "the token is refreshed first (the scripted server answers Orders API v0)");
        var span = _activities.Last();
        span.Kind.ShouldBe(ActivityKind.Client);
        span.GetTagItem("http.response.status_code").ShouldBe(200);
        span.GetTagItem("orderhub.upstream.request_id").ShouldBe("req-ok");
        var attempts = _measurements.Where(m => m.Instrument == "orderhub.upstream.requests" && m.Tags.Any(t => t.Key == "orderhub.operation" && Equals(t.Value, "getOrder")))
            .Select(m => m.Tags.Single(t => t.Key == "orderhub.outcome").Value).ToArray();
        attempts.ShouldBe(["throttled", "success"]);
        _measurements.Count(m => m.Instrument == "orderhub.upstream.request.duration").ShouldBe(3, "the token refresh and the two getOrder attempts");
        _measurements.Count(m => m.Instrument == "orderhub.ratelimit.wait").ShouldBe(2);
    }

    [Fact]
    public async Task Telemetry_NeverCarriesTheTokenTheSecretOrTheOrder()
    {
        var source = _server.CreateSource(configure: o => o.SourceName = _sourceName);

        await source.GetOrderAsync(OrderId);

        var values = _activities.SelectMany(a => a.TagObjects.Select(t => t.Value?.ToString()))
            .Concat(_measurements.SelectMany(m => m.Tags.Select(t => t.Value?.ToString())))
            .ToArray();
        values.ShouldNotBeEmpty();
        values.ShouldAllBe(v => v == null || (!v.Contains("token-") && !v.Contains("top-secret-value") && !v.Contains(OrderId)));
    }

    [Fact]
    public async Task GetOrder_NotFound_EndsTheSpanInError_WithTheUpstreamStatus()
    {
        _server.Enqueue(ScriptedResponse.Error(404, "NotFound"));
        var source = _server.CreateSource(configure: o => o.SourceName = _sourceName);

        await Should.ThrowAsync<OrderNotFoundException>(() => source.GetOrderAsync(OrderId));

        var span = _activities.Single(a => a.OperationName == "getOrder");
        span.Status.ShouldBe(ActivityStatusCode.Error);
        span.GetTagItem("http.response.status_code").ShouldBe(404);
        _measurements.Where(m => m.Instrument == "orderhub.upstream.requests" && m.Tags.Any(t => t.Key == "orderhub.operation" && Equals(t.Value, "getOrder")))
            .Select(m => m.Tags.Single(t => t.Key == "orderhub.outcome").Value).ShouldBe(["client_error"]);
    }
}
