using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Credentials;

/// <summary>
/// The emulator's STS, driven by the AWS SDK's own STS client (and by hand where the SDK would not send the request):
/// the query protocol's responses and errors, the credentials it issues, and the Outposts endpoints accepting them
/// until they expire, as AWS does.
/// </summary>
public sealed class EmulatorStsTests
{
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    [Fact]
    public async Task AssumeRole_SignedByTheLongTermKey_IssuesTemporaryCredentialsForAnHour()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var sts = EmulatorSts.Client(emulator);
        var before = DateTime.UtcNow;

        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatorSts.RoleArn, RoleSessionName = "nightly-sync" });

        response.Credentials.AccessKeyId.ShouldStartWith("ASIA");
        response.Credentials.AccessKeyId.Length.ShouldBe(20);
        response.Credentials.SecretAccessKey.ShouldNotBeNullOrEmpty();
        response.Credentials.SessionToken.ShouldNotBeNullOrEmpty();
        response.Credentials.Expiration!.Value.ToUniversalTime().ShouldBeInRange(before.AddHours(1).AddSeconds(-5), DateTime.UtcNow.AddHours(1).AddSeconds(5));
        response.AssumedRoleUser.Arn.ShouldBe("arn:aws:sts::123456789012:assumed-role/orderhub-reader/nightly-sync");
        response.AssumedRoleUser.AssumedRoleId.ShouldMatch("^AROA[A-Z2-7]{17}:nightly-sync$");
        emulator.Sts.IssuedAccessKeyIds.ShouldBe([response.Credentials.AccessKeyId]);
    }

    [Theory]
    [InlineData(900)]
    [InlineData(43200)]
    public async Task AssumeRole_DurationSeconds_SetsTheExpiration(int seconds)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock });

        var credentials = await EmulatorSts.AssumeRoleAsync(emulator, seconds);

        new DateTimeOffset(credentials.Expiration!.Value.ToUniversalTime()).ShouldBe(clock.GetUtcNow().AddSeconds(seconds), TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData(899, "greater than or equal to 900")]
    [InlineData(43201, "less than or equal to 43200")]
    public async Task AssumeRole_DurationOutsideTheModelsRange_IsAValidationError(int seconds, string expected)
    {
        await using var emulator = await EmulatorHost.StartAsync();

        var error = await Should.ThrowAsync<AmazonSecurityTokenServiceException>(() => EmulatorSts.AssumeRoleAsync(emulator, seconds));

        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.ErrorCode.ShouldBe("ValidationError");
        error.Message.ShouldBe($"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value {expected}");
        emulator.Sts.IssuedAccessKeyIds.ShouldBeEmpty();
    }

    [Fact]
    public async Task AssumeRole_Unsigned_IsRefusedWithStsErrorDocument()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(emulator.StsEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRole",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = EmulatorSts.RoleArn,
            ["RoleSessionName"] = "unsigned",
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/xml");
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        document.Root!.Name.ShouldBe(Ns + "ErrorResponse");
        var error = document.Root.Element(Ns + "Error")!;
        error.Element(Ns + "Type")!.Value.ShouldBe("Sender");
        error.Element(Ns + "Code")!.Value.ShouldBe("MissingAuthenticationToken");
        document.Root.Element(Ns + "RequestId")!.Value.ShouldBe(response.Headers.GetValues("x-amzn-RequestId").Single());
        emulator.Sts.IssuedAccessKeyIds.ShouldBeEmpty();
    }

    [Fact]
    public async Task AssumeRole_SignedWithTheWrongSecret_IsSignatureDoesNotMatch()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var sts = EmulatorSts.Client(emulator, new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, "not-the-secret"));

        var error = await Should.ThrowAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = EmulatorSts.RoleArn, RoleSessionName = "s1" }));

        error.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        error.ErrorCode.ShouldBe("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task AssumeRole_ARoleOutsideThePattern_IsAccessDenied()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { StsRoleArnPattern = "arn:aws:iam::123456789012:role/orderhub-*" });
        using var sts = EmulatorSts.Client(emulator);

        var error = await Should.ThrowAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::123456789012:role/admin", RoleSessionName = "s1" }));

        error.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        error.ErrorCode.ShouldBe("AccessDenied");
        error.Message.ShouldBe("User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin");
    }

    [Fact]
    public async Task AssumeRole_ChainedFromTemporaryCredentials_IsLimitedToAnHour()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var first = await EmulatorSts.AssumeRoleAsync(emulator);
        using var chained = EmulatorSts.Client(emulator, first.AsSession());

        var withinTheLimit = await chained.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::123456789012:role/other", RoleSessionName = "chained", DurationSeconds = 3600 });
        var error = await Should.ThrowAsync<AmazonSecurityTokenServiceException>(() => chained.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::123456789012:role/other", RoleSessionName = "chained", DurationSeconds = 3601 }));

        withinTheLimit.AssumedRoleUser.Arn.ShouldBe("arn:aws:sts::123456789012:assumed-role/other/chained");
        error.ErrorCode.ShouldBe("ValidationError");
        error.Message.ShouldContain("role chaining");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_AnAcceptedToken_IssuesCredentialsUnsigned()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var sts = EmulatorSts.Client(emulator, new AnonymousAWSCredentials());

        var response = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = EmulatorSts.RoleArn,
            RoleSessionName = "eks-pod",
            WebIdentityToken = emulator.Sts.Options.StsWebIdentityTokens[0],
        });

        response.Credentials.AccessKeyId.ShouldStartWith("ASIA");
        response.AssumedRoleUser.Arn.ShouldBe("arn:aws:sts::123456789012:assumed-role/orderhub-reader/eks-pod");
        response.SubjectFromWebIdentityToken.ShouldNotBeNullOrEmpty();
        emulator.Sts.IssuedAccessKeyIds.ShouldBe([response.Credentials.AccessKeyId]);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_ATokenTheEmulatorDoesNotAccept_IsInvalidIdentityToken()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var sts = EmulatorSts.Client(emulator, new AnonymousAWSCredentials());

        var error = await Should.ThrowAsync<InvalidIdentityTokenException>(() => sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = EmulatorSts.RoleArn,
            RoleSessionName = "eks-pod",
            WebIdentityToken = "forged-token",
        }));

        error.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        emulator.Sts.IssuedAccessKeyIds.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetCallerIdentity_NamesTheUserOrTheAssumedRole()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var session = await EmulatorSts.AssumeRoleAsync(emulator);
        using var asUser = EmulatorSts.Client(emulator);
        using var asRole = EmulatorSts.Client(emulator, session.AsSession());

        var user = await asUser.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var role = await asRole.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        user.Arn.ShouldBe("arn:aws:iam::123456789012:user/emulator");
        user.Account.ShouldBe("123456789012");
        role.Arn.ShouldBe("arn:aws:sts::123456789012:assumed-role/orderhub-reader/orderhub-test");
        role.UserId.ShouldEndWith(":orderhub-test");
    }

    [Fact]
    public async Task TemporaryCredentials_SignOutpostsRequests_AndTheEmulatorRecordsTheirKey()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var session = await EmulatorSts.AssumeRoleAsync(emulator);
        var options = OutpostsEmulatorClient.Options(emulator);
        options.Credentials = session.AsSession();
        using var source = new OutpostsOrderSource(options);

        var order = await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        order.OrderId.ShouldBe(emulator.Outposts.OrderIds[0]);
        emulator.Outposts.AcceptedAccessKeyIds.ShouldBe([session.AccessKeyId]);
    }

    [Fact]
    public async Task TemporaryCredentials_PastTheirExpiration_AreRefusedAsExpired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock });
        var session = await EmulatorSts.AssumeRoleAsync(emulator, 900);
        var options = OutpostsEmulatorClient.Options(emulator);
        options.Credentials = session.AsSession();
        using var source = new OutpostsOrderSource(options);
        await source.GetOrderAsync(emulator.Outposts.OrderIds[0]);

        clock.Advance(TimeSpan.FromSeconds(900));
        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(emulator.Outposts.OrderIds[0]));

        error.ErrorCode.ShouldBe("ExpiredTokenException");
        error.ToString().ShouldNotContain(session.SecretAccessKey);
        error.ToString().ShouldNotContain(session.SessionToken);
    }

    [Theory]
    [InlineData("another session's token")]
    [InlineData("no token")]
    [InlineData("an unknown key")]
    [InlineData("the long-term key with a token")]
    public async Task KeysAwsWouldNotRecognise_AreRefused(string signedWith)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var session = await EmulatorSts.AssumeRoleAsync(emulator);
        var other = await EmulatorSts.AssumeRoleAsync(emulator);
        var longTerm = emulator.Outposts.Options;
        var options = OutpostsEmulatorClient.Options(emulator);
        options.Credentials = signedWith switch
        {
            "another session's token" => new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, other.SessionToken),
            "no token" => new BasicAWSCredentials(session.AccessKeyId, session.SecretAccessKey),
            "an unknown key" => new SessionAWSCredentials("ASIAUNKNOWNUNKNOWN00", session.SecretAccessKey, session.SessionToken),
            _ => new SessionAWSCredentials(longTerm.AwsAccessKeyId, longTerm.AwsSecretAccessKey, session.SessionToken),
        };
        using var source = new OutpostsOrderSource(options);

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(emulator.Outposts.OrderIds[0]));

        error.ErrorCode.ShouldBe("UnrecognizedClientException");
        emulator.Outposts.AcceptedAccessKeyIds.ShouldBeEmpty();
    }
}
