using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Outposts;

namespace OrderHub;

/// <summary>Registers the AWS Outposts source.</summary>
public static class OutpostsOrderHubBuilderExtensions
{
    /// <summary>
    /// Adds the AWS Outposts source (get, create, list, cancel), with options bound from <c>OrderHub:Outposts</c> and
    /// validated at start.
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddAwsOutposts(this OrderHubBuilder builder, Action<OutpostsOrderSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<OutpostsOrderSourceOptions>()
            .BindConfigurationIfPresent(OutpostsOrderSourceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Redirects are never followed: the signed headers and session token would go to the new host.
        builder.Services.AddHttpClient(nameof(OutpostsOrderSource)).ConfigurePrimaryHttpMessageHandler(OrderHub.Http.HttpExchange.CreateHandler);
        builder.Services.AddSingleton(sp => new OutpostsOrderSource(
            sp.GetRequiredService<IOptions<OutpostsOrderSourceOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<OutpostsOrderSource>>(),
            sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(nameof(OutpostsOrderSource))));
        builder.Services.AddSingleton<IOrderSource>(sp => sp.GetRequiredService<OutpostsOrderSource>());
        return builder;
    }
}
