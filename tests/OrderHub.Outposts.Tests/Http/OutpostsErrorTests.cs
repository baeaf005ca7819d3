using System.Net;
using Amazon.Runtime;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Error shapes (body and header variants) and retry rules, against a scripted WireMock.Net server.</summary>
public sealed class OutpostsErrorTests : IAsyncLifetime
{
    private const string OrderId = "oo-0123456789abcdef0";
    private const string Order = """{"Order":{"OrderId":"oo-0123456789abcdef0","Status":"PREPARING"}}""";
    private ScriptedUpstream _server = ScriptedUpstream.Start(200, Order);

    private IReadOnlyList<RecordedRequest> Seen => _server.Requests;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private void Script(int status, string body, string? errorType) =>
        _server.Enqueue(status, body, errorType is null ? null : new Dictionary<string, string> { ["x-amzn-ErrorType"] = errorType });

    private OutpostsOrderSource Source(AWSCredentials? credentials = null) => new(
        new OutpostsOrderSourceOptions
        {
            Region = "us-west-2",
            Endpoint = _server.BaseAddress,
            Credentials = credentials ?? new BasicAWSCredentials("AKIDTEST", "secret"),
            RetryBaseDelay = TimeSpan.Zero,
        });

    private static CreateOrderRequest Create() => new() { AccountId = "op-0123456789abcdef0", Lines = [new("OR-ABC1234", 1)], PaymentOption = PaymentOption.NoUpfront };

    [Theory]
    [InlineData(400, "{\"message\":\"bad\"}", "ValidationException:http://internal.amazon.com/coral/com.amazonaws.outposts/", typeof(InvalidOrderRequestException), "ValidationException")]
    [InlineData(400, "{\"__type\":\"com.amazonaws.outposts#ValidationException\",\"Message\":\"bad\"}", null, typeof(InvalidOrderRequestException), "ValidationException")]
    [InlineData(403, "{\"code\":\"AccessDeniedException\",\"message\":\"no\"}", null, typeof(OrderSourceAuthenticationException), "AccessDeniedException")]
    [InlineData(404, "{\"message\":\"gone\"}", "NotFoundException", typeof(OrderNotFoundException), "NotFoundException")]
    [InlineData(402, "{\"message\":\"quota\"}", "ServiceQuotaExceededException", typeof(InvalidOrderRequestException), "ServiceQuotaExceededException")]
    [InlineData(403, "{\"message\":\"sig\"}", "InvalidSignatureException", typeof(OrderSourceAuthenticationException), "InvalidSignatureException")]
    [InlineData(404, "<html/>", null, typeof(OrderNotFoundException), null)]
    public async Task ErrorShapes_BecomeTheUnifiedExceptions_WithTypeMessageAndRequestId(int status, string body, string? header, Type expected, string? code)
    {
        Script(status, body, header);

        var error = await Should.ThrowAsync<OrderHubException>(() => Source().GetOrderAsync(OrderId));

        error.GetType().ShouldBe(expected);
        error.ErrorCode.ShouldBe(code);
        error.RequestId.ShouldBe("req-1");
        error.StatusCode.ShouldBe((HttpStatusCode)status);
        error.OrderId.ShouldBe(OrderId);
        Seen.Count.ShouldBe(1, "a client error is not retried");
    }

    [Fact]
    public async Task Conflict_CarriesResourceIdAndType()
    {
        Script(409, """{"message":"already done","ResourceId":"oo-0123456789abcdef0","ResourceType":"ORDER"}""", "ConflictException");

        var error = await Should.ThrowAsync<OrderConflictException>(() => Source().CancelOrderAsync(OrderId));

        error.ResourceId.ShouldBe(OrderId);
        error.ResourceType.ShouldBe("ORDER");
        error.Message.ShouldContain("already done");
    }

    [Theory]
    [InlineData(400, "ThrottlingException")]
    [InlineData(429, "TooManyRequestsException")]
    [InlineData(400, "RequestLimitExceeded")]
    public async Task ThrottlingCodes_AreRetriedThenSucceed(int status, string type)
    {
        Script(status, "{}", type);
        Script(200, Order, null);

        (await Source().GetOrderAsync(OrderId)).OrderId.ShouldBe(OrderId);
        Seen.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Throttling_PastTheAttempts_IsThrottled()
    {
        Script(400, "{\"message\":\"Rate exceeded\"}", "ThrottlingException");

        var error = await Should.ThrowAsync<OrderSourceThrottledException>(() => Source().GetOrderAsync(OrderId));

        error.ErrorCode.ShouldBe("ThrottlingException");
        Seen.Count.ShouldBe(3, "the standard mode makes 3 attempts");
    }

    [Fact]
    public async Task ServerErrors_AreRetriedForReads()
    {
        Script(500, "{}", "InternalServerException");
        Script(503, "{}", null);
        Script(200, Order, null);

        (await Source().GetOrderAsync(OrderId)).OrderId.ShouldBe(OrderId);
        Seen.Count.ShouldBe(3);
    }

    [Fact]
    public async Task CreateOrder_ServerError_IsNeverRetried_ItMayHaveBoughtHardware()
    {
        Script(500, "{\"message\":\"boom\"}", "InternalServerException");

        await Should.ThrowAsync<OrderSourceUnavailableException>(() => Source().CreateOrderAsync(Create()));

        Seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task CreateOrder_Throttled_IsRetried_ItProvesNothingWasProcessed()
    {
        Script(400, "{}", "ThrottlingException");
        Script(200, Order, null);

        (await Source().CreateOrderAsync(Create())).OrderId.ShouldBe(OrderId);
        Seen.Count.ShouldBe(2);
    }


    [Fact]
    public async Task CreateOrder_WritesOnlyTheMembersThatAreSet()
    {
        await Source().CreateOrderAsync(Create());
        await Source().CreateOrderAsync(new CreateOrderRequest
        {
            AccountId = "op-0123456789abcdef0",
            QuoteId = "oq-0123456789abcdef0",
            QuoteOptionId = "oqo-0123456789abcdef0",
            PaymentOption = PaymentOption.AllUpfront,
            PaymentTerm = PaymentTerm.OneYear,
        });

        Seen.Select(r => r.Body).ToArray().ShouldBe(
        [
            "{\"OutpostIdentifier\":\"op-0123456789abcdef0\",\"LineItems\":[{\"CatalogItemId\":\"OR-ABC1234\",\"Quantity\":1}],\"PaymentOption\":\"NO_UPFRONT\"}",
            "{\"OutpostIdentifier\":\"op-0123456789abcdef0\",\"QuoteIdentifier\":\"oq-0123456789abcdef0\",\"QuoteOptionIdentifier\":\"oqo-0123456789abcdef0\",\"PaymentOption\":\"ALL_UPFRONT\",\"PaymentTerm\":\"ONE_YEAR\"}",
        ]);
    }

    [Fact]
    public async Task EveryAttempt_IsSignedAfresh_AndSessionTokensAreSent()
    {
        Script(503, "{}", null);
        Script(200, Order, null);

        await Source(new SessionAWSCredentials("AKIDTEST", "secret", "SESSION-TOKEN")).GetOrderAsync(OrderId);

        var attempts = Seen.Select(r => r.Headers).ToArray();
        attempts.Length.ShouldBe(2);
        foreach (var headers in attempts)
        {
            headers["X-Amz-Security-Token"].ShouldBe("SESSION-TOKEN");
            headers["Authorization"].ShouldContain("Credential=AKIDTEST/");
            headers["Authorization"].ShouldContain("/us-west-2/outposts/aws4_request");
            headers["Authorization"].ShouldContain("x-amz-security-token");
        }
    }

    [Fact]
    public async Task UnreachableService_IsUnavailable()
    {
        var port = _server.BaseAddress.Port;
        await _server.DisposeAsync();
        _server = ScriptedUpstream.Start(200, Order);
        var source = new OutpostsOrderSource(
            new OutpostsOrderSourceOptions { Region = "us-west-2", Endpoint = new Uri($"http://127.0.0.1:{port}/"), Credentials = new BasicAWSCredentials("a", "b"), RetryBaseDelay = TimeSpan.Zero });

        await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));
    }
}
