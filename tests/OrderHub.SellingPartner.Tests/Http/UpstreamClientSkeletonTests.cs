using System.Net;
using System.Net.Sockets;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>
/// Login with Amazon goes through the same client skeleton as the Selling Partner API: its retries are counted and
/// logged as every call's are, its budget is the call budget every call has, and a failure to reach either upstream
/// is said the same way, naming the operation.
/// </summary>
public sealed class UpstreamClientSkeletonTests : IAsyncLifetime, IDisposable
{
    private const string OrderId = "902-3159896-1390916";
    private readonly TelemetryCapture _telemetry = new("skeleton-" + Guid.NewGuid().ToString("N")[..8]);
    private ScriptedSellingPartner _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedSellingPartner.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _telemetry.Dispose();

    [Fact]
    public async Task TokenRefresh_RetriedAfterA503_IsCountedAndLogged_AsEveryCallsRetryIs()
    {
        using var logs = new CapturingLoggerProvider();
        _server.FailTokenRequests(503);
        var source = _server.CreateSource(configure: o => o.SourceName = _telemetry.SourceName, logger: logs.CreateLogger<SellingPartnerOrderSource>());

        await source.GetOrderAsync(OrderId);

        _server.TokenRequests.ShouldBe(2);
        _telemetry.Measurements
            .Where(m => m.Instrument == "orderhub.upstream.retries")
            .Select(m => (Operation: m.Tags.Single(t => t.Key == "orderhub.operation").Value, Reason: m.Tags.Single(t => t.Key == "orderhub.retry.reason").Value))
            .ShouldBe([("refreshAccessToken", (object?)"server_error")]);
        logs.Lines.ShouldContain(l => l.Contains($"Retrying {_telemetry.SourceName} refreshAccessToken") && l.Contains("(attempt 1) after server_error"));
    }

    [Fact]
    public async Task TokenEndpointThatNeverAnswers_FailsWithinTheCallBudget_NamingCallTimeout()
    {
        await using var hung = await LoopbackServer.StartNeverAnsweringAsync();
        var source = _server.CreateSource(configure: o =>
        {
            o.LwaEndpoint = new Uri(hung.BaseAddress, "auth/o2/token");
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.CallTimeout = TimeSpan.FromMilliseconds(500);
        });

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldBe("Login with Amazon did not answer refreshAccessToken within the call's budget of 0.5 s (CallTimeout; every attempt timed out).");
        error.TimedOut.ShouldBeTrue();
        _server.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task GetOrder_ApiUnreachable_SaysWhichOperationCouldNotBeReached_AndHow()
    {
        var source = _server.CreateSource(configure: o =>
        {
            o.Endpoint = ClosedPort();
            o.MaxRetryAttempts = 1;
        });

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldBe("The Selling Partner API could not be reached for getOrder (the connection failed).");
        error.TimedOut.ShouldBeFalse();
        _server.TokenRequests.ShouldBe(1, "the token came from the upstream that answers");
    }

    private static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
