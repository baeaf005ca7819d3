using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace OrderHub.Aws;

/// <summary>
/// Credentials obtained when a request is signed (an assumed role, web identity, SSO): a failure to obtain them is the
/// user's authentication error in one line, naming what they were for, not the SDK's exception escaping the call.
/// </summary>
/// <param name="inner">The credentials the SDK resolved.</param>
/// <param name="usedFor">What they sign for, for the message (<c>the Outposts source 'outposts'</c>).</param>
/// <param name="sourceName">The source named in the error's context.</param>
internal sealed class ReportedAwsCredentials(AWSCredentials inner, string usedFor, string sourceName) : AWSCredentials
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
            $"AWS credentials for {usedFor} could not be obtained: {reason.TrimEnd('.')}. Check AWS_PROFILE and its role_arn, source_profile, web identity, SSO or credential_process settings, and AWS_ENDPOINT_URL_STS, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
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

/// <summary>The SDK's default credential chain, looked up when a request is first signed rather than at start-up.</summary>
internal sealed class DefaultChainAwsCredentials : AWSCredentials
{
    private readonly Lazy<AWSCredentials> _resolved = new(() => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null));

    public override ImmutableCredentials GetCredentials() => _resolved.Value.GetCredentials();

    public override Task<ImmutableCredentials> GetCredentialsAsync() => _resolved.Value.GetCredentialsAsync();
}
