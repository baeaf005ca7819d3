using System.Collections.Concurrent;
using System.Diagnostics;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Outposts calls are traced under "OrderHub" like every provider's, with no credential in any tag.</summary>
public sealed class OutpostsTelemetryTests : IDisposable
{
    private readonly string _sourceName = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener;

    public OutpostsTelemetryTests()
    {
        _listener = new ActivityListener
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
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task GetOrder_LeavesASpanNamedAfterTheOperation_WithTheRequestId_AndNoCredential()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var options = OutpostsEmulatorClient.Options(emulator);
        options.SourceName = _sourceName;
        using var source = new OutpostsOrderSource(options, environment: _ => null);

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        var span = _activities.ShouldHaveSingleItem();
        span.OperationName.ShouldBe("GetOrder");
        span.GetTagItem("http.response.status_code").ShouldBe(200);
        span.GetTagItem("orderhub.upstream.request_id").ShouldNotBeNull();
        span.TagObjects.Select(t => t.Value?.ToString()).ShouldAllBe(v => v == null || !v.Contains(emulator.Outposts.Options.AwsSecretAccessKey));
    }
}
