using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderHub.Providers;
using OrderHub.SellingPartner;
using OrderHub.RateLimits;

namespace OrderHub;

/// <summary>Registers Selling Partner sources: one per seller and region, each under its own name.</summary>
public static class SellingPartnerOrderHubBuilderExtensions
{
    /// <summary>The <c>Provider</c> value of a Selling Partner source in <c>OrderHub:Sources:&lt;name&gt;</c>.</summary>
    public const string ProviderName = "SellingPartner";

    /// <summary>Adds the Selling Partner source named <c>sp-api</c>; see <see cref="AddSellingPartner(OrderHubBuilder, string, Action{SellingPartnerOrderSourceOptions}?)"/>.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddSellingPartner(this OrderHubBuilder builder, Action<SellingPartnerOrderSourceOptions>? configure = null) =>
        builder.AddSellingPartner(SellingPartnerDefaults.SourceName, configure);

    /// <summary>
    /// Adds a Selling Partner source under a name (one per seller and region: <c>sp-eu</c>, <c>sp-na</c>...). Its
    /// options are bound from <c>OrderHub:Sources:&lt;name&gt;</c>, then <paramref name="configure"/>, and validated at
    /// start. It is a keyed <see cref="SellingPartnerOrderSource"/> under its name and one of the lookup's sources;
    /// it sends through the <c>IHttpClientFactory</c> client <see cref="OrderHubBuilder.HttpClientName"/>, which
    /// never follows redirects.
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="name">The source's name.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">Another source has the name.</exception>
    public static OrderHubBuilder AddSellingPartner(this OrderHubBuilder builder, string name, Action<SellingPartnerOrderSourceOptions>? configure = null) =>
        AddProviderServices(OrderSourceRegistration.AddSource(builder, name, configure, Create), name);

    /// <summary>
    /// Adds every source that configuration lists under <c>OrderHub:Sources</c> with <c>Provider</c> =
    /// <c>SellingPartner</c>, each under its section's name (read when the lookup is first built).
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddSellingPartnerSources(this OrderHubBuilder builder) =>
        AddProviderServices(OrderSourceRegistration.AddConfiguredSources<SellingPartnerOrderSource, SellingPartnerOrderSourceOptions>(builder, ProviderName, Create), null);

    private static SellingPartnerOrderSource Create(IServiceProvider services, string name) => new(
        services.GetRequiredService<IOptionsMonitor<SellingPartnerOrderSourceOptions>>().Get(name),
        OrderHub.Http.UpstreamContext.FromServices<SellingPartnerOrderSource>(services, name, "handler"),
        services.GetRequiredService<RateLimiterRegistry>(),
        services.GetRequiredService<IOptions<OrderHubOptions>>().Value.ThrottleMode);

    // What every Selling Partner registration needs besides its own source: the buckets (shared by every source of one
    // seller, region and operation, in the store OrderHub:RateLimits chooses) and the non-redirecting HTTP clients.
    private static OrderHubBuilder AddProviderServices(OrderHubBuilder builder, string? name)
    {
        builder.Services.AddOrderHubRateLimits();
        OrderHub.Http.OrderHubHttpClients.AddOrderHubHttpClients(builder.Services, name);
        return builder;
    }
}
