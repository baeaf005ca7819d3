using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderHub.Hosting;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>Registers the background follower.</summary>
public static class OrderFollowerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OrderFollower"/> as a hosted service (and the sync engine, when it is not registered yet),
    /// with its options bound from <c>OrderHub:Follower</c>, then set by <paramref name="configure"/>, and validated
    /// when the host starts: a source named that is not configured, or one that cannot be followed, stops the host
    /// with its name. Register the sources (<c>AddOrderHub()</c>) and a store that keeps sync cursors
    /// (<c>AddOrderHubStore</c>) too; any <see cref="IOrderNotificationChannel"/> registered for a followed source (for
    /// example <c>AddSellingPartnerOrderChangeQueues(configuration)</c>) is consumed beside its polls.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, after configuration.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubFollower(this IServiceCollection services, Action<OrderFollowerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(IncrementalOrderSync)))
        {
            services.AddOrderHubSync();
        }

        var options = services.AddOptions<OrderFollowerOptions>()
            .Configure<IServiceProvider>((options, sp) => Bind(sp.GetService<IConfiguration>(), options));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OrderFollowerOptions>, OrderFollowerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OrderFollower>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OrderFollower>(sp => sp.GetRequiredService<OrderFollower>()));
        return services;
    }

    private static void Bind(IConfiguration? configuration, OrderFollowerOptions options)
    {
        try
        {
            configuration?.GetSection(OrderFollowerOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(OrderFollowerOptions), [$"{OrderFollowerOptions.SectionName}: {e.Message} {e.InnerException?.Message}".Trim()]);
        }
    }
}

/// <summary>The rules of <see cref="OrderFollowerOptions"/>, each failure naming its setting.</summary>
internal sealed class OrderFollowerOptionsValidator(OrderLookup lookup) : IValidateOptions<OrderFollowerOptions>
{
    public ValidateOptionsResult Validate(string? name, OrderFollowerOptions options)
    {
        var failures = new List<string>();
        const string At = OrderFollowerOptions.SectionName;
        foreach (var source in options.Sources)
        {
            switch (lookup.Sources.FirstOrDefault(s => s.Name == source))
            {
                case null:
                    failures.Add($"{At}:Sources: '{source}' is not a configured source; configured: {string.Join(", ", lookup.Sources.Select(s => s.Name))}.");
                    break;
                case not (IOrderChangeFeed or IOrderEnumerator):
                    failures.Add($"{At}:Sources: the source '{source}' cannot be followed: it has no change feed and no listing.");
                    break;
            }
        }

        if (options.InitialLookback <= TimeSpan.Zero)
        {
            failures.Add($"{At}:InitialLookback must be positive (for example 1.00:00:00 for a day).");
        }

        if (options.PollInterval is { } poll && poll <= TimeSpan.Zero)
        {
            failures.Add($"{At}:PollInterval must be positive, or left out for each source's own.");
        }

        if (options.RestartDelay <= TimeSpan.Zero || options.MaxRestartDelay < options.RestartDelay)
        {
            failures.Add($"{At}:RestartDelay must be positive and MaxRestartDelay at least as long.");
        }

        if (options.BackupPollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{At}:BackupPollInterval must be positive (for example 00:15:00).");
        }

        if (options.MaxLag <= TimeSpan.Zero)
        {
            failures.Add($"{At}:MaxLag must be positive (for example 00:15:00).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
