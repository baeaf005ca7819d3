using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Outposts;

namespace OrderHub;

/// <summary>
/// The AWS SDK's own configuration, for Outposts sources that set no AWS settings of their own: the
/// <see cref="AWSOptions"/> an application registered (<c>AddDefaultAWSOptions</c>), else the <c>AWS</c> section of its
/// configuration, read by the SDK's reader (<c>GetAWSOptions</c>), so a source signs as the application's other AWS
/// clients do. A source that sets its region, a profile, keys or credentials is configured by those alone: the two
/// are never mixed.
/// </summary>
internal sealed class AwsSdkConfiguration(IServiceProvider services) : IPostConfigureOptions<OutpostsOrderSourceOptions>
{
    /// <inheritdoc />
    public void PostConfigure(string? name, OutpostsOrderSourceOptions options)
    {
        if (SetsAwsSettings(options) || (services.GetService<AWSOptions>() ?? services.GetService<IConfiguration>()?.GetAWSOptions()) is not { } aws)
        {
            return;
        }

        options.Region = aws.Region?.SystemName;
        options.Credentials = aws.Credentials;
        options.Profile = aws.Profile;

        // The SDK reads the location only for a named profile.
        options.ProfilesLocation = string.IsNullOrEmpty(aws.Profile) ? null : aws.ProfilesLocation;
    }

    private static bool SetsAwsSettings(OutpostsOrderSourceOptions options) =>
        options.Credentials is not null
        || !string.IsNullOrEmpty(options.Region)
        || !string.IsNullOrEmpty(options.Profile)
        || !string.IsNullOrEmpty(options.ProfilesLocation)
        || !string.IsNullOrEmpty(options.AccessKeyId)
        || !string.IsNullOrEmpty(options.SecretAccessKey);
}
