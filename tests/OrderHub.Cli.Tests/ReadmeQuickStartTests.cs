using Microsoft.Extensions.DependencyInjection;
using OrderHub.Outposts;
using OrderHub.SellingPartner;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>The README's quick start, as written, compiles and wires both sources into the lookup.</summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task QuickStart_RegistersBothSources_WithoutAnyConfigurationObject()
    {
        var services = new ServiceCollection();
        services.AddOrderHub()
            .AddSellingPartner(o =>
            {
                o.ClientId = "amzn1.application-oa2-client.example";
                o.ClientSecret = "secret";
                o.RefreshToken = "Atzr|refresh";
            })
            .AddAwsOutposts(o =>
            {
                o.Region = "us-west-2";
                o.Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret");
            });

        await using var provider = services.BuildServiceProvider();
        var lookup = provider.GetRequiredService<OrderLookup>();

        lookup.Sources.Select(s => s.Name).ShouldBe(["sp-api", "outposts"]);
        lookup.ResolveSource("902-3159896-1390916").ShouldBeOfType<SellingPartnerOrderSource>();
        lookup.ResolveSource("oo-0123456789abcdef0").ShouldBeOfType<OutpostsOrderSource>();
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => lookup.GetOrderAsync("12345"));
        error.Message.ShouldContain("3-7-7 digits");
    }
}
