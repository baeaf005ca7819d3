using Amazon.Runtime;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

public sealed class OutpostsEndpointTests
{
    private static OutpostsOrderSource Source(OutpostsOrderSourceOptions options, Dictionary<string, string> environment)
    {
        options.Credentials ??= new BasicAWSCredentials("a", "b");
        return new OutpostsOrderSource(options, OrderHub.Http.UpstreamContext.Create(environment: name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public void Default_IsTheRegionalHost_FromAwsRegion()
    {
        using var source = Source(new(), new() { ["AWS_REGION"] = "eu-west-1" });

        source.Region.ShouldBe("eu-west-1");
        source.ServiceUrl.ShouldBe(new Uri("https://outposts.eu-west-1.amazonaws.com/"));
    }

    [Fact]
    public void ChinaRegions_UseTheirPartitionsDomain()
    {
        using var source = Source(new() { Region = "cn-north-1" }, []);

        source.ServiceUrl.ShouldBe(new Uri("https://outposts.cn-north-1.amazonaws.com.cn/"));
    }

    [Fact]
    public void ServiceSpecificVariable_WinsOverTheGlobalOne()
    {
        using var source = Source(new() { Region = "us-east-1" }, new() { ["AWS_ENDPOINT_URL_OUTPOSTS"] = "http://127.0.0.1:4566", ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999" });

        source.ServiceUrl.ShouldBe(new Uri("http://127.0.0.1:4566/"));
    }

    [Fact]
    public void ExplicitServiceUrl_WinsOverTheEnvironment()
    {
        using var source = Source(new() { Region = "us-east-1", Endpoint = new Uri("http://localhost:1234/base") }, new() { ["AWS_ENDPOINT_URL_OUTPOSTS"] = "http://127.0.0.1:4566" });

        source.ServiceUrl.ShouldBe(new Uri("http://localhost:1234/base/"));
    }

    [Fact]
    public void GlobalVariable_IsUsedWhenNothingMoreSpecificIsSet()
    {
        using var source = Source(new() { Region = "us-east-1" }, new() { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9999" });

        source.ServiceUrl.ShouldBe(new Uri("http://127.0.0.1:9999/"));
    }

    [Fact]
    public void NoRegionAnywhere_IsAClearError()
    {
        var error = Should.Throw<ArgumentException>(() => Source(new(), []));

        error.Message.ShouldContain("AWS_REGION");
    }

    [Fact]
    public void Options_ToString_NeverShowsCredentials()
    {
        var options = new OutpostsOrderSourceOptions { Region = "us-east-1", Credentials = new BasicAWSCredentials("AKIDSECRETLOOKING", "super-secret") };

        options.ToString().ShouldNotContain("super-secret");
        options.ToString().ShouldNotContain("AKIDSECRETLOOKING");
    }
}
