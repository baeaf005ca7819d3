using System.ComponentModel.DataAnnotations;
using OrderHub.Providers;

namespace OrderHub;

/// <summary>
/// What every source that calls an HTTP upstream is configured with, in one vocabulary for every provider: where it
/// calls, how often it retries, how long one attempt and one whole call may take, and how much of an answer it reads.
/// Each provider's options derive from it and add their own settings; the rules below hold for all of them, checked
/// by <see cref="Validate"/> whether the source is built by dependency injection or by hand.
/// </summary>
public abstract class UpstreamClientOptions : IOrderSourceOptions, IValidatableObject
{
    /// <summary>Initializes a new instance of the <see cref="UpstreamClientOptions"/> class with the provider's defaults.</summary>
    /// <param name="defaultSourceName">The provider's default <see cref="SourceName"/>.</param>
    /// <param name="defaultMaxRetryAttempts">The provider's default <see cref="MaxRetryAttempts"/>.</param>
    /// <param name="defaultRetryBaseDelay">The provider's default <see cref="RetryBaseDelay"/>.</param>
    protected UpstreamClientOptions(string defaultSourceName, int defaultMaxRetryAttempts, TimeSpan defaultRetryBaseDelay)
    {
        SourceName = defaultSourceName;
        MaxRetryAttempts = defaultMaxRetryAttempts;
        RetryBaseDelay = defaultRetryBaseDelay;
    }

    /// <summary>Gets or sets the source's name in the lookup, its logs and its telemetry; a registration sets it to the name it was given.</summary>
    /// <value>The default is the provider's: <c>sp-api</c> for the Selling Partner API, <c>outposts</c> for AWS Outposts.</value>
    [Required]
    public string SourceName { get; set; }

    /// <summary>Gets or sets a base address that replaces the provider's own host (the emulator, a proxy, tests).</summary>
    /// <value>
    /// The default is <see langword="null"/>: the provider's host for the configured region (AWS Outposts first reads
    /// <c>AWS_ENDPOINT_URL_OUTPOSTS</c>, then <c>AWS_ENDPOINT_URL</c>, as the AWS SDKs do).
    /// </value>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets how many times a throttled, failed (500, 502, 503, 504) or timed-out call is retried.</summary>
    /// <value>
    /// The default is the provider's: 5 for the Selling Partner API; 2 for AWS Outposts (the AWS SDKs' standard mode,
    /// 3 attempts).
    /// </value>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; }

    /// <summary>
    /// Gets or sets the first retry delay, doubled with jitter on each retry up to the provider's cap (1 minute for the
    /// Selling Partner API, 20 seconds for AWS Outposts); a <c>Retry-After</c> header wins.
    /// </summary>
    /// <value>The default is the provider's: 1 second for the Selling Partner API, 500 ms for AWS Outposts.</value>
    public TimeSpan RetryBaseDelay { get; set; }

    /// <summary>Gets or sets how long one attempt may take before it counts as a transport timeout.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = UpstreamClientDefaults.AttemptTimeout;

    /// <summary>
    /// Gets or sets how long one call may take in all (every attempt and retry delay, and a token refresh where the
    /// provider needs one), not counting waits for a rate-limit permit. An upstream that accepts the connection and
    /// never answers fails after this, with a message naming <c>CallTimeout</c>.
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan CallTimeout { get; set; } = UpstreamClientDefaults.CallTimeout;

    /// <summary>
    /// Gets or sets the most bytes read from one answer (of any operation, token endpoints included); a larger one is
    /// a protocol error, read no further.
    /// </summary>
    /// <value>The default is 4 MiB (4,194,304 bytes), far above any documented answer.</value>
    [Range(1024, int.MaxValue)]
    public long MaxResponseBytes { get; set; } = UpstreamClientDefaults.MaxResponseBytes;

    /// <summary>Checks the rules of these settings, then the provider's own (<see cref="ValidateProviderOptions"/>).</summary>
    /// <param name="validationContext">The validation context.</param>
    /// <returns>One result per broken rule, naming the setting.</returns>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ValidateUpstreamOptions().Concat(ValidateProviderOptions(validationContext));

    /// <summary>Checks the rules of the provider's own settings.</summary>
    /// <param name="validationContext">The validation context.</param>
    /// <returns>One result per broken rule, naming the setting; none by default.</returns>
    protected virtual IEnumerable<ValidationResult> ValidateProviderOptions(ValidationContext validationContext) => [];

    private IEnumerable<ValidationResult> ValidateUpstreamOptions()
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

        if (Endpoint is { } endpoint && !(endpoint.IsAbsoluteUri && endpoint.Scheme is "http" or "https"))
        {
            yield return new ValidationResult("Endpoint must be an absolute http or https URI, such as the address of a proxy or of the emulator.", [nameof(Endpoint)]);
        }
    }
}
