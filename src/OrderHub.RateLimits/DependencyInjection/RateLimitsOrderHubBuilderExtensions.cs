using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderHub.RateLimits;

namespace OrderHub;

/// <summary>Chooses where OrderHub's rate-limit buckets live: the machine-wide file (the default), Redis, or this process.</summary>
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

    /// <summary>Shares rate limits with every OrderHub process on any machine through Redis.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>redis1:6379,password=...</c>.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder UseRedisRateLimits(this OrderHubBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return Use(builder, o =>
        {
            o.Store = RateLimitStoreKind.Redis;
            o.Redis = configuration;
        });
    }

    /// <summary>Keeps rate limits in this process only: other processes with the same credentials do not see them.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder UseInProcessRateLimits(this OrderHubBuilder builder) =>
        Use(builder, o => o.Store = RateLimitStoreKind.Process);

    /// <summary>
    /// Registers the <see cref="IQuotaStore"/> that <see cref="RateLimitsOptions"/> (bound from <c>OrderHub:RateLimits</c>)
    /// chooses, unless one is registered already. Providers with rate limits call it; applications need not.
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
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IQuotaStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
            return options.ResolveStore() switch
            {
                RateLimitStoreKind.Redis => RedisQuotaStore.Connect(options.Redis!, options.RedisKeyPrefix, options.RedisPassword),
                RateLimitStoreKind.Process => new InProcessQuotaStore(sp.GetRequiredService<TimeProvider>()),
                _ => new LocalFileQuotaStore(string.IsNullOrWhiteSpace(options.File) ? LocalFileQuotaStore.DefaultPath : options.File, sp.GetRequiredService<TimeProvider>()),
            };
        });
        return services;
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

    // Code wins over configuration: the choice is applied after binding.
    private static OrderHubBuilder Use(OrderHubBuilder builder, Action<RateLimitsOptions> choose)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrderHubRateLimits();
        builder.Services.PostConfigure(choose);
        return builder;
    }

    private sealed class RateLimitsMarker;
}
