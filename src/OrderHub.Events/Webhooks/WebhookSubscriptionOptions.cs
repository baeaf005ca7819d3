using System.Globalization;
using System.Text.Json;
using OrderHub.Sync;

namespace OrderHub.Events;

/// <summary>
/// One webhook subscription (<c>OrderHub:Webhooks:&lt;name&gt;</c>): where the changes of the stored orders are sent,
/// signed with which secret, and which of them.
/// </summary>
/// <remarks>
/// Each change the subscription selects is sent as one CloudEvents 1.0 JSON event (<see cref="OrderChangeEvents"/>),
/// signed as Standard Webhooks specifies. The filters work as the query's do: every list given must match, an empty
/// list matches everything, and a list matches an order that has any of its values.
/// </remarks>
public sealed class WebhookSubscriptionOptions
{
    /// <summary>Gets or sets the receiver: an absolute <c>https</c> URL (<c>http</c> only on a loopback address, or with <see cref="AllowUnencryptedHttp"/>).</summary>
    /// <value>Required. Never changed by an event's content, and a redirect it answers is never followed.</value>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the signing secret, as Standard Webhooks writes it: <c>whsec_</c> and 24 to 64 bytes in base64.</summary>
    /// <value>Required. Never logged, never in an exception message or <see cref="ToString"/>.</value>
    public string? Secret { get; set; }

    /// <summary>Gets the event types to send (<c>orderhub.order.created</c>, <c>orderhub.order.updated</c>).</summary>
    /// <value>The default is empty: both.</value>
    public IList<string> EventTypes { get; } = [];

    /// <summary>Gets the sources whose orders' changes are sent (for example <c>sp-api</c>).</summary>
    /// <value>The default is empty: every source.</value>
    public IList<string> Sources { get; } = [];

    /// <summary>Gets the accounts whose orders' changes are sent (marketplace ids, Outpost ids).</summary>
    /// <value>The default is empty: every account.</value>
    public IList<string> Accounts { get; } = [];

    /// <summary>Gets the unified statuses (after the change) whose changes are sent, by name (<c>Shipped</c>).</summary>
    /// <value>The default is empty: every status.</value>
    public IList<string> Statuses { get; } = [];

    /// <summary>Gets or sets how long one attempt may take before it counts as failed.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = WebhookDefaults.AttemptTimeout;

    /// <summary>
    /// Gets or sets how long a change may go undelivered before the subscription is marked failing (kept in the
    /// store, shown by <c>orderhub webhooks status</c>). Delivery goes on after it, every <see cref="MaxRetryDelay"/>;
    /// the backlog is kept.
    /// </summary>
    /// <value>The default is 24 hours.</value>
    public TimeSpan RetryHorizon { get; set; } = WebhookDefaults.RetryHorizon;

    /// <summary>Gets or sets the longest wait between two attempts; waits grow exponentially, with jitter, up to it.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxRetryDelay { get; set; } = WebhookDefaults.MaxRetryDelay;

    /// <summary>Gets or sets a value indicating whether an <c>http</c> URL on a host other than loopback is accepted (order data then travels unencrypted).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowUnencryptedHttp { get; set; }

    /// <summary>Returns the receiver's host and the filters; never the secret, the URL's path or its query.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"WebhookSubscriptionOptions {{ Host = {Url?.Host}, EventTypes = {EventTypes.Count}, Sources = {Sources.Count}, Accounts = {Accounts.Count}, Statuses = {Statuses.Count}, Secret = {(string.IsNullOrEmpty(Secret) ? "none" : "set")} }}");

    /// <summary>Tells whether a change is one this subscription sends: its type, its order's source, account and status after it.</summary>
    /// <param name="change">The change log entry.</param>
    /// <returns><see langword="true"/> when every filter given matches.</returns>
    public bool Selects(OrderChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (EventTypes.Count > 0 && !EventTypes.Contains(OrderChangeEvents.TypeOf(change.Kind), StringComparer.Ordinal))
        {
            return false;
        }

        if (Sources.Count > 0 && !Sources.Contains(change.Reference.Source, StringComparer.Ordinal))
        {
            return false;
        }

        if (Statuses.Count > 0 && !Statuses.Contains(change.StatusAfter.ToString(), StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        return Accounts.Count == 0 || (AccountOf(change) is { } account && Accounts.Contains(account, StringComparer.Ordinal));
    }

    /// <summary>The order's account, from its public JSON; <see langword="null"/> when it has none or the store no longer holds the order.</summary>
    private static string? AccountOf(OrderChange change)
    {
        if (change.PublicJson is not { } json)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("accountId", out var account) && account.ValueKind == JsonValueKind.String ? account.GetString() : null;
    }
}
