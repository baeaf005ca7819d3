using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Tests.Support;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Outposts calls are traced under "OrderHub" like every provider's, with no credential in any tag.</summary>
public sealed class OutpostsTelemetryTests : IDisposable
{
    private readonly TelemetryCapture _telemetry = new("telemetry-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task GetOrder_LeavesASpanNamedAfterTheOperation_WithTheRequestId_AndNoCredential()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var options = OutpostsEmulatorClient.Options(emulator);
        options.SourceName = _telemetry.SourceName;
        using var source = new OutpostsOrderSource(options);

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        var span = _telemetry.Activities.ShouldHaveSingleItem();
        span.OperationName.ShouldBe("GetOrder");
        span.GetTagItem("http.response.status_code").ShouldBe(200);
        span.GetTagItem("orderhub.upstream.request_id").ShouldNotBeNull();
        span.TagObjects.Select(t => t.Value?.ToString()).ShouldAllBe(v => v == null || !v.Contains(emulator.Outposts.Options.AwsSecretAccessKey));
    }
}
