namespace OrderHub.Events;

/// <summary>The defaults of webhook delivery, said in the options' documentation.</summary>
internal static class WebhookDefaults
{
    /// <summary>The configuration section the subscriptions are read from, one child per subscription.</summary>
    public const string SectionName = "OrderHub:Webhooks";

    /// <summary>The prefix of the change log consumer that stores a subscription's position.</summary>
    public const string ConsumerPrefix = "webhook:";

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> that delivers.</summary>
    public const string HttpClientName = "OrderHub.Webhooks";

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan RetryHorizon = TimeSpan.FromHours(24);

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>How many entries one read of the change log takes.</summary>
    public const int PageSize = 100;

    /// <summary>How long an idle subscription waits on the store before it looks for a replay (<c>orderhub webhooks replay</c>).</summary>
    public static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);

    /// <summary>The shortest and longest secret Standard Webhooks allows, in bytes.</summary>
    public const int MinSecretBytes = 24;

    public const int MaxSecretBytes = 64;

    /// <summary>The prefix of a Standard Webhooks secret.</summary>
    public const string SecretPrefix = "whsec_";
}
