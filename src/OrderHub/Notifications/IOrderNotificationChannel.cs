namespace OrderHub;

/// <summary>
/// Where an upstream says that orders changed, as it happens (Selling Partner's <c>ORDER_CHANGE</c> notifications in an
/// Amazon SQS queue). A notice names the order and when it changed, not what it became: the order is read again in
/// full through its source. Delivery is at least once: a notice is received until it is acknowledged, so a consumer
/// acknowledges only after what it did with it is stored, and drops the duplicates it sees again by
/// <see cref="OrderNotice.NotificationId"/>.
/// </summary>
/// <remarks>
/// A message the channel cannot understand is never thrown at the consumer: it is logged (by its message id, never its
/// content) and left unacknowledged, for the queue's redrive policy to set aside.
/// </remarks>
public interface IOrderNotificationChannel
{
    /// <summary>Gets the name of the source whose orders the notices are about.</summary>
    string Source { get; }

    /// <summary>Gets where the notices come from, for messages and logs (a queue's URL, without any credential).</summary>
    string Address { get; }

    /// <summary>
    /// Waits for notices (a long poll) and returns those that arrived, at most <paramref name="maxCount"/>; none when the
    /// wait ends without any. Each stays invisible to other receivers for a while, then is received again unless acknowledged.
    /// </summary>
    /// <param name="maxCount">The most notices to take at once (at least 1).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The notices received, in the order the channel gave them.</returns>
    /// <exception cref="OrderSourceUnavailableException">The channel cannot be reached now; the message says why.</exception>
    /// <exception cref="OrderSourceAuthenticationException">The channel refused the credentials.</exception>
    Task<IReadOnlyList<OrderNotice>> ReceiveAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Acknowledges a notice: it is never received again.</summary>
    /// <param name="notice">A notice <see cref="ReceiveAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the channel has forgotten the notice.</returns>
    /// <exception cref="OrderSourceUnavailableException">The channel cannot be reached now: the notice will be received again.</exception>
    Task AcknowledgeAsync(OrderNotice notice, CancellationToken cancellationToken = default);
}

/// <summary>One notice that an order changed.</summary>
public sealed record OrderNotice
{
    /// <summary>Gets the notification's unique id, the same in every delivery of it.</summary>
    public required string NotificationId { get; init; }

    /// <summary>Gets the order's id at its source.</summary>
    public required string OrderId { get; init; }

    /// <summary>Gets when the order changed, when the notice says.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>Gets the kind of change in the upstream's words (for example <c>OrderStatusChange</c>), when given.</summary>
    public string? ChangeType { get; init; }

    /// <summary>Gets the order's status after the change in the upstream's words, when given.</summary>
    public string? UpstreamStatus { get; init; }

    /// <summary>Gets when the upstream published the notice, when given.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>Gets how many times the channel has delivered this message, this delivery included, when it counts.</summary>
    public int? DeliveryCount { get; init; }

    /// <summary>Gets what the channel needs to acknowledge this delivery (an SQS receipt handle); opaque to callers.</summary>
    public required string Receipt { get; init; }

    /// <summary>Returns the notice without its receipt.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"notification {NotificationId}: order {OrderId} changed{(ChangedAt is { } at ? $" at {at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}" : string.Empty)}{(ChangeType is { } type ? $" ({type})" : string.Empty)}";
}
