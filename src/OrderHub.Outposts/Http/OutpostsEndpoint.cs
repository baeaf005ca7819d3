using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using OrderHub.Aws;
using OrderHub.Http;

namespace OrderHub.Outposts.Http;

/// <summary>Where Outposts calls go and who signs them, resolved as the AWS SDKs resolve them.</summary>
internal static partial class OutpostsEndpoint
{
    /// <summary>Whether a value has the form of an AWS region's name (<c>us-west-2</c>, <c>us-gov-west-1</c>, <c>cn-north-1</c>).</summary>
    public static bool IsRegionName(string value) => RegionName().IsMatch(value);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    private static partial System.Text.RegularExpressions.Regex RegionName();

    /// <summary>
    /// The signing region: the option, else <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the <c>region</c> of
    /// the named profile (<see cref="OutpostsOrderSourceOptions.Profile"/>, else <c>AWS_PROFILE</c>) in the shared config.
    /// </summary>
    public static string ResolveRegion(OutpostsOrderSourceOptions options, Func<string, string?> environment) =>
        NonEmpty(options.Region) ?? NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION")) ?? ProfileRegion(options, environment)
        ?? throw new ArgumentException(
            $"Source '{options.SourceName}': no AWS region is set for Outposts. Set its Region (for example us-west-2), the AWS_REGION environment variable, or a region in its profile.",
            nameof(options));

    private static string? ProfileRegion(OutpostsOrderSourceOptions options, Func<string, string?> environment) =>
        (NonEmpty(options.Profile) ?? NonEmpty(environment("AWS_PROFILE"))) is { } profile
        && new CredentialProfileStoreChain(NonEmpty(options.ProfilesLocation)).TryGetProfile(profile, out var found)
            ? NonEmpty(found.Region?.SystemName)
            : null;

    /// <summary>The service URL: the Endpoint option, else <c>AWS_ENDPOINT_URL_OUTPOSTS</c>, else <c>AWS_ENDPOINT_URL</c>, else the regional host.</summary>
    public static Uri ResolveServiceUrl(OutpostsOrderSourceOptions options, string region, Func<string, string?> environment)
    {
        if (options.Endpoint is { } explicitUrl)
        {
            return UpstreamHttp.WithTrailingSlash(explicitUrl);
        }

        foreach (var variable in new[] { "AWS_ENDPOINT_URL_OUTPOSTS", "AWS_ENDPOINT_URL" })
        {
            if (NonEmpty(environment(variable)) is { } value)
            {
                return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                    ? UpstreamHttp.WithTrailingSlash(url)
                    : throw new ArgumentException($"{variable} must be an absolute http or https URL such as https://outposts.us-west-2.amazonaws.com; got '{value}'.", nameof(options));
            }
        }

        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://outposts.{region}.{suffix}/");
    }

    /// <summary>The credentials: explicit, else the configured key pair, else the named profile, else the SDK's default chain (resolved on first use).</summary>
    public static AWSCredentials ResolveCredentials(OutpostsOrderSourceOptions options)
    {
        if (options.Credentials is { } explicitCredentials)
        {
            return explicitCredentials;
        }

        if (NonEmpty(options.AccessKeyId) is { } keyId && NonEmpty(options.SecretAccessKey) is { } secret)
        {
            return NonEmpty(options.SessionToken) is { } token ? new SessionAWSCredentials(keyId, secret, token) : new BasicAWSCredentials(keyId, secret);
        }

        if (NonEmpty(options.Profile) is { } profile)
        {
            // The profile's own kind decides how: keys, role_arn with source_profile or credential_source,
            // web_identity_token_file, sso_session, credential_process; the SDK builds each, refreshed before expiry.
            return new CredentialProfileStoreChain(NonEmpty(options.ProfilesLocation)).TryGetAWSCredentials(profile, out var fromProfile)
                ? new ReportedAwsCredentials(fromProfile, $"the Outposts source '{options.SourceName}'", options.SourceName)
                : throw new OrderSourceAuthenticationException($"The AWS profile '{profile}' was not found or holds no credentials.", new OrderErrorContext(options.SourceName));
        }

        return new ReportedAwsCredentials(new DefaultChainAwsCredentials(), $"the Outposts source '{options.SourceName}'", options.SourceName);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
