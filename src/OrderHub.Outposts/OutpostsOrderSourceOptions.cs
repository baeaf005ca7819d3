using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;

namespace OrderHub.Outposts;

/// <summary>
/// How to reach and sign requests to AWS Outposts. Credentials come from <see cref="Credentials"/>, else
/// <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> (configuration), else the named <see cref="Profile"/>,
/// else the SDK's default chain (environment, profile, SSO, web identity, container, instance).
/// </summary>
public sealed class OutpostsOrderSourceOptions : IValidatableObject, IOrderSourceOptions
{
    /// <summary>Gets or sets the source's name in the lookup. The default is <c>outposts</c>.</summary>
    [Required]
    public string SourceName { get; set; } = OutpostsDefaults.SourceName;

    /// <summary>Gets or sets the AWS region, for example <c>us-west-2</c>. The default is <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>) from the environment.</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Gets or sets a base address that replaces the region's host (the emulator, a proxy, tests). The default is
    /// <c>AWS_ENDPOINT_URL_OUTPOSTS</c>, else <c>AWS_ENDPOINT_URL</c>, else <c>https://outposts.{region}.amazonaws.com</c>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the credentials to sign with; <see langword="null"/> resolves them as the AWS SDKs do. The default is <see langword="null"/>.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Gets or sets the shared-config profile to take credentials from; <see langword="null"/> uses <c>AWS_PROFILE</c> or the default chain. The default is <see langword="null"/>.</summary>
    public string? Profile { get; set; }

    /// <summary>Gets or sets an access key id to sign with, with <see cref="SecretAccessKey"/> (for configuration; prefer profiles or the default chain). The default is none.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Gets or sets the secret access key that goes with <see cref="AccessKeyId"/>. Secret: never logged or shown.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Gets or sets the session token of temporary credentials, with <see cref="AccessKeyId"/>. Secret.</summary>
    public string? SessionToken { get; set; }

    /// <summary>
    /// Gets or sets how many times a throttled, failed (500, 502, 503, 504) or timed-out call is retried: the AWS SDKs'
    /// standard mode makes 3 attempts, so the default is 2.
    /// </summary>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = OutpostsDefaults.MaxRetryAttempts;

    /// <summary>Gets or sets the first retry delay, doubled with jitter on each retry, up to 20 s. The default is 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = OutpostsDefaults.RetryBaseDelay;

    /// <summary>Gets or sets how long one attempt may take before it counts as a transport timeout. The default is 30 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = OutpostsDefaults.AttemptTimeout;

    /// <summary>
    /// Gets or sets how long one call may take in all (every attempt and retry delay). An endpoint that accepts the
    /// connection and never answers fails after this. The default is 60 seconds.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = OutpostsDefaults.CallTimeout;

    /// <summary>Gets or sets the most bytes read from one response; a larger one is a protocol error. The default is 4 MiB.</summary>
    [Range(1024, int.MaxValue)]
    public long MaxResponseBytes { get; set; } = OrderHub.Http.UpstreamHttp.DefaultMaxResponseBytes;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryBaseDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("RetryBaseDelay must not be negative.", [nameof(RetryBaseDelay)]);
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("AttemptTimeout must be positive.", [nameof(AttemptTimeout)]);
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("CallTimeout must be positive.", [nameof(CallTimeout)]);
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            yield return new ValidationResult("AccessKeyId and SecretAccessKey go together: set both, or neither (and use a profile or the default chain).", [nameof(AccessKeyId), nameof(SecretAccessKey)]);
        }

        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Endpoint must be an absolute http or https URI such as https://outposts.us-west-2.amazonaws.com.", [nameof(Endpoint)]);
        }
    }

    /// <summary>Returns the region and service URL; never a credential.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"OutpostsOrderSourceOptions {{ SourceName = {SourceName}, Region = {Region}, Endpoint = {Endpoint} }}";
}
