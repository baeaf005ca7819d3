using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderHub.Outposts;
using OrderHub.Providers;

namespace OrderHub;

/// <summary>Registers AWS Outposts sources: one per AWS account and region, each under its own name.</summary>
public static class OutpostsOrderHubBuilderExtensions
{
    /// <summary>The <c>Provider</c> value of an Outposts source in <c>OrderHub:Sources:&lt;name&gt;</c>.</summary>
    public const string ProviderName = "AwsOutposts";

    /// <summary>Adds the AWS Outposts source named <c>outposts</c>; see <see cref="AddAwsOutposts(OrderHubBuilder, string, Action{OutpostsOrderSourceOptions}?)"/>.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddAwsOutposts(this OrderHubBuilder builder, Action<OutpostsOrderSourceOptions>? configure = null) =>
        builder.AddAwsOutposts(OutpostsDefaults.SourceName, configure);

    /// <summary>
    /// Adds an AWS Outposts source (get, create, list, cancel) under a name (one per account and region). Its options
    /// are bound from <c>OrderHub:Sources:&lt;name&gt;</c>, then <paramref name="configure"/>, and validated at start;
    /// a source that sets no AWS settings takes the AWS SDK's own configuration (the <c>AWSOptions</c> service, else the
    /// <c>AWS</c> section: <c>Profile</c>, <c>Region</c>), and what is still left out comes from the SDK's own sources
    /// (<c>AWS_REGION</c>, profiles, the default credential chain). It is a keyed <see cref="OutpostsOrderSource"/> under its name and one of the lookup's sources; it sends
    /// through the <c>IHttpClientFactory</c> client <see cref="OrderHubBuilder.HttpClientName"/>, under the SigV4
    /// signer, and never follows redirects.
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="name">The source's name.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">Another source has the name.</exception>
    public static OrderHubBuilder AddAwsOutposts(this OrderHubBuilder builder, string name, Action<OutpostsOrderSourceOptions>? configure = null) =>
        AddHttpClients(OrderSourceRegistration.AddSource(builder, name, configure, Create), name);

    /// <summary>
    /// Adds every source that configuration lists under <c>OrderHub:Sources</c> with <c>Provider</c> =
    /// <c>AwsOutposts</c>, each under its section's name (read when the lookup is first built).
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddAwsOutpostsSources(this OrderHubBuilder builder) =>
        AddHttpClients(OrderSourceRegistration.AddConfiguredSources<OutpostsOrderSource, OutpostsOrderSourceOptions>(builder, ProviderName, Create), null);

    private static OrderHubBuilder AddHttpClients(OrderHubBuilder builder, string? name)
    {
        OrderHub.Http.OrderHubHttpClients.AddOrderHubHttpClients(builder.Services, name);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OutpostsOrderSourceOptions>, AwsSdkConfiguration>());
        return builder;
    }

    private static OutpostsOrderSource Create(IServiceProvider services, string name) => new(
        services.GetRequiredService<IOptionsMonitor<OutpostsOrderSourceOptions>>().Get(name),
        OrderHub.Http.UpstreamContext.FromServices<OutpostsOrderSource>(services, name, "innerHandler"));
}
