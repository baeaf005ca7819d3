using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Api;
using OrderHub.Api.Hosting;
using OrderHub.Api.Lookup;
using OrderHub.Api.Security;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>Registers the lookup API's services, so that <c>MapOrderApi()</c> works in any ASP.NET Core application.</summary>
public static class OrderApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the lookup API's endpoints need: its options, the key check, the store-first reader (over the
    /// registered <see cref="OrderLookup"/> and <see cref="IOrderStore"/>), and problem details (the OpenAPI document is <see cref="AddOrderHubOpenApi"/>'s).
    /// Register the lookup (<c>AddOrderHub()</c> and sources) and a store too, then call <c>app.MapOrderApi()</c>.
    /// The options are bound from the <c>OrderHub:Api</c> section of the application's configuration, when there is
    /// one, then set by <paramref name="configure"/>; they are validated when the host starts.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets keys, store age, the store cache and the upstream wait budget, after configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">
    /// The store cache's settings <paramref name="configure"/> gives are not usable; when the options are first built
    /// (at the host's start), also authentication on with no key, or unusable settings from configuration.
    /// </exception>
    public static IServiceCollection AddOrderHubApi(this IServiceCollection services, Action<OrderApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // What code sets alone is checked now: configuration, applied first, cannot undo it.
        if (configure is not null)
        {
            var coded = new OrderApiOptions();
            configure(coded);
            if (OrderApiOptionsRules.CacheProblem(coded) is { } problem)
            {
                throw new ArgumentException(problem, nameof(configure));
            }
        }

        var options = services.AddOptions<OrderApiOptions>()
            .Configure<IServiceProvider>((options, sp) => OrderApiOptionsRules.Bind(sp.GetService<IConfiguration>(), options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Refused with an ArgumentException naming the setting, as options set in code always were; the host builds
        // them at start, so a bad setting stops it before the first request.
        options.PostConfigure(OrderApiOptionsRules.ThrowIfInvalid).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<OrderApiOptions>>().Value);
        services.AddSingleton(sp => new ApiKeyAuthenticator(sp.GetRequiredService<OrderApiOptions>().ApiKeys));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new StoreFirstOrderReader(
            sp.GetRequiredService<OrderLookup>(),
            sp.GetRequiredService<IOrderStore>(),
            sp.GetRequiredService<OrderApiOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddProblemDetails();
        // GET /healthz reports OrderHub's checks (the store, the sources' credentials, the follower when registered).
        services.AddHealthChecks().AddOrderHub();
        return services;
    }

    /// <summary>
    /// Registers an OpenAPI document (Microsoft.AspNetCore.OpenApi's <c>AddOpenApi</c>) that describes the lookup API
    /// as it answers: the <c>X-Api-Key</c> scheme on its endpoints, the unified order's open enumerations and money,
    /// its query parameters. Only OrderHub's own types and endpoints are described differently from the host's
    /// defaults. Call it instead of <c>AddOpenApi(documentName)</c> for that document (or give OrderHub a document of
    /// its own, such as <c>"orderhub"</c>), then serve it with <c>app.MapOpenApi()</c>: at
    /// <c>/openapi/{documentName}.json</c>. <see cref="AddOrderHubApi"/> registers no document by itself.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="documentName">The document's name. The default is <c>v1</c>, ASP.NET Core's default document.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubOpenApi(this IServiceCollection services, string documentName = OrderApiDocument.DocumentName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(documentName);
        services.AddOpenApi(documentName);
        services.AddOptions<OpenApiOptions>(documentName).Configure<IServiceProvider>((openApi, sp) => OrderApiDocument.Configure(openApi, sp.GetRequiredService<OrderApiOptions>()));
        return services;
    }
}
