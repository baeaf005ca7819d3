using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Providers;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sources;

/// <summary>
/// The settings every upstream source shares are defined, defaulted and checked once, by the base every provider's
/// options derive from: a provider adds only its own settings and rules.
/// </summary>
public sealed class UpstreamClientOptionsTests
{
    [Fact]
    public void Defaults_AreTheSharedOnes_AndTheProvidersRetryDefaults()
    {
        var options = new TestOptions();

        options.SourceName.ShouldBe("test");
        options.MaxRetryAttempts.ShouldBe(3);
        options.RetryBaseDelay.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        options.CallTimeout.ShouldBe(TimeSpan.FromSeconds(60));
        options.MaxResponseBytes.ShouldBe(4L * 1024 * 1024);
        options.Endpoint.ShouldBeNull();
        OrderSourceRegistration.Check(options).ShouldBeEmpty();
    }

    [Fact]
    public void Check_BrokenSharedRules_AndTheProvidersOwn_AreEachNamed()
    {
        var options = new TestOptions
        {
            SourceName = "mine",
            RetryBaseDelay = TimeSpan.FromSeconds(-1),
            AttemptTimeout = TimeSpan.Zero,
            CallTimeout = TimeSpan.FromSeconds(-5),
            Endpoint = new Uri("ftp://example.com/"),
            Flavour = "sour",
        };

        var problems = OrderSourceRegistration.Check(options);

        problems.ShouldBe(
            [
                "Source 'mine': RetryBaseDelay must not be negative.",
                "Source 'mine': AttemptTimeout must be positive.",
                "Source 'mine': CallTimeout must be positive.",
                "Source 'mine': Endpoint must be an absolute http or https URI, such as the address of a proxy or of the emulator.",
                "Source 'mine': Flavour must be sweet.",
            ],
            ignoreOrder: true);
    }

    [Theory]
    [InlineData(-1, 4096)]
    [InlineData(21, 4096)]
    [InlineData(2, 1023)]
    public void Check_RangesOfTheSharedSettings_HoldForEveryProvider(int maxRetryAttempts, long maxResponseBytes)
    {
        var options = new TestOptions { MaxRetryAttempts = maxRetryAttempts, MaxResponseBytes = maxResponseBytes };

        OrderSourceRegistration.Check(options).ShouldHaveSingleItem().ShouldContain(maxRetryAttempts is < 0 or > 20 ? "MaxRetryAttempts" : "MaxResponseBytes");
    }

    [Fact]
    public void Check_RelativeEndpoint_IsRefused_WithoutThrowing()
    {
        var options = new TestOptions { Endpoint = new Uri("/relative", UriKind.Relative) };

        OrderSourceRegistration.Check(options).ShouldHaveSingleItem().ShouldContain("Endpoint");
    }

    [Fact]
    public void Registration_SharedRuleBroken_StopsTheHostAtStart_NamingIt()
    {
        var services = new ServiceCollection();
        OrderSourceRegistration.AddSource<InMemoryOrderSource, TestOptions>(services.AddOrderHub(), "mine", o => o.CallTimeout = TimeSpan.Zero, (_, name) => new InMemoryOrderSource(name, InMemoryOrderSource.ThreeSevenSeven));
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<TestOptions>>().Get("mine"));

        error.Message.ShouldContain("Source 'mine': CallTimeout must be positive.");
    }

    private sealed class TestOptions() : UpstreamClientOptions("test", 3, TimeSpan.FromMilliseconds(250))
    {
        public string Flavour { get; set; } = "sweet";

        protected override IEnumerable<ValidationResult> ValidateProviderOptions(ValidationContext validationContext)
        {
            if (Flavour != "sweet")
            {
                yield return new ValidationResult("Flavour must be sweet.", [nameof(Flavour)]);
            }
        }
    }
}
