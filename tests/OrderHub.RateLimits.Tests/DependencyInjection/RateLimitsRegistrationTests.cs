using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests.DependencyInjection;

public sealed class RateLimitsRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<OrderHubBuilder>? compose = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var builder = services.AddOrderHub();
        services.AddOrderHubRateLimits();
        compose?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void RedisChosenInConfiguration_WithoutTheRedisPackageRegistered_FailsNamingThePackage()
    {
        using var services = Build(new() { ["OrderHub:RateLimits:Store"] = "Redis", ["OrderHub:RateLimits:Redis"] = "127.0.0.1:1" });

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<RateLimitsOptions>>().Value);

        error.Message.ShouldContain("OrderHub.RateLimits.Redis");
        error.Message.ShouldContain("AddRedisRateLimits()");
    }

    [Fact]
    public void RedisChosenInConfiguration_WithTheRedisPackageRegistered_IsTheStore()
    {
        using var services = Build(
            new() { ["OrderHub:RateLimits:Store"] = "Redis", ["OrderHub:RateLimits:Redis"] = "127.0.0.1:1,connectTimeout=100" },
            builder => builder.AddRedisRateLimits());

        services.GetRequiredService<IQuotaStore>().ShouldBeOfType<RedisQuotaStore>();
    }

    [Fact]
    public async Task TheRegistry_IsOnePerContainer_OverTheContainersClock()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddOrderHub().UseInProcessRateLimits();
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<RateLimiterRegistry>();
        var limiter = registry.GetOrAdd(new QuotaDefinition("p", 1, 1));

        (await limiter.AcquireAsync(TimeSpan.Zero, default)).IsAcquired.ShouldBeTrue();
        (await limiter.AcquireAsync(TimeSpan.Zero, default)).IsAcquired.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));

        (await limiter.AcquireAsync(TimeSpan.Zero, default)).IsAcquired.ShouldBeTrue("the bucket refills on the container's clock");
        provider.GetRequiredService<RateLimiterRegistry>().ShouldBeSameAs(registry);
    }

    [Fact]
    public void ForProcess_IsOneRegistryPerClock()
    {
        var clock = new FakeTimeProvider();

        RateLimiterRegistry.ForProcess(clock).ShouldBeSameAs(RateLimiterRegistry.ForProcess(clock));
        RateLimiterRegistry.ForProcess(clock).ShouldNotBeSameAs(RateLimiterRegistry.ForProcess(new FakeTimeProvider()));
    }
}
