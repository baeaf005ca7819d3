using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.RateLimits;

namespace OrderHub;

/// <summary>
/// Chooses where OrderHub's rate-limit buckets live: the machine-wide file (the default under dependency injection),
/// this process, or Redis (with the OrderHub.RateLimits.Redis package and its <c>AddRedisRateLimits()</c>).
/// </summary>
public static class RateLimitsOrderHubBuilderExtensions
{
    /// <summary>
    /// Shares rate limits with every OrderHub process of this user on this machine through a file (the default).
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="file">The file; <see langword="null"/> for <see cref="LocalFileQuotaStore.DefaultPath"/> or configuration's.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder UseMachineRateLimits(this OrderHubBuilder builder, string? file = null) =>
        Use(builder, o =>
        {
            o.Store = RateLimitStoreKind.Machine;
            o.File = file ?? o.File;
        });

    /// <summary>Keeps rate limits in this process only: other processes with the same credentials do not see them.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder UseInProcessRateLimits(this OrderHubBuilder builder) =>
        Use(builder, o => o.Store = RateLimitStoreKind.Process);

    /// <summary>
    /// Registers the <see cref="IQuotaStore"/> that <see cref="RateLimitsOptions"/> (bound from <c>OrderHub:RateLimits</c>)
    /// chooses, unless one is registered already, and the process's <see cref="RateLimiterRegistry"/> over it. Providers
    /// with rate limits call it; applications need not.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubRateLimits(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(RateLimitsMarker)))
        {
            return services;
        }

        services.AddSingleton<RateLimitsMarker>();
        services.AddOptions<RateLimitsOptions>()
            .Configure<IServiceProvider>((options, sp) => Bind(sp.GetService<IConfiguration>()?.GetSection(RateLimitsOptions.SectionName), options))
            .Validate(o => o.ResolveStore() != RateLimitStoreKind.Redis || !string.IsNullOrWhiteSpace(o.Redis), "OrderHub:RateLimits:Store is Redis but OrderHub:RateLimits:Redis (ORDERHUB_REDIS) is empty: give a StackExchange.Redis configuration string, such as redis1:6379.")
            .Validate(o => o.OutageTolerance >= TimeSpan.Zero, "OrderHub:RateLimits:OutageTolerance must not be negative.")
            .Validate<IEnumerable<IQuotaStoreFactory>>(
                (o, factories) => o.ResolveStore() is RateLimitStoreKind.Machine or RateLimitStoreKind.Process || factories.Any(f => f.Kind == o.ResolveStore()),
                "OrderHub:RateLimits:Store is Redis, but Redis rate limits are not registered: reference the OrderHub.RateLimits.Redis package and call AddRedisRateLimits() on the OrderHub builder.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IQuotaStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
            return options.ResolveStore() switch
            {
                RateLimitStoreKind.Process => new InProcessQuotaStore(sp.GetRequiredService<TimeProvider>()),
                RateLimitStoreKind.Machine => new LocalFileQuotaStore(string.IsNullOrWhiteSpace(options.File) ? LocalFileQuotaStore.DefaultPath : options.File, sp.GetRequiredService<TimeProvider>()),
                var kind => sp.GetServices<IQuotaStoreFactory>().First(f => f.Kind == kind).Create(options, sp),
            };
        });

        // One registry per container: every source of one seller, region and operation draws from one bucket. Buckets in
        // this process only need no store (their timers are exact); the others reserve in the store, under its outage policy.
        services.TryAddSingleton(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var options = sp.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
            return options.ResolveStore() == RateLimitStoreKind.Process
                ? new RateLimiterRegistry(time)
                : new RateLimiterRegistry(sp.GetRequiredService<IQuotaStore>(), time, sp.GetService<ILoggerFactory>()?.CreateLogger("OrderHub.RateLimits"), options.OutageTolerance);
        });
        return services;
    }

    /// <summary>Chooses the store after binding (code wins over configuration), for a store package's own <c>Use...</c> method.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="choose">Sets the choice.</param>
    /// <returns>The builder.</returns>
    internal static OrderHubBuilder Use(OrderHubBuilder builder, Action<RateLimitsOptions> choose)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrderHubRateLimits();
        builder.Services.PostConfigure(choose);
        return builder;
    }

    // The binder's own error for an unknown store is an exception with the binder's wording; this one names what is accepted.
    private static void Bind(IConfigurationSection? section, RateLimitsOptions options)
    {
        if (section?[nameof(RateLimitsOptions.Store)] is { Length: > 0 } store
            && (!Enum.TryParse<RateLimitStoreKind>(store, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)))
        {
            throw new OptionsValidationException(RateLimitsOptions.SectionName, typeof(RateLimitsOptions), [$"OrderHub:RateLimits:Store (ORDERHUB_RATE_LIMITS) is '{store}'; accepted: Machine, Redis or Process."]);
        }

        section?.Bind(options);
    }

    private sealed class RateLimitsMarker;
}
