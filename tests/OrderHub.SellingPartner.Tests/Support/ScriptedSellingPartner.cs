using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using OrderHub.SellingPartner;
using OrderHub.Testing;
using OrderHub.RateLimits;

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
/// A Selling Partner look-alike on WireMock.Net for the shapes the emulator does not produce on purpose: the answers of
/// getOrder (and of the listing operations) are a WireMock scenario, one state per scripted answer, the last repeating;
/// Login with Amazon is a scenario too (the scripted failures, then <c>token-1</c>, <c>token-2</c>, ...). What the client
/// sent is read back from WireMock's request log. Script before the requests it is meant for.
/// </summary>
public sealed class ScriptedSellingPartner : IAsyncDisposable
{
    private const int TokensScripted = 50;
    private static readonly ScriptedResponse DefaultOrder = ScriptedResponse.Order("902-3159896-1390916");
    private readonly Lock _lock = new();
    private readonly List<int> _lwaFailures = [];
    private WireMockServer _server = null!;
    private ScriptedSequence _orders = null!;
    private ScriptedSequence _tokens = null!;
    private long _tokenLifetimeSeconds = 3600;

    public int GetOrderRequests => OrderEntries().Count();

    public int TokenRequests => _server.LogEntries.Count(e => e.RequestMessage.Path == "/auth/o2/token");

    /// <summary>Gets or sets the Orders API version the sources this server creates read through.</summary>
    public string OrdersApiVersion { get; set; } = SellingPartnerOrdersApi.V0;

    /// <summary>Gets the query strings the order operations were called with, in order.</summary>
    public IReadOnlyCollection<string> QueriesSeen => [.. OrderEntries().Select(e => new Uri(e.RequestMessage.Url).Query)];

    /// <summary>Gets the access tokens the order operations were called with, in order.</summary>
    public IReadOnlyCollection<string> AccessTokensSeen => [.. OrderEntries().Select(e =>
        e.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, "x-amz-access-token", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault() ?? string.Empty)];

    public long TokenLifetimeSeconds
    {
        get => Interlocked.Read(ref _tokenLifetimeSeconds);
        set
        {
            Interlocked.Exchange(ref _tokenLifetimeSeconds, value);
            ScriptLoginWithAmazon();
        }
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_server.Ports[0]}/");

    public static Task<ScriptedSellingPartner> StartAsync(params ScriptedResponse[] script)
    {
        var fake = new ScriptedSellingPartner { _server = WireMockServer.Start() };

        // getOrder and the listing operations of both versions answer from one sequence; each step has a body per version.
        fake._orders = new ScriptedSequence(fake._server, "orders", [("GET", "^/orders/v0/orders(/[^/]+)?$"), ("GET", "^/orders/2026-01-01/orders(/[^/]+)?$")], route => Answer(DefaultOrder, route));
        fake._tokens = new ScriptedSequence(fake._server, "login-with-amazon", [("POST", "^/auth/o2/token$")], _ => Token(1, 3600));
        fake.ScriptLoginWithAmazon();
        foreach (var response in script)
        {
            fake.Enqueue(response);
        }

        return Task.FromResult(fake);
    }

    /// <summary>Adds an answer: the next order request after those already scripted gets it; the last one repeats.</summary>
    public void Enqueue(ScriptedResponse response) => _orders.Add(route => Answer(response, route));

    /// <summary>Makes the next token requests fail with these statuses, in order, before tokens are issued.</summary>
    public void FailTokenRequests(params int[] statuses)
    {
        lock (_lock)
        {
            _lwaFailures.AddRange(statuses);
        }

        ScriptLoginWithAmazon();
    }

    private IEnumerable<WireMock.Logging.ILogEntry> OrderEntries() =>
        _server.LogEntries.Where(e => e.RequestMessage.Path.StartsWith("/orders/", StringComparison.Ordinal));

    private static IResponseBuilder Answer(ScriptedResponse response, int route)
    {
        var answer = Response.Create().WithStatusCode(response.Status).WithHeader("Content-Type", "application/json")
            .WithBody(route == 1 && response.Body20260101 is { } body ? body : response.Body);
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            answer = answer.WithHeader(name, value);
        }

        return answer;
    }

    private static IResponseBuilder Token(int n, long lifetimeSeconds) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
        .WithBody($$"""{"access_token":"token-{{n}}","token_type":"bearer","expires_in":{{lifetimeSeconds}}}""");

    // The scripted failures, then token-1, token-2, ...
    private void ScriptLoginWithAmazon()
    {
        lock (_lock)
        {
            var lifetime = TokenLifetimeSeconds;
            _tokens.Reset(_ => Token(1, lifetime));
            foreach (var status in _lwaFailures)
            {
                _tokens.Add(_ => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("""{"error":"ServerError","error_description":"try again"}"""));
            }

            for (var n = 1; n <= TokensScripted; n++)
            {
                var token = n;
                _tokens.Add(_ => Token(token, lifetime));
            }
        }
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
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(time, logger), registry ?? new RateLimiterRegistry(time));
    }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}
