using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Outposts;
using OrderHub.SellingPartner;
using Shouldly;
using Xunit;

namespace OrderHub.Hosting.Tests.Sources;

/// <summary>Sources listed in configuration under a host: checked at its start, and resolvable by name.</summary>
public sealed class ConfiguredSourcesTests
{
    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOrderHub().AddSellingPartnerSources().AddAwsOutpostsSources().UseInProcessRateLimits();
        return builder.Build();
    }

    private static Dictionary<string, string?> Seller(string name) => new()
    {
        [$"OrderHub:Sources:{name}:Provider"] = "SellingPartner",
        [$"OrderHub:Sources:{name}:Region"] = "eu",
        [$"OrderHub:Sources:{name}:ClientId"] = "amzn1.application-oa2-client.example",
        [$"OrderHub:Sources:{name}:ClientSecret"] = "secret-of-the-app",
        [$"OrderHub:Sources:{name}:RefreshToken"] = "Atzr|seller",
    };

    [Fact]
    public async Task AConfiguredSource_IsResolvableByItsName_AsTheLookupsOwn()
    {
        using var host = Host(Seller("sp-eu"));
        await host.StartAsync();

        var byName = host.Services.GetRequiredKeyedService<SellingPartnerOrderSource>("sp-eu");

        byName.ShouldBeSameAs(host.Services.GetRequiredService<OrderLookup>().GetSource("sp-eu"));
        Should.Throw<InvalidOperationException>(() => host.Services.GetRequiredKeyedService<SellingPartnerOrderSource>("sp-na"))
            .Message.ShouldContain("No SellingPartnerOrderSource is named 'sp-na'");
        await host.StopAsync();
    }

    [Fact]
    public async Task ABadRegion_StopsTheHostAtStart_NamingTheSourceAndTheSetting()
    {
        using var host = Host(new()
        {
            ["OrderHub:Sources:aws-prod:Provider"] = "AwsOutposts",
            ["OrderHub:Sources:aws-prod:Region"] = "mars-north-1",
        });

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("aws-prod");
        error.Message.ShouldContain("Region");
    }

    [Fact]
    public async Task AnUnknownProvider_StopsTheHostAtStart_NamingTheAcceptedOnes()
    {
        var settings = Seller("sp-eu");
        settings["OrderHub:Sources:shop:Provider"] = "Shopify";
        using var host = Host(settings);

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("OrderHub:Sources:shop:Provider: 'Shopify' is not a provider this application registers; accepted: SellingPartner, AwsOutposts.");
        error.Message.ShouldNotContain("secret-of-the-app");
    }
}
