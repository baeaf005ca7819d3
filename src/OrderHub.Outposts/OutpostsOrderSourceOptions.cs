using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;

namespace OrderHub.Outposts;

/// <summary>
/// How to reach and sign requests to AWS Outposts. Credentials come from <see cref="Credentials"/>, else
/// <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> (configuration), else the named <see cref="Profile"/>,
/// else the SDK's default chain (environment, web identity, profile, container, instance); a profile may assume a role,
/// use a web identity token, SSO or a credential process. A source that sets none of <see cref="Region"/>,
/// <see cref="Profile"/>, <see cref="ProfilesLocation"/>, keys or <see cref="Credentials"/> takes them from the AWS
/// SDK's own configuration when registered with dependency injection: the <c>AWSOptions</c> service, else the
/// <c>AWS</c> section (<c>Profile</c>, <c>Region</c>, <c>ProfilesLocation</c>). The settings every
/// upstream shares (the source's name, <see cref="UpstreamClientOptions.Endpoint"/>, retries, timeouts, the response
/// cap) are <see cref="UpstreamClientOptions"/>'s; here the name defaults to <c>outposts</c> and the retries to 2 (the
/// AWS SDKs' standard mode), from 500 ms.
/// </summary>
public sealed class OutpostsOrderSourceOptions : UpstreamClientOptions
{
    /// <summary>Initializes a new instance of the <see cref="OutpostsOrderSourceOptions"/> class.</summary>
    public OutpostsOrderSourceOptions()
        : base(OutpostsDefaults.SourceName, OutpostsDefaults.MaxRetryAttempts, OutpostsDefaults.RetryBaseDelay)
    {
    }

    /// <summary>Gets or sets the AWS region, for example <c>us-west-2</c>. The default is <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>) from the environment.</summary>
    public string? Region { get; set; }

    /// <summary>Gets or sets the credentials to sign with; <see langword="null"/> resolves them as the AWS SDKs do. The default is <see langword="null"/>.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Gets or sets the shared-config profile to take credentials from; <see langword="null"/> uses <c>AWS_PROFILE</c> or the default chain. The default is <see langword="null"/>.</summary>
    public string? Profile { get; set; }

    /// <summary>
    /// Gets or sets the shared credentials file <see cref="Profile"/> is read from (as <c>AWS:ProfilesLocation</c> of
    /// the AWS SDK's configuration); <see langword="null"/> uses <c>AWS_SHARED_CREDENTIALS_FILE</c> or
    /// <c>~/.aws/credentials</c>, with <c>AWS_CONFIG_FILE</c> or <c>~/.aws/config</c>. The default is <see langword="null"/>.
    /// </summary>
    public string? ProfilesLocation { get; set; }

    /// <summary>Gets or sets an access key id to sign with, with <see cref="SecretAccessKey"/> (for configuration; prefer profiles or the default chain). The default is none.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Gets or sets the secret access key that goes with <see cref="AccessKeyId"/>. Secret: never logged or shown.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Gets or sets the session token of temporary credentials, with <see cref="AccessKeyId"/>. Secret.</summary>
    public string? SessionToken { get; set; }

    /// <inheritdoc />
    protected override IEnumerable<ValidationResult> ValidateProviderOptions(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Region) && !Http.OutpostsEndpoint.IsRegionName(Region))
        {
            yield return new ValidationResult($"Region '{Region}' is not an AWS region's name: expected the form us-west-2, eu-central-1 or us-gov-west-1.", [nameof(Region)]);
        }

        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            yield return new ValidationResult("AccessKeyId and SecretAccessKey go together: set both, or neither (and use a profile or the default chain).", [nameof(AccessKeyId), nameof(SecretAccessKey)]);
        }
    }

    /// <summary>Returns the region and service URL; never a credential.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"OutpostsOrderSourceOptions {{ SourceName = {SourceName}, Region = {Region}, Endpoint = {Endpoint} }}";
}
