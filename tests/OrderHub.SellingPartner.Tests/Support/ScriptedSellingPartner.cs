using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.SellingPartner;
using OrderHub.Testing;
using OrderHub.Throttling;

namespace OrderHub.SellingPartner.Tests.Support;

/// <summary>One scripted answer: status, body, headers.</summary>
public sealed record ScriptedResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static ScriptedResponse Order(string orderId, string? extra = null) =>
        new(200, $$$"""{"payload":{"AmazonOrderId":"{{{orderId}}}","PurchaseDate":"2026-01-02T03:04:05Z","LastUpdateDate":"2026-01-02T03:04:06Z","OrderStatus":"Shipped"{{{extra}}}}}""",
            new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-ok" });

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
    private LoopbackServer _server = null!;
    private ScriptedResponse _last = ScriptedResponse.Order("902-3159896-1390916");
    private int _getOrders;
    private int _tokens;

    public int GetOrderRequests => Volatile.Read(ref _getOrders);

    public int TokenRequests => Volatile.Read(ref _tokens);

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
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync($$"""{"access_token":"token-{{n}}","token_type":"bearer","expires_in":{{fake.TokenLifetimeSeconds}}}""");
            });
            app.MapGet("/orders/v0/orders/{orderId}", async (HttpContext http) =>
            {
                Interlocked.Increment(ref fake._getOrders);
                fake.AccessTokensSeen.Enqueue(http.Request.Headers["x-amz-access-token"].ToString());
                if (fake._script.TryDequeue(out var next))
                {
                    fake._last = next;
                }

                var response = fake._last;
                http.Response.StatusCode = response.Status;
                http.Response.ContentType = "application/json";
                foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
                {
                    http.Response.Headers[name] = value;
                }

                await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(response.Body));
            });
        });
        return fake;
    }

    public void Enqueue(ScriptedResponse response) => _script.Enqueue(response);

    public SellingPartnerOrderSource CreateSource(
        TimeProvider? time = null,
        RateLimiterRegistry? registry = null,
        Action<SellingPartnerOrderSourceOptions>? configure = null)
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
        };
        configure?.Invoke(options);
        return new SellingPartnerOrderSource(new HttpClient(), options, time, registry ?? new RateLimiterRegistry(time));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
