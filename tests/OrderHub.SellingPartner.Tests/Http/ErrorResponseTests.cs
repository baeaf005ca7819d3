using System.Net;
using OrderHub.SellingPartner.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Http;

public abstract class ErrorResponseTests(string ordersApiVersion) : IAsyncLifetime
{
    private const string OrderId = "902-3159896-1390916";
    private ScriptedSellingPartner _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ScriptedSellingPartner.StartAsync();
        _server.OrdersApiVersion = ordersApiVersion;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task BadRequest_IsInvalidRequest_WithCodeAndRequestId_NotRetried()
    {
        _server.Enqueue(ScriptedResponse.Error(400, "InvalidInput", "Invalid Input"));

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => _server.CreateSource().GetOrderAsync(OrderId));

        error.ErrorCode.ShouldBe("InvalidInput");
        error.RequestId.ShouldBe("req-400");
        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.OrderId.ShouldBe(OrderId);
        error.Message.ShouldContain("Invalid Input");
        _server.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task NotFound_IsNotFound_NotRetried()
    {
        _server.Enqueue(ScriptedResponse.Error(404, "NotFound"));

        var error = await Should.ThrowAsync<OrderNotFoundException>(() => _server.CreateSource().GetOrderAsync(OrderId));

        error.RequestId.ShouldBe("req-404");
        _server.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task Forbidden_ForPermissions_IsAuthentication_NotRetried()
    {
        _server.Enqueue(ScriptedResponse.Error(403, "Unauthorized", "Access to requested resource is denied."));

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => _server.CreateSource().GetOrderAsync(OrderId));

        error.ErrorCode.ShouldBe("Unauthorized");
        _server.GetOrderRequests.ShouldBe(1);
        _server.TokenRequests.ShouldBe(1);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task ServerErrors_AreRetriedThenSucceed(int status)
    {
        _server.Enqueue(ScriptedResponse.Error(status, "InternalFailure"));
        _server.Enqueue(ScriptedResponse.Error(status, "InternalFailure"));
        _server.Enqueue(ScriptedResponse.Order(OrderId));

        var order = await _server.CreateSource().GetOrderAsync(OrderId);

        order.OrderId.ShouldBe(OrderId);
        _server.GetOrderRequests.ShouldBe(3);
    }

    [Fact]
    public async Task ServerErrors_PastTheRetryBudget_AreUnavailable_WithTheLastRequestId()
    {
        _server.Enqueue(ScriptedResponse.Error(503, "ServiceUnavailable"));

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() =>
            _server.CreateSource(configure: o => o.MaxRetryAttempts = 2).GetOrderAsync(OrderId));

        error.RequestId.ShouldBe("req-503");
        error.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        _server.GetOrderRequests.ShouldBe(3);
    }

    [Theory]
    [InlineData("<html>Bad Gateway</html>")]
    [InlineData("{\"payload\":{\"AmazonOrderId\":\"902-3159896-13")]
    [InlineData("{\"something\":\"else\"}")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task SuccessWithABodyThatCannotBeUnderstood_IsAProtocolError_WithRequestIdAndExcerpt(string body)
    {
        _server.Enqueue(new ScriptedResponse(200, body, new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-garbled" }));

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => _server.CreateSource().GetOrderAsync(OrderId));

        error.RequestId.ShouldBe("req-garbled");
        error.StatusCode.ShouldBe(HttpStatusCode.OK);
        error.ResponseExcerpt.ShouldBe(body);
        error.Message.ShouldNotContain(body.Length > 0 ? body : "\u0000");
        _server.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task ProtocolError_Excerpt_IsCappedAt256Characters()
    {
        _server.Enqueue(new ScriptedResponse(200, new string('x', 5000)));

        var error = await Should.ThrowAsync<OrderSourceProtocolException>(() => _server.CreateSource().GetOrderAsync(OrderId));

        error.ResponseExcerpt!.Length.ShouldBe(256);
    }

    [Fact]
    public async Task ErrorWithoutJsonBody_IsStillClassifiedByStatus()
    {
        _server.Enqueue(new ScriptedResponse(404, "not json"));

        var error = await Should.ThrowAsync<OrderNotFoundException>(() => _server.CreateSource().GetOrderAsync(OrderId));

        error.ErrorCode.ShouldBeNull();
    }

    [Fact]
    public async Task WrongClientSecret_IsAuthentication_AndNeverNamesTheSecret()
    {
        await using var emulator = await OrderHub.Emulator.Hosting.EmulatorHost.StartAsync();
        var options = EmulatorClient.Options(emulator);
        options.ClientSecret = "wrong-secret-value";

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() =>
            new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new()).GetOrderAsync(OrderId));

        error.ErrorCode.ShouldBe("invalid_client");
        error.ToString().ShouldNotContain("wrong-secret-value");
        error.ToString().ShouldNotContain(options.RefreshToken);
        options.ToString().ShouldNotContain("wrong-secret-value");
        options.ToString().ShouldNotContain(options.RefreshToken);
        emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }
}

public sealed class LoginWithAmazonTimeoutTests
{
    [Fact]
    public async Task TokenEndpointThatNeverAnswers_IsUnavailableWithinTheCallBudget()
    {
        await using var hung = await OrderHub.Testing.LoopbackServer.StartNeverAnsweringAsync();
        var options = new SellingPartnerOrderSourceOptions
        {
            Endpoint = hung.BaseAddress,
            LwaEndpoint = new Uri(hung.BaseAddress, "auth/o2/token"),
            ClientId = "client",
            ClientSecret = "secret",
            RefreshToken = "Atzr|refresh",
            AttemptTimeout = TimeSpan.FromMilliseconds(200),
            CallTimeout = TimeSpan.FromMilliseconds(500),
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new());

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync("902-3159896-1390916"));

        error.Message.ShouldContain("Login with Amazon");
    }

    [Fact]
    public void Endpoint_WithAPathAndNoTrailingSlash_KeepsItsPath() =>
        new SellingPartnerOrderSourceOptions { Endpoint = new Uri("https://proxy.example/sp") }.BaseAddress.ShouldBe(new Uri("https://proxy.example/sp/"));
}

/// <summary>The tests above through Orders API v0.</summary>
public sealed class ErrorResponseTestsV0() : ErrorResponseTests(SellingPartnerOrdersApi.V0);

/// <summary>The tests above through Orders API 2026-01-01: the same transport, so the same behaviour.</summary>
public sealed class ErrorResponseTests20260101() : ErrorResponseTests(SellingPartnerOrdersApi.V20260101);
