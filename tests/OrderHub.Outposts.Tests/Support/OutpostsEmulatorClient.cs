using Amazon.Runtime;
using OrderHub.Emulator.Hosting;

namespace OrderHub.Outposts.Tests.Support;

internal static class OutpostsEmulatorClient
{
    public static OutpostsOrderSourceOptions Options(EmulatorHost emulator, string? secret = null) => new()
    {
        Region = "us-west-2",
        Endpoint = emulator.BaseAddress,
        Credentials = new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, secret ?? emulator.Outposts.Options.AwsSecretAccessKey),
        RetryBaseDelay = TimeSpan.Zero,
    };

    public static OutpostsOrderSource Source(EmulatorHost emulator, string? secret = null, TimeProvider? time = null) =>
        new(Options(emulator, secret), time);
}
