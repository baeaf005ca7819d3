using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderHub.Events;

namespace OrderHub;

/// <summary>Registers webhook delivery of the store's changes.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WebhookDeliverer"/> as a hosted service, with its options bound from the
    /// <c>OrderHub:Webhooks</c> section of the application's configuration (one child per subscription), then set by
    /// <paramref name="configure"/>, and validated when the host starts. Register a store that keeps a change log
    /// (SQLite or PostgreSQL) too. The client that delivers never follows a redirect and logs nothing of its own.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds or changes subscriptions, after configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubWebhooks(this IServiceCollection services, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WebhookOptions>()
            .Configure<IServiceProvider>((options, sp) => Bind(sp.GetService<IConfiguration>(), options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(WebhookDefaults.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // each attempt has its own timeout
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .RemoveAllLoggers();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDeliverer>());
        return services;
    }

    /// <summary>Binds the subscriptions; a value of the wrong type is said as a validation failure naming the setting.</summary>
    private static void Bind(IConfiguration? configuration, WebhookOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        foreach (var subscription in configuration.GetSection(WebhookOptions.SectionName).GetChildren())
        {
            var settings = new WebhookSubscriptionOptions();
            try
            {
                subscription.Bind(settings);
            }
            catch (InvalidOperationException e)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(WebhookOptions), [$"{subscription.Path}: {e.Message} {e.InnerException?.Message}".Trim()]);
            }

            options.Subscriptions[subscription.Key] = settings;
        }
    }
}
