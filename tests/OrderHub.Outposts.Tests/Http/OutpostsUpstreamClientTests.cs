using Amazon.Runtime;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>Outposts is built and called as every source is: its constructors take no environment, and its budget is the call budget every call has.</summary>
public sealed class OutpostsUpstreamClientTests
{
    [Fact]
    public void PublicConstructors_TakeNoEnvironment()
    {
        var parameters = typeof(OutpostsOrderSource).GetConstructors().SelectMany(c => c.GetParameters()).ToArray();

        parameters.ShouldNotBeEmpty();
        parameters.ShouldNotContain(p => p.ParameterType == typeof(Func<string, string?>));
        parameters.Select(p => p.Name).ShouldNotContain("environment");
    }

    [Fact]
    public async Task GetOrder_EndpointThatNeverAnswers_FailsWithinTheCallBudget_SayingHow()
    {
        await using var hung = await LoopbackServer.StartNeverAnsweringAsync();
        using var source = new OutpostsOrderSource(new OutpostsOrderSourceOptions
        {
            Region = "us-west-2",
            Endpoint = hung.BaseAddress,
            Credentials = new BasicAWSCredentials("AKIDTEST", "secret"),
            RetryBaseDelay = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromMilliseconds(200),
            CallTimeout = TimeSpan.FromMilliseconds(500),
            MaxRetryAttempts = 10,
        });

        var error = await Should.ThrowAsync<OrderSourceUnavailableException>(() => source.GetOrderAsync("oo-0123456789abcdef0"));

        error.Message.ShouldBe("AWS Outposts did not answer GetOrder within the call's budget of 0.5 s (CallTimeout; every attempt timed out).");
        error.TimedOut.ShouldBeTrue();
    }
}
