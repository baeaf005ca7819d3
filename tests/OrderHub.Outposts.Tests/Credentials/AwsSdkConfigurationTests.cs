using Amazon;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Credentials;

/// <summary>
/// The AWS SDK's own configuration (the <c>AWSOptions</c> service, else the <c>AWS</c> section) for Outposts sources
/// that set no AWS settings of their own; a source that sets any keeps its own, unmixed.
/// </summary>
public sealed class AwsSdkConfigurationTests
{
    private static ServiceProvider Provider(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        configure?.Invoke(services);
        services.AddOrderHub().AddAwsOutpostsSources();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AwsSection_FillsASourceThatSetsNoAwsSettings()
    {
        using var provider = Provider(new()
        {
            ["AWS:Profile"] = "prod",
            ["AWS:Region"] = "eu-central-1",
            ["AWS:ProfilesLocation"] = "/etc/orderhub/aws-credentials",
            ["OrderHub:Sources:aws:Provider"] = "AwsOutposts",
        });

        var options = provider.GetRequiredService<IOptionsMonitor<OutpostsOrderSourceOptions>>().Get("aws");

        options.Profile.ShouldBe("prod");
        options.Region.ShouldBe("eu-central-1");
        options.ProfilesLocation.ShouldBe("/etc/orderhub/aws-credentials");
    }

    [Theory]
    [InlineData("Region", "us-east-1")]
    [InlineData("Profile", "staging")]
    [InlineData("AccessKeyId", "AKIDSOURCE")]
    public void ASourceThatSetsAnAwsSetting_KeepsItsOwn_AndTakesNothingFromTheAwsSection(string setting, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AWS:Profile"] = "prod",
            ["AWS:Region"] = "eu-central-1",
            ["OrderHub:Sources:aws:Provider"] = "AwsOutposts",
            [$"OrderHub:Sources:aws:{setting}"] = value,
        };
        if (setting == "AccessKeyId")
        {
            settings["OrderHub:Sources:aws:SecretAccessKey"] = "source-secret";
        }

        using var provider = Provider(settings);

        var options = provider.GetRequiredService<IOptionsMonitor<OutpostsOrderSourceOptions>>().Get("aws");

        options.Region.ShouldBe(setting == "Region" ? value : null);
        options.Profile.ShouldBe(setting == "Profile" ? value : null);
    }

    [Fact]
    public async Task AWSOptionsService_WinsOverTheAwsSection_AndItsCredentialsSign()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var longTerm = emulator.Outposts.Options;
        await using var provider = Provider(
            new()
            {
                ["AWS:Profile"] = "a-profile-that-does-not-exist",
                ["OrderHub:Sources:aws:Provider"] = "AwsOutposts",
                ["OrderHub:Sources:aws:Endpoint"] = emulator.BaseAddress.ToString(),
            },
            services => services.AddDefaultAWSOptions(new AWSOptions
            {
                Region = RegionEndpoint.USWest2,
                Credentials = new BasicAWSCredentials(longTerm.AwsAccessKeyId, longTerm.AwsSecretAccessKey),
            }));
        var source = provider.GetRequiredKeyedService<OutpostsOrderSource>("aws");

        var order = await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        order.OrderId.ShouldBe(emulator.Outposts.OrderIds[0]);
        source.Region.ShouldBe("us-west-2");
        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([longTerm.AwsAccessKeyId]);
    }
}
