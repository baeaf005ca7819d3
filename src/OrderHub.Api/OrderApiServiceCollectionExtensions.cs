using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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
    /// registered <see cref="OrderLookup"/> and <see cref="IOrderStore"/>), problem details and the OpenAPI document.
    /// Register the lookup (<c>AddOrderHub()</c> and sources) and a store too, then call <c>app.MapOrderApi()</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets keys, store age, the store cache and the upstream wait budget.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">Authentication is on and no key is given, or the store cache's settings are not usable.</exception>
    public static IServiceCollection AddOrderHubApi(this IServiceCollection services, Action<OrderApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new OrderApiOptions();
        configure?.Invoke(options);
        if (!options.AuthenticationDisabled && options.ApiKeys.Count == 0)
        {
            throw new ArgumentException("The lookup API needs at least one API key (ApiKeys; ORDERHUB_API_KEYS for orderhub serve), or authentication turned off explicitly (AuthenticationDisabled; --no-auth).", nameof(configure));
        }

        if (options.StoreCacheDuration < TimeSpan.Zero || (options.StoreCacheDuration > TimeSpan.Zero && options.StoreCacheSizeLimit <= 0))
        {
            throw new ArgumentException("StoreCacheDuration must be zero (no cache) or positive, with a positive StoreCacheSizeLimit in bytes (--store-cache-ms for orderhub serve).", nameof(configure));
        }

        services.AddSingleton(options);
        services.AddSingleton(new ApiKeyAuthenticator(options.ApiKeys));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new StoreFirstOrderReader(
            sp.GetRequiredService<OrderLookup>(),
            sp.GetRequiredService<IOrderStore>(),
            options,
            sp.GetRequiredService<TimeProvider>()));
        // ASP.NET Core's own request log prints whole URLs, query strings included (where a careless client puts its
        // key): it is kept to warnings; UseOrderApiConventions logs requests by method, path and status only.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddOpenApi(openApi => OrderApiDocument.Configure(openApi, options));
        return services;
    }
}
