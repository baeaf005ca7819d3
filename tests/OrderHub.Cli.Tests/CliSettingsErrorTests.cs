using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>Settings the tool cannot use end in one line and a documented exit code, never a stack trace.</summary>
public sealed class CliSettingsErrorTests
{
    private const string OutpostsId = "oo-0123456789abcdef0";
    private const string AmazonId = "902-3159896-1390916";

    [Theory]
    [InlineData("ORDERHUB_SP_ENDPOINT", "ftp://127.0.0.1:1/", "Endpoint")]
    [InlineData("ORDERHUB_LWA_ENDPOINT", "file:///tmp/token", "LwaEndpoint")]
    public async Task NonHttpSellingPartnerEndpoint_ExitsWithUsage_InOneLine(string variable, string value, string setting)
    {
        var result = await CliProcess.RunAsync(null, SellingPartner(variable, value), "get", AmazonId);

        result.ExitCode.ShouldBe(2, result.Error);
        ShouldBeOneLine(result.Error);
        result.Error.ShouldContain(setting);
        result.Error.ShouldContain("http");
    }

    [Fact]
    public async Task UnknownRateLimitStore_ExitsWithUsage_NamingWhatIsAccepted()
    {
        var result = await CliProcess.RunAsync(null, SellingPartner("ORDERHUB_RATE_LIMITS", "cloud"), "get", AmazonId);

        result.ExitCode.ShouldBe(2, result.Error);
        ShouldBeOneLine(result.Error);
        result.Error.ShouldContain("Machine, Redis or Process");
    }

    [Fact]
    public async Task NonHttpOutpostsEndpoint_ExitsWithUsage_InOneLine()
    {
        var result = await CliProcess.RunAsync(null, new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-west-2",
            ["AWS_ENDPOINT_URL_OUTPOSTS"] = "ftp://127.0.0.1:1/",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "not-a-secret",
        }, "get", OutpostsId);

        result.ExitCode.ShouldBe(2, result.Error);
        ShouldBeOneLine(result.Error);
        result.Error.ShouldContain("http");
    }

    [Fact]
    public async Task AssumeRoleProfile_WhoseRoleCannotBeAssumed_ExitsWithAuthentication_InOneLine()
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-cli-profile-").FullName;
        try
        {
            var config = Path.Combine(folder, "config");
            await File.WriteAllTextAsync(config, """
                [profile base]
                aws_access_key_id = AKIDEXAMPLE
                aws_secret_access_key = not-a-secret

                [profile deployer]
                role_arn = arn:aws:iam::123456789012:role/orderhub-reader
                source_profile = base
                """);

            // STS answers nowhere: the role cannot be assumed, and no request leaves the machine.
            var result = await CliProcess.RunAsync(null, new Dictionary<string, string>
            {
                ["AWS_REGION"] = "us-west-2",
                ["AWS_ENDPOINT_URL_OUTPOSTS"] = "http://127.0.0.1:1/",
                ["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:1/",
                ["AWS_CONFIG_FILE"] = config,
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(folder, "credentials"),
                ["AWS_PROFILE"] = "deployer",
            }, "get", OutpostsId);

            result.ExitCode.ShouldBe(6, result.Error);
            ShouldBeOneLine(result.Error);
            result.Error.ShouldNotContain("not-a-secret");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> SellingPartner(string variable, string value) => new()
    {
        ["ORDERHUB_LWA_CLIENT_ID"] = "client",
        ["ORDERHUB_LWA_CLIENT_SECRET"] = "not-a-secret",
        ["ORDERHUB_LWA_REFRESH_TOKEN"] = "Atzr|not-a-token",
        ["ORDERHUB_SP_ENDPOINT"] = "http://127.0.0.1:1/",
        [variable] = value,
    };

    private static void ShouldBeOneLine(string error)
    {
        // A slow call prints a progress line ("waiting for ..."); the failure itself is one line.
        error.Trim().Split('\n').Count(line => !line.StartsWith("waiting for ", StringComparison.Ordinal)).ShouldBe(1, error);
        error.ShouldNotContain("   at ");
    }
}
