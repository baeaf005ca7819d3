using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Tests.Sources;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.DependencyInjection;

public sealed class OrderHubServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddOrderHub_LookupSeesEveryRegisteredSource()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        var builder = services.AddOrderHub();
        builder.Services.AddSingleton<IOrderSource>(new InMemoryOrderSource("sp-api", InMemoryOrderSource.ThreeSevenSeven).Add("902-3159896-1390916"));
        await using var provider = services.BuildServiceProvider();

        var lookup = provider.GetRequiredService<OrderLookup>();

        lookup.Sources.ShouldHaveSingleItem().Name.ShouldBe("sp-api");
        (await lookup.GetOrderAsync("902-3159896-1390916")).Source.ShouldBe("sp-api");
        provider.GetRequiredService<TimeProvider>().ShouldBe(TimeProvider.System);
    }

    [Fact]
    public async Task AddOrderHub_BindsOptionsFromConfiguration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OrderHub:ThrottleMode"] = "FailFast" }).Build());
        services.AddOrderHub();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<OrderHubOptions>>().Value.ThrottleMode.ShouldBe(ThrottleMode.FailFast);
    }

    [Fact]
    public async Task AddOrderHub_InvalidOptions_FailValidation()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddOrderHub(o => o.ThrottleMode = (ThrottleMode)42);
        await using var provider = services.BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OrderHubOptions>>().Value);
    }
}
