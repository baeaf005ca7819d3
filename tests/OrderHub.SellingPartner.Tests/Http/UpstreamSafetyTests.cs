using Microsoft.Extensions.Time.Testing;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.Testing;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

/// <summary>What the client does with hostile or broken upstreams: redirects, huge bodies, lookalike ids, silence.</summary>
public sealed class UpstreamSafetyTests : IAsyncLifetime
{
    private const string OrderId = "902-3159896-1390916";
    private ScriptedSellingPartner _server = null!;
    private RecordingServer _elsewhere = null!;

    public async Task InitializeAsync()
    {
        _server = await ScriptedSellingPartner.StartAsync();
        _elsewhere = await RecordingServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _elsewhere.DisposeAsync();
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task GetOrder_RedirectedToAnotherHost_IsAProtocolErrorNamingIt_AndTheTokenNeverGoesThere(int status)
    {
        _server.Enqueue(new ScriptedResponse(status, string.Empty, new Dictionary<string, string>
        {
            ["Location"] = new Uri(_elsewhere.BaseAddress, $"orders/v0/orders/{OrderId}").AbsoluteUri,
            ["x-amzn-RequestId"] = "req-redirect",
        }));
        var source = _server.CreateSource(configure: o => o.MaxRetryAttempts = 3);

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain(_elsewhere.BaseAddress.Authority);
        error.RequestId.ShouldBe("req-redirect");
        error.Message.ShouldNotContain("token-1");
        _elsewhere.Requests.ShouldBeEmpty();
        _server.GetOrderRequests.ShouldBe(1, "a redirect is not retried");
    }

    [Fact]
    public async Task TokenEndpoint_RedirectingToAnotherHost_IsAProtocolError_AndTheSecretNeverGoesThere()
    {
        using var redirecting = WireMock.Server.WireMockServer.Start();
        redirecting.Given(WireMock.RequestBuilders.Request.Create().WithPath("/auth/o2/token").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(307).WithHeader("Location", new Uri(_elsewhere.BaseAddress, "auth/o2/token").AbsoluteUri));
        var source = _server.CreateSource(configure: o => o.LwaEndpoint = new Uri($"http://127.0.0.1:{redirecting.Ports[0]}/auth/o2/token"));

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain("Login with Amazon");
        error.Message.ShouldContain(_elsewhere.BaseAddress.Authority);
        _elsewhere.Requests.ShouldBeEmpty();
        _server.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public void Constructor_HandlerThatFollowsRedirects_IsRefused()
    {
        var options = new SellingPartnerOrderSourceOptions { ClientId = "c", ClientSecret = "s", RefreshToken = "r" };
        using var follows = new SocketsHttpHandler();

        var error = Should.Throw<ArgumentException>(() => new SellingPartnerOrderSource(options, handler: follows));

        error.Message.ShouldContain("AllowAutoRedirect = false");
        error.ParamName.ShouldBe("handler");
    }

    [Fact]
    public void Constructor_HandlerThatFollowsRedirectsBehindAnotherHandler_IsStillRefused()
    {
        var options = new SellingPartnerOrderSourceOptions { ClientId = "c", ClientSecret = "s", RefreshToken = "r" };
        using var wrapped = new PassThroughHandler { InnerHandler = new HttpClientHandler() };

        Should.Throw<ArgumentException>(() => new SellingPartnerOrderSource(options, handler: wrapped));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetOrder_BodyLargerThanTheCap_IsAProtocolErrorCarryingTheRequestId(bool announcesLength)
    {
        await using var huge = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/auth/o2/token", () => Results.Text("""{"access_token":"t","expires_in":3600}""", "application/json"));
            app.MapGet("/orders/v0/orders/{orderId}", async (HttpContext http) =>
            {
                var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                http.Response.Headers["x-amzn-RequestId"] = "req-huge";
                http.Response.ContentType = "application/json";
                if (announcesLength)
                {
                    http.Response.ContentLength = 1 + (chunk.Length * 16L);
                }

                await http.Response.Body.WriteAsync("{"u8.ToArray());
                for (var i = 0; i < 16; i++)
                {
                    await http.Response.Body.WriteAsync(chunk);
                }
            });
        });
        var options = OptionsFor(huge);
        options.MaxResponseBytes = 256 * 1024;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain("262144 bytes");
        error.Message.ShouldContain("MaxResponseBytes");
        error.RequestId.ShouldBe("req-huge");
    }

    [Fact]
    public void Options_DefaultResponseCap_IsFourMebibytes() =>
        new SellingPartnerOrderSourceOptions().MaxResponseBytes.ShouldBe(4 * 1024 * 1024);

    [Theory]
    [InlineData("٩٠٢-٣١٥٩٨٩٦-١٣٩٠٩١٦")] // Arabic-Indic digits
    [InlineData("９０２-３１５９８９６-１３９０９１６")] // fullwidth digits
    [InlineData("902-3159896-139091६")] // one Devanagari digit
    public async Task GetOrder_IdWithNonAsciiDigits_IsRejectedBeforeAnyRequest(string id)
    {
        var source = _server.CreateSource();

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => source.GetOrderAsync(id));

        error.Message.ShouldContain("3-7-7 digits");
        Should.Throw<InvalidOrderRequestException>(() => new OrderLookup([source]).ResolveSource(id));
        _server.GetOrderRequests.ShouldBe(0);
        _server.TokenRequests.ShouldBe(0);
    }

    [Fact]
    public async Task GetOrder_TokenEndpointFailingTwiceWith5xxOr429_IsRetried_AndTheCallSucceeds()
    {
        _server.FailTokenRequests(503, 429);
        var source = _server.CreateSource();

        var order = await source.GetOrderAsync(OrderId);

        order.OrderId.ShouldBe(OrderId);
        _server.TokenRequests.ShouldBe(3);
        _server.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrder_TokenEndpointFailingEveryTime_IsUnavailableAfterItsRetries_WithoutSpendingGetOrderPermits()
    {
        _server.FailTokenRequests(500, 500, 500, 500);
        var source = _server.CreateSource(configure: o => o.MaxRetryAttempts = 3);

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain("Login with Amazon");
        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.InternalServerError);
        _server.TokenRequests.ShouldBe(4, "one attempt and three retries, not multiplied by getOrder's retries");
        _server.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task GetOrder_EndpointThatAcceptsAndNeverAnswers_FailsWithinTheCallBudget_NamingIt()
    {
        var requests = 0;
        await using var hung = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/auth/o2/token", () => Results.Text("""{"access_token":"t","expires_in":3600}""", "application/json"));
            app.MapGet("/orders/v0/orders/{orderId}", async (HttpContext http) =>
            {
                Interlocked.Increment(ref requests);
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            });
        });
        var options = OptionsFor(hung);
        options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        options.CallTimeout = TimeSpan.FromMilliseconds(700);
        options.RetryBaseDelay = TimeSpan.Zero;
        options.MaxRetryAttempts = 10;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));

        error.Message.ShouldContain("CallTimeout");
        // 700 ms hold two 300 ms attempts and part of a third; the HTTP handler may resend a request once on a fresh
        // connection when the pooled one was torn down by the previous timeout. Without the budget there would be 11.
        Volatile.Read(ref requests).ShouldBeLessThanOrEqualTo(6, "the budget, not the 11 attempts allowed, ends the call");
    }

    [Fact]
    public async Task GetOrder_PermitComingAfterTheTokenWouldExpire_SendsAFreshToken()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        _server.TokenLifetimeSeconds = 10; // refreshed one second before it expires
        var source = _server.CreateSource(time, configure: o =>
        {
            o.GetOrderBurst = 1;
            o.GetOrderPermitsPerSecond = 0.1;
        });
        await source.GetOrderAsync(OrderId);

        var queued = source.GetOrderAsync(OrderId);
        await Eventually.TrueAsync(() => source.GetOrderRateLimiter.GetStatistics()!.CurrentQueuedCount == 1, "the second call waits for a permit");
        time.Advance(TimeSpan.FromSeconds(10));
        await queued;

        _server.AccessTokensSeen.ShouldBe(["token-1", "token-2"]);
    }

    private static SellingPartnerOrderSourceOptions OptionsFor(LoopbackServer server) => new()
    {
        Endpoint = server.BaseAddress,
        LwaEndpoint = new Uri(server.BaseAddress, "auth/o2/token"),
        ClientId = "c",
        ClientSecret = "s",
        RefreshToken = "r",
        OrdersApiVersion = SellingPartnerOrdersApi.V0,
    };

    private sealed class PassThroughHandler : DelegatingHandler;
}

/// <summary>One call spends a bounded number of permits, whatever mix of failures it meets.</summary>
public sealed class RetryBudgetTests
{
    [Fact]
    public async Task GetOrder_TokenRejectedAfterRetries_RefreshesOnce_WithinTheSameRetries_NotASecondRoundOfThem()
    {
        await using var server = await ScriptedSellingPartner.StartAsync(
            ScriptedResponse.Error(503, "ServiceUnavailable"),
            ScriptedResponse.Error(503, "ServiceUnavailable"),
            ScriptedResponse.Error(503, "ServiceUnavailable"),
            ScriptedResponse.Error(403, "Unauthorized", "The access token you provided has expired."),
            ScriptedResponse.Error(503, "ServiceUnavailable"));
        var source = server.CreateSource(configure: o => o.MaxRetryAttempts = 3);

        await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync("902-3159896-1390916"));

        server.GetOrderRequests.ShouldBe(5, "1 attempt, 3 retries, and the one retry a token refresh earns");
        server.TokenRequests.ShouldBe(2);
    }
}

/// <summary>Options are checked by the same rules with or without dependency injection.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public void Constructor_OptionsBreakingARule_IsAnArgumentExceptionNamingTheSourceAndTheSetting()
    {
        var options = new SellingPartnerOrderSourceOptions { SourceName = "sp-eu", ClientId = "c", ClientSecret = "s", RefreshToken = "r", PacingMargin = 0.9 };

        var error = Should.Throw<ArgumentException>(() => new SellingPartnerOrderSource(options));

        error.Message.ShouldContain("sp-eu");
        error.Message.ShouldContain("PacingMargin");
    }

    [Fact]
    public void Region_FromConfiguration_TakesTheHostsCodeOrTheName_AndNamesThemOtherwise()
    {
        var configuration = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), new Dictionary<string, string?>
        {
            ["a:Region"] = "eu",
            ["b:Region"] = "FarEast",
            ["c:Region"] = "mars",
        }).Build();

        Microsoft.Extensions.Configuration.ConfigurationBinder.Get<SellingPartnerOrderSourceOptions>(configuration.GetSection("a"))!.Region.ShouldBe(SellingPartnerRegion.Europe);
        Microsoft.Extensions.Configuration.ConfigurationBinder.Get<SellingPartnerOrderSourceOptions>(configuration.GetSection("b"))!.Region.ShouldBe(SellingPartnerRegion.FarEast);
        var error = Should.Throw<InvalidOperationException>(() => Microsoft.Extensions.Configuration.ConfigurationBinder.Get<SellingPartnerOrderSourceOptions>(configuration.GetSection("c")));
        error.ToString().ShouldContain("na, eu or fe");
    }
}
