using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.SellingPartner;
using OrderHub.Testing;
using OrderHub.Throttling;

namespace OrderHub.SellingPartner.Tests.Support;

/// <summary>One scripted answer: status, body, headers; an order answer has a body for each Orders API version.</summary>
public sealed record ScriptedResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, string? Body20260101 = null)
{
    public static ScriptedResponse Order(string orderId) =>
        new(200, $$$"""{"payload":{"AmazonOrderId":"{{{orderId}}}","PurchaseDate":"2026-01-02T03:04:05Z","LastUpdateDate":"2026-01-02T03:04:06Z","OrderStatus":"Shipped"}}""",
            new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-ok" },
            $$$"""{"order":{"orderId":"{{{orderId}}}","createdTime":"2026-01-02T03:04:05Z","lastUpdatedTime":"2026-01-02T03:04:06Z","salesChannel":{"channelName":"AMAZON"},"fulfillment":{"fulfillmentStatus":"SHIPPED"},"orderItems":[]}}""");

    public static ScriptedResponse Error(int status, string code, string message = "m", IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, $$"""{"errors":[{"code":"{{code}}","message":"{{message}}","details":""}]}""",
            headers ?? new Dictionary<string, string> { ["x-amzn-RequestId"] = $"req-{status}" });
}

/// <summary>
/// A real Selling Partner look-alike on loopback whose getOrder answers come from a script (the last one repeats),
/// with a counting LWA token endpoint. For the shapes the emulator does not produce on purpose.
/// </summary>
public sealed class ScriptedSellingPartner : IAsyncDisposable
{
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly ConcurrentQueue<int> _lwaFailures = new();
    private LoopbackServer _server = null!;
    private ScriptedResponse _last = ScriptedResponse.Order("902-3159896-1390916");
    private int _getOrders;
    private int _tokens;

    public int GetOrderRequests => Volatile.Read(ref _getOrders);

    public int TokenRequests => Volatile.Read(ref _tokens);

    /// <summary>Gets or sets the Orders API version the sources this server creates read through.</summary>
    public string OrdersApiVersion { get; set; } = SellingPartnerOrdersApi.V0;

    /// <summary>Gets the query strings getOrder was called with, in order.</summary>
    public ConcurrentQueue<string> QueriesSeen { get; } = new();

    public ConcurrentQueue<string> AccessTokensSeen { get; } = new();

    public long TokenLifetimeSeconds { get; set; } = 3600;

    public Uri BaseAddress => _server.BaseAddress;

    public static async Task<ScriptedSellingPartner> StartAsync(params ScriptedResponse[] script)
    {
        var fake = new ScriptedSellingPartner();
        foreach (var response in script)
        {
            fake._script.Enqueue(response);
        }

        fake._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/auth/o2/token", async (HttpContext http) =>
            {
                var n = Interlocked.Increment(ref fake._tokens);
                if (fake._lwaFailures.TryDequeue(out var failure))
                {
                    http.Response.StatusCode = failure;
                    http.Response.ContentType = "application/json";
                    await http.Response.WriteAsync("""{"error":"ServerError","error_description":"try again"}""");
                    return;
                }

                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync($$"""{"access_token":"token-{{n}}","token_type":"bearer","expires_in":{{fake.TokenLifetimeSeconds}}}""");
            });
            app.MapGet("/orders/v0/orders/{orderId}", (HttpContext http) => fake.AnswerGetOrderAsync(http, v20260101: false));
            app.MapGet("/orders/2026-01-01/orders/{orderId}", (HttpContext http) => fake.AnswerGetOrderAsync(http, v20260101: true));

            // The listing operations answer from the same script.
            app.MapGet("/orders/v0/orders", (HttpContext http) => fake.AnswerGetOrderAsync(http, v20260101: false));
            app.MapGet("/orders/2026-01-01/orders", (HttpContext http) => fake.AnswerGetOrderAsync(http, v20260101: true));
        });
        return fake;
    }

    public void Enqueue(ScriptedResponse response) => _script.Enqueue(response);

    /// <summary>Makes the next token requests fail with these statuses, in order, before tokens are issued again.</summary>
    public void FailTokenRequests(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _lwaFailures.Enqueue(status);
        }
    }

    private async Task AnswerGetOrderAsync(HttpContext http, bool v20260101)
    {
        Interlocked.Increment(ref _getOrders);
        AccessTokensSeen.Enqueue(http.Request.Headers["x-amz-access-token"].ToString());
        QueriesSeen.Enqueue(http.Request.QueryString.Value ?? string.Empty);
        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }

        var response = _last;
        http.Response.StatusCode = response.Status;
        http.Response.ContentType = "application/json";
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            http.Response.Headers[name] = value;
        }

        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(v20260101 && response.Body20260101 is { } body ? body : response.Body));
    }

    internal SellingPartnerOrderSource CreateSource(
        TimeProvider? time = null,
        RateLimiterRegistry? registry = null,
        Action<SellingPartnerOrderSourceOptions>? configure = null,
        Microsoft.Extensions.Logging.ILogger<SellingPartnerOrderSource>? logger = null)
    {
        var options = new SellingPartnerOrderSourceOptions
        {
            Endpoint = BaseAddress,
            LwaEndpoint = new Uri(BaseAddress, "auth/o2/token"),
            ClientId = "client",
            ClientSecret = "top-secret-value",
            RefreshToken = "Atzr|refresh-" + Guid.NewGuid(),
            RetryBaseDelay = TimeSpan.Zero,
            PacingMargin = 0, // the exact shape is asserted
            BurstLatencyAllowance = TimeSpan.Zero,
            OrdersApiVersion = OrdersApiVersion,
        };
        configure?.Invoke(options);
        return new SellingPartnerOrderSource(options, registry ?? new RateLimiterRegistry(time), time, logger);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
