using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Error shapes (body and header variants) and retry rules, against a scripted server on loopback.</summary>
public sealed class OutpostsErrorTests : IAsyncLifetime
{
    private const string OrderId = "oo-0123456789abcdef0";
    private const string Order = """{"Order":{"OrderId":"oo-0123456789abcdef0","Status":"PREPARING"}}""";
    private readonly ConcurrentQueue<(int Status, string Body, string? ErrorType)> _script = new();
    private readonly ConcurrentQueue<Dictionary<string, string>> _seen = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private (int Status, string Body, string? ErrorType) _last = (200, Order, null);
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(app => app.Run(async http =>
    {
        // Kestrel reuses its header collections after a request: keep copies.
        _seen.Enqueue(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        using (var reader = new StreamReader(http.Request.Body))
        {
            _bodies.Enqueue(await reader.ReadToEndAsync());
        }

        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }

        http.Response.StatusCode = _last.Status;
        http.Response.Headers["x-amzn-RequestId"] = $"req-{_seen.Count}";
        if (_last.ErrorType is not null)
        {
            http.Response.Headers["x-amzn-ErrorType"] = _last.ErrorType;
        }

        await http.Response.WriteAsync(_last.Body);
    }));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OutpostsOrderSource Source(AWSCredentials? credentials = null) => new(
        new OutpostsOrderSourceOptions
        {
            Region = "us-west-2",
            Endpoint = _server.BaseAddress,
            Credentials = credentials ?? new BasicAWSCredentials("AKIDTEST", "secret"),
            RetryBaseDelay = TimeSpan.Zero,
        },
        environment: _ => null);

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
        _script.Enqueue((status, body, header));

        var error = await Should.ThrowAsync<OrderHubException>(() => Source().GetOrderAsync(OrderId));

        error.GetType().ShouldBe(expected);
        error.ErrorCode.ShouldBe(code);
        error.RequestId.ShouldBe("req-1");
        error.StatusCode.ShouldBe((HttpStatusCode)status);
        error.OrderId.ShouldBe(OrderId);
        _seen.Count.ShouldBe(1, "a client error is not retried");
    }

    [Fact]
    public async Task Conflict_CarriesResourceIdAndType()
    {
        _script.Enqueue((409, """{"message":"already done","ResourceId":"oo-0123456789abcdef0","ResourceType":"ORDER"}""", "ConflictException"));

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
        _script.Enqueue((status, "{}", type));
        _script.Enqueue((200, Order, null));

        (await Source().GetOrderAsync(OrderId)).OrderId.ShouldBe(OrderId);
        _seen.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Throttling_PastTheAttempts_IsThrottled()
    {
        _script.Enqueue((400, "{\"message\":\"Rate exceeded\"}", "ThrottlingException"));

        var error = await Should.ThrowAsync<OrderSourceThrottledException>(() => Source().GetOrderAsync(OrderId));

        error.ErrorCode.ShouldBe("ThrottlingException");
        _seen.Count.ShouldBe(3, "the standard mode makes 3 attempts");
    }

    [Fact]
    public async Task ServerErrors_AreRetriedForReads()
    {
        _script.Enqueue((500, "{}", "InternalServerException"));
        _script.Enqueue((503, "{}", null));
        _script.Enqueue((200, Order, null));

        (await Source().GetOrderAsync(OrderId)).OrderId.ShouldBe(OrderId);
        _seen.Count.ShouldBe(3);
    }

    [Fact]
    public async Task CreateOrder_ServerError_IsNeverRetried_ItMayHaveBoughtHardware()
    {
        _script.Enqueue((500, "{\"message\":\"boom\"}", "InternalServerException"));

        await Should.ThrowAsync<OrderSourceUnavailableException>(() => Source().CreateOrderAsync(Create()));

        _seen.Count.ShouldBe(1);
    }

    [Fact]
    public async Task CreateOrder_Throttled_IsRetried_ItProvesNothingWasProcessed()
    {
        _script.Enqueue((400, "{}", "ThrottlingException"));
        _script.Enqueue((200, Order, null));

        (await Source().CreateOrderAsync(Create())).OrderId.ShouldBe(OrderId);
        _seen.Count.ShouldBe(2);
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

        _bodies.ToArray().ShouldBe(
        [
            "{\"OutpostIdentifier\":\"op-0123456789abcdef0\",\"LineItems\":[{\"CatalogItemId\":\"OR-ABC1234\",\"Quantity\":1}],\"PaymentOption\":\"NO_UPFRONT\"}",
            "{\"OutpostIdentifier\":\"op-0123456789abcdef0\",\"QuoteIdentifier\":\"oq-0123456789abcdef0\",\"QuoteOptionIdentifier\":\"oqo-0123456789abcdef0\",\"PaymentOption\":\"ALL_UPFRONT\",\"PaymentTerm\":\"ONE_YEAR\"}",
        ]);
    }

    [Fact]
    public async Task EveryAttempt_IsSignedAfresh_AndSessionTokensAreSent()
    {
        _script.Enqueue((503, "{}", null));
        _script.Enqueue((200, Order, null));

        await Source(new SessionAWSCredentials("AKIDTEST", "secret", "SESSION-TOKEN")).GetOrderAsync(OrderId);

        var attempts = _seen.ToArray();
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
        _server = await LoopbackServer.StartAsync(_ => { });
        var source = new OutpostsOrderSource(
            new OutpostsOrderSourceOptions { Region = "us-west-2", Endpoint = new Uri($"http://127.0.0.1:{port}/"), Credentials = new BasicAWSCredentials("a", "b"), RetryBaseDelay = TimeSpan.Zero },
            environment: _ => null);

        await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync(OrderId));
    }
}
