using Amazon.Runtime;
using OrderHub.Testing;
using Shouldly;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Signed requests stay with the configured endpoint; what comes back is bounded.</summary>
public sealed class OutpostsUpstreamSafetyTests : IAsyncLifetime
{
    private const string OrderId = "oo-0123456789abcdef0";
    private RecordingServer _elsewhere = null!;
    private WireMockServer _server = null!;

    private int Requests => _server.LogEntries.Count();

    public async Task InitializeAsync()
    {
        _elsewhere = await RecordingServer.StartAsync();
        _server = WireMockServer.Start();
        _server.Given(Request.Create().WithPath($"/orders/{OrderId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(301).WithHeader("x-amzn-RequestId", "req-moved").WithHeader("Location", new Uri(_elsewhere.BaseAddress, $"orders/{OrderId}").AbsoluteUri));
        _server.Given(Request.Create().WithPath("/list-orders").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("{\"Orders\":[" + string.Join(',', Enumerable.Repeat("{\"OrderId\":\"oo-0123456789abcdef0\"}", 20_000)) + "]}"));
    }

    public async Task DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        await _elsewhere.DisposeAsync();
    }

    private OutpostsOrderSource Source(long maxResponseBytes = 4 * 1024 * 1024) => new(
        new OutpostsOrderSourceOptions
        {
            Region = "us-west-2",
            Endpoint = new Uri($"http://127.0.0.1:{_server.Ports[0]}/"),
            Credentials = new SessionAWSCredentials("AKIDTEST", "secret", "SESSION-TOKEN"),
            RetryBaseDelay = TimeSpan.Zero,
            MaxResponseBytes = maxResponseBytes,
        });

    [Fact]
    public async Task GetOrder_MovedPermanentlyToAnotherHost_IsAProtocolErrorNamingIt_AndNoSignedRequestGoesThere()
    {
        using var source = Source();

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain(_elsewhere.BaseAddress.Authority);
        error.RequestId.ShouldBe("req-moved");
        error.Message.ShouldNotContain("SESSION-TOKEN");
        _elsewhere.Requests.ShouldBeEmpty();
        Requests.ShouldBe(1);
    }

    [Fact]
    public void Constructor_InnerHandlerThatFollowsRedirects_IsRefused()
    {
        using var follows = new HttpClientHandler();

        var error = Should.Throw<ArgumentException>(() => new OutpostsOrderSource(
            new OutpostsOrderSourceOptions { Region = "us-west-2", Credentials = new BasicAWSCredentials("a", "b") },
            innerHandler: follows));

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
        Requests.ShouldBe(0);
    }

    [Theory]
    [InlineData("arn:aws:outposts:us-west-2:١٢٣٤٥٦٧٨٩٠١٢:outpost/op-0123456789abcdef0")]
    [InlineData("arn:aws:outposts:us-west-2:１２３４５６７８９０１２:outpost/op-0123456789abcdef0")]
    public void OutpostIdentifier_ArnWithNonAsciiDigits_IsInvalid(string arn) =>
        OutpostsInputRules.OutpostIdentifier.IsValid(arn).ShouldBeFalse();
}
