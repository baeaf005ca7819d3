using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Api.Lookup;
using OrderHub.Api.Problems;
using OrderHub.Api.Security;

namespace OrderHub.Api;

/// <summary>The lookup API's endpoints.</summary>
public static class OrderApi
{
    /// <summary>Maps <c>GET /orders/{orderId}</c>, <c>GET /orders/{source}/{orderId}</c> and <c>GET /healthz</c>.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IEndpointRouteBuilder MapOrderApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" }))
            .WithName("Health").WithSummary("Reports that the service is up.");
        app.MapGet("/orders/{orderId}", (HttpContext http, string orderId, bool? refresh, string? include) => GetAsync(http, null, orderId, refresh, include))
            .WithName("GetOrder").WithSummary("Gets an order from any source; the source is recognized from the id.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable).ProducesProblem(StatusCodes.Status504GatewayTimeout);
        app.MapGet("/orders/{source}/{orderId}", (HttpContext http, string source, string orderId, bool? refresh, string? include) => GetAsync(http, source, orderId, refresh, include))
            .WithName("GetOrderFromSource").WithSummary("Gets an order from a named source (sp-api or outposts).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable).ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, string? source, string orderId, bool? refresh, string? include)
    {
        var options = http.RequestServices.GetRequiredService<OrderApiOptions>();
        var allowPersonalData = true;
        if (!options.AuthenticationDisabled)
        {
            var (accepted, allow) = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().Check(http.Request.Headers[ApiKeyAuthenticator.HeaderName]);
            if (!accepted)
            {
                return OrderProblems.Unauthorized();
            }

            allowPersonalData = allow;
        }

        try
        {
            var reader = http.RequestServices.GetRequiredService<StoreFirstOrderReader>();
            var answer = await reader.ReadAsync(source, orderId, refresh == true, string.Equals(include, "raw", StringComparison.OrdinalIgnoreCase), allowPersonalData, http.RequestAborted);
            return answer.Busy is { } wait
                ? OrderProblems.Busy(http, answer.Source, wait)
                : Results.Bytes(answer.Json!, "application/json");
        }
        catch (OrderHubException e)
        {
            return OrderProblems.From(e, http);
        }
    }
}
