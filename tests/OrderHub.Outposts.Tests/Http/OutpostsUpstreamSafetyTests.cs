using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Signed requests stay with the configured endpoint; what comes back is bounded.</summary>
public sealed class OutpostsUpstreamSafetyTests : IAsyncLifetime
{
    private const string OrderId = "oo-0123456789abcdef0";
    private RecordingServer _elsewhere = null!;
    private LoopbackServer _server = null!;
    private int _requests;

    public async Task InitializeAsync()
    {
        _elsewhere = await RecordingServer.StartAsync();
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/orders/{orderId}", (HttpContext http) =>
            {
                Interlocked.Increment(ref _requests);
                http.Response.StatusCode = 301;
                http.Response.Headers["x-amzn-RequestId"] = "req-moved";
                http.Response.Headers.Location = new Uri(_elsewhere.BaseAddress, $"orders/{OrderId}").AbsoluteUri;
            });
            app.MapGet("/list-orders", async (HttpContext http) =>
            {
                Interlocked.Increment(ref _requests);
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"Orders\":[" + string.Join(',', Enumerable.Repeat("{\"OrderId\":\"oo-0123456789abcdef0\"}", 20_000)) + "]}");
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    private OutpostsOrderSource Source(long maxResponseBytes = 4 * 1024 * 1024) => new(
        new OutpostsOrderSourceOptions
        {
            Region = "us-west-2",
            Endpoint = _server.BaseAddress,
            Credentials = new SessionAWSCredentials("AKIDTEST", "secret", "SESSION-TOKEN"),
            RetryBaseDelay = TimeSpan.Zero,
            MaxResponseBytes = maxResponseBytes,
        },
        environment: _ => null);

    [Fact]
    public async Task GetOrder_MovedPermanentlyToAnotherHost_IsAProtocolErrorNamingIt_AndNoSignedRequestGoesThere()
    {
        using var source = Source();

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain(_elsewhere.BaseAddress.Authority);
        error.RequestId.ShouldBe("req-moved");
        error.Message.ShouldNotContain("SESSION-TOKEN");
        _elsewhere.Requests.ShouldBeEmpty();
        Volatile.Read(ref _requests).ShouldBe(1);
    }

    [Fact]
    public void Constructor_InnerHandlerThatFollowsRedirects_IsRefused()
    {
        using var follows = new HttpClientHandler();

        var error = Should.Throw<ArgumentException>(() => new OutpostsOrderSource(
            new OutpostsOrderSourceOptions { Region = "us-west-2", Credentials = new BasicAWSCredentials("a", "b") },
            innerHandler: follows,
            environment: _ => null));

        error.ParamName.ShouldBe("innerHandler");
    }

    [Fact]
    public async Task ListOrders_PageLargerThanTheCap_IsAProtocolError()
    {
        using var source = Source(maxResponseBytes: 64 * 1024);

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(async () =>
        {
            await foreach (var _ in source.ListOrdersAsync())
            {
            }
        });

        error.Message.ShouldContain("65536 bytes");
    }

    [Theory]
    [InlineData("oo-٠١٢٣٤٥٦٧٨٩abcdef0")]
    [InlineData("oo-０１２３４５６７８９abcdef0")]
    public async Task GetOrder_IdWithNonAsciiDigits_IsRejectedBeforeAnyRequest(string id)
    {
        using var source = Source();

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => source.GetOrderAsync(id));

        error.Message.ShouldContain("17 lowercase hex digits");
        Volatile.Read(ref _requests).ShouldBe(0);
    }

    [Theory]
    [InlineData("arn:aws:outposts:us-west-2:١٢٣٤٥٦٧٨٩٠١٢:outpost/op-0123456789abcdef0")]
    [InlineData("arn:aws:outposts:us-west-2:１２３４５６７８９０１２:outpost/op-0123456789abcdef0")]
    public void OutpostIdentifier_ArnWithNonAsciiDigits_IsInvalid(string arn) =>
        OutpostsInputRules.OutpostIdentifier.IsValid(arn).ShouldBeFalse();
}
