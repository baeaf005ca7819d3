using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Credentials;

/// <summary>
/// The AWS SDK's credential chain, whole, as an Outposts source meets it: shared config and credentials files with an
/// assume-role profile, a web identity token file (EKS), a credential process; STS is the emulator's
/// (<c>AWS_ENDPOINT_URL_STS</c>, or the profile's <c>services</c> section), and the emulator says which key signed.
/// </summary>
[Collection(AwsEnvironmentCollection.Name)]
public sealed class CredentialChainTests
{
    private const string WebIdentityRoleArn = "arn:aws:iam::123456789012:role/orderhub-eks";

    private static string Config(string roleArn = EmulatorSts.RoleArn, string extra = "") => $"""
        [profile orderhub-base]
        region = us-west-2

        [profile orderhub-role]
        role_arn = {roleArn}
        source_profile = orderhub-base
        role_session_name = orderhub-tests
        region = us-west-2
        {extra}
        """;

    private static string Credentials(EmulatorHost emulator) => $"""
        [orderhub-base]
        aws_access_key_id = {emulator.Outposts.Options.AwsAccessKeyId}
        aws_secret_access_key = {emulator.Outposts.Options.AwsSecretAccessKey}
        """;

    private static OutpostsOrderSource Source(EmulatorHost emulator, string? profile = null) => new(new OutpostsOrderSourceOptions
    {
        Region = "us-west-2",
        Endpoint = emulator.BaseAddress,
        Profile = profile,
        RetryBaseDelay = TimeSpan.Zero,
    });

    [Fact]
    public async Task AssumeRoleProfile_SignsOutpostsRequestsWithTheRolesTemporaryKey()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var aws = new AwsEnvironment(emulator, Config(), Credentials(emulator));
        using var source = Source(emulator, profile: "orderhub-role");

        var order = await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        order.OrderId.ShouldBe(emulator.Outposts.OrderIds[0]);
        var issued = emulator.Sts.IssuedAccessKeyIds.ShouldHaveSingleItem();
        issued.ShouldStartWith("ASIA");
        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([issued]);
    }

    [Fact]
    public async Task AssumeRoleProfile_NamedByAwsProfile_IsFoundByTheDefaultChain()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var aws = new AwsEnvironment(emulator, Config(), Credentials(emulator));
        aws.Set("AWS_PROFILE", "orderhub-role");
        using var source = Source(emulator);

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe(emulator.Sts.IssuedAccessKeyIds);
        emulator.Outposts.AcceptedAccessKeyIds.ShouldHaveSingleItem().ShouldStartWith("ASIA");
    }

    [Fact]
    public async Task AssumeRoleProfile_WithStsEndpointInTheProfilesServicesSection_NeedsNoVariable()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var services = $"""

            [default]
            services = emulator

            [services emulator]
            sts =
              endpoint_url = {emulator.StsEndpoint}
            """;
        using var aws = new AwsEnvironment(emulator, Config(extra: services), Credentials(emulator), stsFromEnvironment: false);
        using var source = Source(emulator, profile: "orderhub-role");

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        emulator.Outposts.AcceptedAccessKeyIds.ShouldHaveSingleItem().ShouldBe(emulator.Sts.IssuedAccessKeyIds.ShouldHaveSingleItem());
    }

    [Fact]
    public async Task WebIdentity_FromAwsRoleArnAndTokenFile_SignsOutpostsRequestsWithTheRolesTemporaryKey()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var aws = new AwsEnvironment(emulator);
        aws.Set("AWS_ROLE_ARN", WebIdentityRoleArn);
        aws.Set("AWS_WEB_IDENTITY_TOKEN_FILE", aws.Write("token", emulator.Sts.Options.StsWebIdentityTokens[0]));
        aws.Set("AWS_REGION", "us-west-2");
        using var source = Source(emulator);

        var order = await source.GetOrderAsync(emulator.Outposts.OrderIds[1]);

        order.OrderId.ShouldBe(emulator.Outposts.OrderIds[1]);
        var issued = emulator.Sts.IssuedAccessKeyIds.ShouldHaveSingleItem();
        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([issued]);
    }

    [Fact]
    public async Task WebIdentityProfile_SignsOutpostsRequestsWithTheRolesTemporaryKey()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var aws = new AwsEnvironment(emulator);
        var token = aws.Write("token", emulator.Sts.Options.StsWebIdentityTokens[0]);
        aws.WriteConfig($"""
            [profile orderhub-eks]
            role_arn = {WebIdentityRoleArn}
            web_identity_token_file = {token}
            region = us-west-2
            """);
        using var source = Source(emulator, profile: "orderhub-eks");

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([emulator.Sts.IssuedAccessKeyIds.ShouldHaveSingleItem()]);
    }

    [Fact]
    public async Task CredentialProcess_ReturningJson_SignsOutpostsRequests()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var session = await EmulatorSts.AssumeRoleAsync(emulator);
        using var aws = new AwsEnvironment(emulator);
        var json = $$"""{"Version": 1, "AccessKeyId": "{{session.AccessKeyId}}", "SecretAccessKey": "{{session.SecretAccessKey}}", "SessionToken": "{{session.SessionToken}}", "Expiration": "{{session.Expiration!.Value.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""";
        string script;
        if (OperatingSystem.IsWindows())
        {
            script = aws.Write("credentials.cmd", $"@echo {json}\r\n");
        }
        else
        {
            script = aws.Write("credentials.sh", $"#!/bin/sh\ncat <<'JSON'\n{json}\nJSON\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        aws.WriteConfig($"""
            [profile orderhub-process]
            credential_process = {script}
            region = us-west-2
            """);
        using var source = Source(emulator, profile: "orderhub-process");

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([session.AccessKeyId]);
    }

    [Fact]
    public async Task ARoleStsRefuses_IsTheSourcesOneLineAuthenticationError_WithoutASecret()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { StsRoleArnPattern = "arn:aws:iam::123456789012:role/orderhub-*" });
        using var aws = new AwsEnvironment(emulator, Config(roleArn: "arn:aws:iam::123456789012:role/admin"), Credentials(emulator));
        using var source = Source(emulator, profile: "orderhub-role");

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(emulator.Outposts.OrderIds[0]));

        error.Message.ShouldNotContain("\n");
        error.Message.ShouldContain("'outposts'");
        error.Message.ShouldContain("AccessDenied: User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin");
        error.ErrorCode.ShouldBe("AccessDenied");
        error.ToString().ShouldNotContain(emulator.Outposts.Options.AwsSecretAccessKey);
        emulator.Sts.IssuedAccessKeyIds.ShouldBeEmpty();
        emulator.Outposts.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task AWebIdentityTokenStsRejects_IsTheSourcesOneLineAuthenticationError_WithoutTheToken()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var aws = new AwsEnvironment(emulator);
        aws.Set("AWS_ROLE_ARN", WebIdentityRoleArn);
        aws.Set("AWS_WEB_IDENTITY_TOKEN_FILE", aws.Write("token", "eyJhbGciOiJSUzI1NiJ9.forged.signature"));
        aws.Set("AWS_REGION", "us-west-2");
        using var source = Source(emulator);

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(emulator.Outposts.OrderIds[0]));

        error.Message.ShouldNotContain("\n");
        error.Message.ShouldContain("'outposts'");
        error.ErrorCode.ShouldBe("InvalidIdentityToken");
        error.ToString().ShouldNotContain("forged");
        emulator.Sts.IssuedAccessKeyIds.ShouldBeEmpty();
        emulator.Outposts.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task AwsSection_ProfileAndRegion_SignAConfiguredSourceThatSetsNothingElse()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var aws = new AwsEnvironment(emulator, Config(), Credentials(emulator));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AWS:Profile"] = "orderhub-role",
            ["AWS:Region"] = "us-west-2",
            ["OrderHub:Sources:aws:Provider"] = "AwsOutposts",
            ["OrderHub:Sources:aws:Endpoint"] = emulator.BaseAddress.ToString(),
        }).Build());
        services.AddOrderHub().AddAwsOutpostsSources();
        await using var provider = services.BuildServiceProvider();
        var source = provider.GetRequiredKeyedService<OutpostsOrderSource>("aws");

        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        source.Region.ShouldBe("us-west-2");
        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([emulator.Sts.IssuedAccessKeyIds.ShouldHaveSingleItem()]);
    }
}
