using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using OrderHub.Emulator.Hosting;

namespace OrderHub.Outposts.Tests.Support;

/// <summary>The emulator's STS through the AWS SDK's own STS client, signed by the emulator's long-term key unless told otherwise.</summary>
internal static class EmulatorSts
{
    public const string RoleArn = "arn:aws:iam::123456789012:role/orderhub-reader";

    public static AmazonSecurityTokenServiceClient Client(EmulatorHost emulator, AWSCredentials? credentials = null) => new(
        credentials ?? new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, emulator.Outposts.Options.AwsSecretAccessKey),
        new AmazonSecurityTokenServiceConfig { ServiceURL = emulator.StsEndpoint.ToString(), AuthenticationRegion = emulator.Outposts.Options.AwsRegion, MaxErrorRetry = 0 });

    public static async Task<Amazon.SecurityToken.Model.Credentials> AssumeRoleAsync(EmulatorHost emulator, int? durationSeconds = null)
    {
        using var sts = Client(emulator);
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, RoleSessionName = "orderhub-test", DurationSeconds = durationSeconds });
        return response.Credentials;
    }

    public static SessionAWSCredentials AsSession(this Amazon.SecurityToken.Model.Credentials credentials) =>
        new(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
}
