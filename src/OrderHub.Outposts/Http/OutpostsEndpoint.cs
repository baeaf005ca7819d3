using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
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
                ? new Reported(fromProfile, options.SourceName)
                : throw new OrderSourceAuthenticationException($"The AWS profile '{profile}' was not found or holds no credentials.", new OrderErrorContext(options.SourceName));
        }

        return new Reported(new DefaultChainCredentials(), options.SourceName);
    }

    /// <summary>
    /// Credentials obtained when a request is signed (an assumed role, web identity, SSO): a failure to obtain them is
    /// the source's authentication error in one line, not the SDK's exception escaping the call.
    /// </summary>
    private sealed class Reported(AWSCredentials inner, string sourceName) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials()
        {
            try
            {
                return inner.GetCredentials();
            }
            catch (Exception e) when (e is not OperationCanceledException and not OrderHubException)
            {
                throw Failed(e);
            }
        }

        public override async Task<ImmutableCredentials> GetCredentialsAsync()
        {
            try
            {
                return await inner.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OrderHubException)
            {
                throw Failed(e);
            }
        }

        private OrderSourceAuthenticationException Failed(Exception e)
        {
            // The SDK's messages name the profile, role or file at fault, never a key; only their first line is kept,
            // with what STS (or SSO) answered when it refused: "Error calling AssumeRole for role ..." says only where.
            var reason = FirstLine(e.Message);
            var refusal = Chain(e).OfType<AmazonServiceException>().FirstOrDefault();
            if (refusal is not null && !ReferenceEquals(refusal, e) && FirstLine(refusal.Message) is { Length: > 0 } answered)
            {
                reason += $": {refusal.ErrorCode}: {answered}";
            }

            return new OrderSourceAuthenticationException(
                $"AWS credentials for the Outposts source '{sourceName}' could not be obtained: {reason.TrimEnd('.')}. Check AWS_PROFILE and its role_arn, source_profile, web identity, SSO or credential_process settings, and AWS_ENDPOINT_URL_STS, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
                new OrderErrorContext(sourceName, StatusCode: refusal?.StatusCode, RequestId: refusal?.RequestId, ErrorCode: refusal?.ErrorCode),
                e);
        }

        private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

        private static IEnumerable<Exception> Chain(Exception e)
        {
            for (Exception? current = e; current is not null; current = current.InnerException)
            {
                yield return current;
            }
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The SDK's default credential chain, looked up when a request is first signed rather than at start-up.</summary>
    private sealed class DefaultChainCredentials : AWSCredentials
    {
        private readonly Lazy<AWSCredentials> _resolved = new(() => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null));

        public override ImmutableCredentials GetCredentials() => _resolved.Value.GetCredentials();

        public override Task<ImmutableCredentials> GetCredentialsAsync() => _resolved.Value.GetCredentialsAsync();
    }
}
