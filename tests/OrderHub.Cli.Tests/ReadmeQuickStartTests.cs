using Microsoft.Extensions.Options;
using OrderHub.Cli.Tests.Readme;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// The README's quick start, compiled from the README itself at build time (see the test project), run as written:
/// without the secrets it reads from the environment, it stops before sending anything, naming what is missing.
/// </summary>
public sealed class ReadmeQuickStartTests
{
    [Fact]
    public async Task QuickStart_AsWritten_WithoutItsSecrets_StopsBeforeAnyRequest_NamingTheSettings()
    {
        Environment.GetEnvironmentVariable("LWA_CLIENT_SECRET").ShouldBeNull("the test must not send real secrets anywhere");
        Environment.GetEnvironmentVariable("LWA_REFRESH_TOKEN").ShouldBeNull("the test must not send real secrets anywhere");

        var error = await Should.ThrowAsync<OptionsValidationException>(ReadmeQuickStart.RunAsync);

        error.Failures.ShouldContain(f => f.Contains("sp-api") && f.Contains("ClientSecret"));
        error.Failures.ShouldContain(f => f.Contains("sp-api") && f.Contains("RefreshToken"));
    }
}
