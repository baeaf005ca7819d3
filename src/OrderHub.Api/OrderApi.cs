using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OrderHub.Api.Lookup;
using OrderHub.Api.Problems;
using OrderHub.Api.Security;
using OrderHub.Sync;

namespace OrderHub.Api;

/// <summary>The lookup API's endpoints.</summary>
public static partial class OrderApi
{
    // Answers to a key without personal data say so (the JSON is the stored copy's, byte for byte, so it is said beside it).
    private const string PersonalDataHeader = "OrderHub-Personal-Data";
    private const string PersonalDataWithheldByKey = "withheld; reason=api-key (this key may not see personal data: a key allowed it, with the :pii suffix in ORDERHUB_API_KEYS, gets the buyer and address)";

    /// <summary>
    /// Maps <c>GET /orders/{orderId}</c>, <c>GET /orders/{source}/{orderId}</c>, <c>GET /healthz</c>, and the query of the
    /// stored copy, <c>GET /orders</c> and <c>GET /orders/summary</c> (answered when the registered store is an
    /// <see cref="IOrderQuery"/>, as both of OrderHub's stores are), and its changes, <c>GET /changes</c> (when the store
    /// is an <see cref="IOrderChangeLog"/>).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    /// <exception cref="InvalidOperationException"><c>AddOrderHubApi()</c> was not called on the services.</exception>
    public static IEndpointRouteBuilder MapOrderApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<OrderApiOptions>() is null)
        {
            throw new InvalidOperationException("MapOrderApi() needs services.AddOrderHubApi(...) (with AddOrderHub(), its sources and an order store) on the application's services.");
        }

        app.MapGet("/healthz", (Func<HttpContext, Task<IResult>>)HealthAsync)
            .WithName("Health").WithSummary("Reports whether the service and its order store are usable.")
            .Produces<HealthReport>(StatusCodes.Status200OK).Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        Describe(app.MapGet("/orders/{orderId}", (HttpContext http, string orderId) => GetAsync(http, null, orderId))
            .WithName("GetOrder").WithSummary("Gets an order from any source; the source is recognized from the id."));
        Describe(app.MapGet("/orders/{source}/{orderId}", (HttpContext http, string source, string orderId) => GetAsync(http, source, orderId))
            .WithName("GetOrderFromSource").WithSummary("Gets an order from a named source (sp-api or outposts)."));
        MapOrderQuery(app);
        MapChanges(app);
        return app;
    }

    /// <summary>
    /// Guards every request under a path (for example a metrics endpoint mapped by another library) with the lookup
    /// API's keys: a request without an accepted <c>X-Api-Key</c>, or with a key in its query string, gets the same
    /// problem answer as an order request would. Nothing is checked while authentication is off.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="path">The path guarded, and everything under it.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseOrderApiKeyFor(this IApplicationBuilder app, PathString path)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (http, next) =>
        {
            var options = http.RequestServices.GetRequiredService<OrderApiOptions>();
            if (!options.AuthenticationDisabled && http.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
            {
                var authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
                var refused = authenticator.IsKeyInQuery(http.Request.Query) ? OrderProblems.KeyInQuery()
                    : !authenticator.Check(http.Request.Headers[ApiKeyAuthenticator.HeaderName]).Accepted ? OrderProblems.Unauthorized()
                    : null;
                if (refused is not null)
                {
                    await refused.ExecuteAsync(http);
                    return;
                }
            }

            await next(http);
        });
    }

    private static void Describe(RouteHandlerBuilder endpoint) => endpoint
        .Produces<Order>(StatusCodes.Status200OK, "application/json")
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status500InternalServerError).ProducesProblem(StatusCodes.Status502BadGateway)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable).ProducesProblem(StatusCodes.Status504GatewayTimeout)
        .WithMetadata(new RequiresApiKeyMetadata());

    private static async Task<IResult> GetAsync(HttpContext http, string? source, string orderId)
    {
        NameTheRouteInTheSpan(http);

        if (Authenticate(http, out var allowPersonalData, out var allowRefresh) is { } refused)
        {
            return refused;
        }

        if (!TryReadQuery(http.Request.Query, out var refresh, out var includeRaw, out var problem))
        {
            return problem;
        }

        // A refresh spends the seller's upstream quota, so it is a permission of the key, not of every reader.
        if (refresh && !allowRefresh)
        {
            return OrderProblems.RefreshNotAllowed();
        }

        // The provider's payload holds what the unified order leaves out for such a key: refused, never dropped silently.
        if (includeRaw && !allowPersonalData)
        {
            return OrderProblems.RawNotAllowed();
        }

        try
        {
            var reader = http.RequestServices.GetRequiredService<StoreFirstOrderReader>();
            var answer = await reader.ReadAsync(source, orderId, refresh, includeRaw, allowPersonalData, http.RequestAborted);
            if (!allowPersonalData)
            {
                // Said, not left to a missing address: the unified order this key gets never has personal data.
                http.Response.Headers[PersonalDataHeader] = PersonalDataWithheldByKey;
            }

            return Results.Bytes(answer.Json, "application/json");
        }
        catch (OrderHubException e)
        {
            return OrderProblems.From(e, http);
        }
        catch (OrderStoreException e)
        {
            LogStoreFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrderApi)), e.Message);
            return OrderProblems.StoreUnavailable();
        }
    }

    // Authentication comes first: nothing about the request is answered to a caller without a valid key. Returns the
    // refusal, or null with what the key allows.
    private static IResult? Authenticate(HttpContext http, out bool allowPersonalData, out bool allowRefresh)
    {
        allowPersonalData = true;
        allowRefresh = true;
        if (http.RequestServices.GetRequiredService<OrderApiOptions>().AuthenticationDisabled)
        {
            return null;
        }

        var authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        if (authenticator.IsKeyInQuery(http.Request.Query))
        {
            return OrderProblems.KeyInQuery();
        }

        var (accepted, allow, mayRefresh) = authenticator.Check(http.Request.Headers[ApiKeyAuthenticator.HeaderName]);
        if (!accepted)
        {
            return OrderProblems.Unauthorized();
        }

        allowPersonalData = allow;
        allowRefresh = mayRefresh;
        return null;
    }

    private static bool TryReadQuery(IQueryCollection query, out bool refresh, out bool includeRaw, out IResult problem)
    {
        refresh = false;
        includeRaw = false;
        problem = Results.Empty;
        if (query.TryGetValue("refresh", out var refreshValues) && !bool.TryParse(refreshValues.ToString(), out refresh))
        {
            problem = OrderProblems.InvalidQuery("refresh", "true or false");
            return false;
        }

        if (query.TryGetValue("include", out var includeValues))
        {
            if (!string.Equals(includeValues.ToString(), "raw", StringComparison.OrdinalIgnoreCase))
            {
                problem = OrderProblems.InvalidQuery("include", "'raw'");
                return false;
            }

            includeRaw = true;
        }

        return true;
    }

    private static async Task<IResult> HealthAsync(HttpContext http)
    {
        // OrderHub's health checks, the ones services.AddHealthChecks().AddOrderHub() adds: names, states and seconds only.
        var report = await http.RequestServices.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(OrderHubHealthChecks.Tag), http.RequestAborted);
        var store = report.Entries.TryGetValue("orderhub-store", out var storeEntry) ? storeEntry : default;
        if (store.Status != HealthStatus.Healthy)
        {
            LogStoreFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrderApi)), store.Description ?? "no answer");
        }

        var sources = report.Entries.TryGetValue("orderhub-sources", out var sourcesEntry)
            ? sourcesEntry.Data.ToDictionary(d => d.Key, d => d.Value?.ToString() ?? "unknown", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var health = new HealthReport(StatusName(report.Status), store.Status == HealthStatus.Healthy ? "ok" : "unavailable")
        {
            Sources = sources,
            Checks = report.Entries.ToDictionary(e => e.Key, e => new HealthCheckEntry(StatusName(e.Value.Status), e.Value.Description), StringComparer.Ordinal),
        };
        return Results.Json(health, statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static string StatusName(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "ok",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    /// <summary>
    /// The host's conventions, for an application that serves the lookup API as <c>orderhub serve</c> does: every error
    /// as problem+json (unexpected failures and unknown routes too), requests logged by method, route template (never the path: it holds an order id) and status only
    /// (answered with an error at Information, successes at Debug; ASP.NET Core's own request log, which prints query
    /// strings, kept to warnings), no order id in the <c>url.path</c> of a request's span (the API's own endpoints name
    /// their route template there wherever they are mapped), and a warning when authentication is off.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static WebApplication UseOrderApiConventions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (http, next) =>
        {
            var started = TimeProvider.System.GetTimestamp();
            await next(http);
            RedactThePathInTheSpan(http);
            // A request answered with an error is logged; a success only at Debug: every request, successes included,
            // is counted and timed in the http.server.request.duration metric, and a console line per success was costly
            // (docs/benchmarks.md, P4).
            var status = http.Response.StatusCode;
            LogRequest(app.Logger, status < 400 ? LogLevel.Debug : LogLevel.Information, http.Request.Method, RouteOf(http), status, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        });
        if (app.Services.GetRequiredService<OrderApiOptions>().AuthenticationDisabled)
        {
            LogAuthenticationOff(app.Logger);
        }

        return app;
    }

    // The request's span, when one is recorded, names the route template as its url.path: the ASP.NET Core
    // instrumentation copies the request's path there when the request starts, and that path carries the order id
    // (customer data). Done by the endpoint itself, so that whoever exports the span, through whatever pipeline, gets
    // no id; http.route is the same template.
    private static void NameTheRouteInTheSpan(HttpContext http)
    {
        if (http.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            if (activity.GetTagItem("url.path") is string)
            {
                activity.SetTag("url.path", RouteOf(http));
            }

            // A query's values may hold ids too (a seller order id, a cursor): the span keeps none of them.
            if (activity.GetTagItem("url.query") is string)
            {
                activity.SetTag("url.query", null);
            }
        }
    }

    // Under the host's conventions, a request no endpoint of the API answered (an unknown route) has the order ids of
    // its path replaced as well.
    private static void RedactThePathInTheSpan(HttpContext http)
    {
        if (http.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity
            && activity.GetTagItem("url.path") is string path
            && OrderHub.Redaction.OrderIdRedaction.TryRedact(path, out var redacted))
        {
            activity.SetTag("url.path", redacted);
        }
    }

    // The route template, never the path: a path carries an order id (customer data), and the log may be exported.
    private static string RouteOf(HttpContext http) => http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route }
        ? route.StartsWith('/') ? route : "/" + route
        : "(no route)";

    [LoggerMessage(Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication is OFF: anyone who can reach this address can read orders, personal data included.")]
    private static partial void LogAuthenticationOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The order store failed: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string reason);
}

/// <summary>What <c>/healthz</c> answers: OrderHub's health checks, summed up.</summary>
/// <param name="Status"><c>ok</c>; <c>degraded</c> when a source's credentials were last refused (the API answers, that source does not) or a followed copy is behind; <c>unhealthy</c> when a part the API needs is not usable.</param>
/// <param name="Store"><c>ok</c>, or <c>unavailable</c> when the order store cannot be read (the log says why).</param>
public sealed record HealthReport(string Status, string Store)
{
    /// <summary>Gets what each source's upstream last said of its credentials: <c>accepted</c>, <c>rejected</c> or <c>unknown</c> (no call yet).</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets each check's state (<c>ok</c>, <c>degraded</c>, <c>unhealthy</c>) and what it said, by name: <c>orderhub-store</c>, <c>orderhub-sources</c>, <c>orderhub-follower</c>.</summary>
    public IReadOnlyDictionary<string, HealthCheckEntry> Checks { get; init; } = new Dictionary<string, HealthCheckEntry>();
}

/// <summary>One health check's state in <c>/healthz</c>.</summary>
/// <param name="Status"><c>ok</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
/// <param name="Description">What the check said (never a secret or order content).</param>
public sealed record HealthCheckEntry(string Status, string? Description);

/// <summary>Marks an endpoint that needs the <c>X-Api-Key</c> header (unless authentication is off), for the OpenAPI document.</summary>
internal sealed class RequiresApiKeyMetadata;
