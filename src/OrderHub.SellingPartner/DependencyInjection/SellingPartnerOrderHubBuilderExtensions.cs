using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.SellingPartner;
using OrderHub.Throttling;

namespace OrderHub;

/// <summary>Registers the Selling Partner source.</summary>
public static class SellingPartnerOrderHubBuilderExtensions
{
    /// <summary>
    /// Adds the Selling Partner <c>getOrder</c> source, with options bound from <c>OrderHub:SellingPartner</c> and
    /// validated at start.
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddSellingPartner(this OrderHubBuilder builder, Action<SellingPartnerOrderSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SellingPartnerOrderSourceOptions>()
            .BindConfigurationIfPresent(SellingPartnerOrderSourceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Redirects are never followed: the access token would go to the new host.
        builder.Services.AddHttpClient(nameof(SellingPartnerOrderSource)).ConfigurePrimaryHttpMessageHandler(OrderHub.Http.HttpExchange.CreateHandler);
        builder.Services.AddSingleton(sp => new SellingPartnerOrderSource(
            sp.GetRequiredService<IOptions<SellingPartnerOrderSourceOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RateLimiterRegistry>(),
            sp.GetService<ILogger<SellingPartnerOrderSource>>(),
            sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(SellingPartnerOrderSource)),
            sp.GetRequiredService<IOptions<OrderHubOptions>>().Value.ThrottleMode));
        builder.Services.AddSingleton<IOrderSource>(sp => sp.GetRequiredService<SellingPartnerOrderSource>());
        return builder;
    }
}
