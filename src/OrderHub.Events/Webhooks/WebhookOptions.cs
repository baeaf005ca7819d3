using System.Globalization;

namespace OrderHub.Events;

/// <summary>The webhook subscriptions <see cref="WebhookDeliverer"/> delivers, bound from <c>OrderHub:Webhooks</c> (one child per subscription).</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section the subscriptions are read from: <c>OrderHub:Webhooks:&lt;name&gt;:Url</c>, <c>...:Secret</c>.</summary>
    public const string SectionName = WebhookDefaults.SectionName;

    /// <summary>Gets the subscriptions, by name (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>; compared ignoring case).</summary>
    public IDictionary<string, WebhookSubscriptionOptions> Subscriptions { get; } = new Dictionary<string, WebhookSubscriptionOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the name of the change log consumer that stores a subscription's position (<see cref="Sync.IOrderChangeLog.GetConsumerPositionAsync"/>).</summary>
    /// <param name="subscription">The subscription's name.</param>
    /// <returns><c>webhook:</c> and the name, in lower case.</returns>
    public static string ConsumerName(string subscription)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription);
        return WebhookDefaults.ConsumerPrefix + subscription.Trim().ToLowerInvariant();
    }

    /// <summary>Returns how many subscriptions there are and their names; never a secret or a URL.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"WebhookOptions {{ Subscriptions = [{string.Join(", ", Subscriptions.Keys)}] }}");
}
