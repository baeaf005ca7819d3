using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>Where the lookup API's options come from: the <c>OrderHub:Api</c> section, then the code's settings, with nothing copied on the way.</summary>
public sealed class OrderApiOptionsTests
{
    [Fact]
    public void AddOrderHubApi_BindsTheOrderHubApiSection_ThenAppliesTheCodesSettings()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Api:MaxStoreAge"] = "00:01:00",
            ["OrderHub:Api:UpstreamWaitBudget"] = "00:00:05",
            ["OrderHub:Api:ApiKeys:0:Key"] = "reader",
            ["OrderHub:Api:ApiKeys:1:Key"] = "admin",
            ["OrderHub:Api:ApiKeys:1:AllowPersonalData"] = "true",
            ["OrderHub:Api:ApiKeys:1:AllowRefresh"] = "true",
        }).Build());

        using var provider = services.AddOrderHubApi(o => o.UpstreamWaitBudget = TimeSpan.FromSeconds(3)).BuildServiceProvider();
        var options = provider.GetRequiredService<OrderApiOptions>();

        options.MaxStoreAge.ShouldBe(TimeSpan.FromMinutes(1));
        options.UpstreamWaitBudget.ShouldBe(TimeSpan.FromSeconds(3), "the code's setting wins over configuration");
        options.ApiKeys.ShouldBe([new ApiKey("reader", false), new ApiKey("admin", true) { AllowRefresh = true }]);
        options.StoreCacheDuration.ShouldBe(new OrderApiOptions().StoreCacheDuration, "what neither sets keeps its default");
    }

    [Fact]
    public void AddOrderHubApi_ASettingOfTheWrongType_IsAValidationFailureNamingTheSection()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Api:MaxStoreAge"] = "soon",
        }).Build());

        using var provider = services.AddOrderHubApi(o => o.AuthenticationDisabled = true).BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<OrderApiOptions>()).Message.ShouldContain("OrderHub:Api");
    }

    [Fact]
    public void AddOrderHubApi_NoKeyInConfigurationOrCode_IsRefusedWhenTheOptionsAreBuilt()
    {
        using var provider = new ServiceCollection().AddOrderHubApi().BuildServiceProvider();

        Should.Throw<ArgumentException>(() => provider.GetRequiredService<OrderApiOptions>()).Message.ShouldContain("OrderHub:Api:ApiKeys");
    }

    [Fact]
    public async Task OrderApiHost_EveryOptionTheCodeSets_ReachesTheRunningApi()
    {
        // Every settable option gets a value other than its default: one added later fails here until it is given one,
        // and reaches the API only if nothing copies the options field by field on the way.
        var defaults = new OrderApiOptions();
        var properties = typeof(OrderApiOptions).GetProperties().Where(p => p.SetMethod is { IsPublic: true } && p.Name is not (nameof(OrderApiOptions.Urls) or nameof(OrderApiOptions.ApiKeys))).ToArray();
        object Changed(System.Reflection.PropertyInfo property) => property.GetValue(defaults) switch
        {
            bool b => !b,
            TimeSpan t => t + TimeSpan.FromSeconds(7),
            long l => l + 1,
            int i => i + 1,
            var other => throw new InvalidOperationException($"Give OrderApiOptions.{property.Name} ({other?.GetType().Name}) a changed value in this test."),
        };

        await using var fixture = await ApiFixture.StartAsync(configure: o =>
        {
            foreach (var property in properties)
            {
                property.SetValue(o, Changed(property));
            }
        });
        var running = fixture.Api.Options;

        properties.Length.ShouldBeGreaterThan(3);
        foreach (var property in properties)
        {
            property.GetValue(running).ShouldBe(Changed(property), property.Name);
        }

        running.ApiKeys.Count.ShouldBe(3, "the fixture's keys");
    }
}
