using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OrderHub;

/// <summary>Registers OrderHub in a service collection.</summary>
public static class OrderHubServiceCollectionExtensions
{
    /// <summary>
    /// Registers the unified lookup and a <see cref="TimeProvider"/>; add sources on
    /// the returned builder (for example <c>.AddSellingPartner(...)</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options that apply to every source.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddOrderHub(this IServiceCollection services, Action<OrderHubOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OrderHubOptions>().BindConfigurationIfPresent(OrderHubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new OrderLookup(sp.GetServices<IOrderSource>().Concat(sp.GetServices<IOrderSourceSet>().SelectMany(set => set.Sources)), sp.GetServices<OrderSourceConfigurationHint>()));
        return new OrderHubBuilder(services);
    }
}
