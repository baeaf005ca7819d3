using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderHub.RateLimits;

namespace OrderHub;

/// <summary>Keeps OrderHub's rate-limit buckets in Redis, shared by every OrderHub process on any machine.</summary>
public static class RedisRateLimitsOrderHubBuilderExtensions
{
    /// <summary>
    /// Lets configuration choose Redis for rate limits (<c>OrderHub:RateLimits:Store</c> = <c>Redis</c>, with
    /// <c>OrderHub:RateLimits:Redis</c> and optionally <c>RedisPassword</c> and <c>RedisKeyPrefix</c>), without choosing it.
    /// </summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddRedisRateLimits(this OrderHubBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOrderHubRateLimits();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IQuotaStoreFactory, RedisQuotaStoreFactory>());
        return builder;
    }

    /// <summary>Shares rate limits with every OrderHub process on any machine through Redis.</summary>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>redis1:6379,password=...</c>.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder UseRedisRateLimits(this OrderHubBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return RateLimitsOrderHubBuilderExtensions.Use(AddRedisRateLimits(builder), o =>
        {
            o.Store = RateLimitStoreKind.Redis;
            o.Redis = configuration;
        });
    }

    private sealed class RedisQuotaStoreFactory : IQuotaStoreFactory
    {
        public RateLimitStoreKind Kind => RateLimitStoreKind.Redis;

        public IQuotaStore Create(RateLimitsOptions options, IServiceProvider services) =>
            RedisQuotaStore.Connect(options.Redis!, options.RedisKeyPrefix, options.RedisPassword);
    }
}
