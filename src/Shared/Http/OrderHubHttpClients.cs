using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace OrderHub.Http;

/// <summary>
/// The <c>IHttpClientFactory</c> clients sources send through (<c>OrderHub.&lt;source name&gt;</c>): whatever the source,
/// their primary handler never follows redirects and recycles connections, and users add their own handlers to them by
/// name.
/// </summary>
internal static class OrderHubHttpClients
{
    /// <summary>
    /// Registers <c>IHttpClientFactory</c> and the non-redirecting primary handler of every OrderHub client, and the
    /// named client of one source when it is named at registration (sources found in configuration get theirs by name
    /// when first used).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="sourceName">The source registered, or <see langword="null"/>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubHttpClients(this IServiceCollection services, string? sourceName)
    {
        services.AddHttpClient();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, NonRedirectingPrimaryHandler>());
        if (sourceName is not null)
        {
            services.AddHttpClient(OrderHubBuilder.HttpClientName(sourceName));
        }

        return services;
    }

    private sealed class NonRedirectingPrimaryHandler : IConfigureNamedOptions<HttpClientFactoryOptions>
    {
        public void Configure(string? name, HttpClientFactoryOptions options)
        {
            if (name is not null && name.StartsWith("OrderHub.", StringComparison.Ordinal))
            {
                // First in the list, so a user's own ConfigurePrimaryHttpMessageHandler still wins (and is then checked).
                options.HttpMessageHandlerBuilderActions.Insert(0, builder => builder.PrimaryHandler = UpstreamHttp.CreateHandler());
            }
        }

        public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);
    }
}
