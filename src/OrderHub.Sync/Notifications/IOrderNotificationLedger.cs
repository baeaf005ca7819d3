namespace OrderHub.Sync;

/// <summary>
/// A store that remembers the change notifications it has acted on, beside the orders: a notification delivered again
/// (queues deliver at least once, and again after a restart) is recognised by its id and costs neither a read nor a
/// write. The order a notification brought and the notification's id are written in one transaction, so a consumer
/// killed at any moment neither loses a change nor stores it twice.
/// </summary>
/// <remarks>
/// Ids are kept for <see cref="Retention"/> (14 days, the longest an Amazon SQS queue keeps a message) after they were
/// recorded, then forgotten: no queue delivers a message older than that.
/// </remarks>
public interface IOrderNotificationLedger
{
    /// <summary>How long a notification's id is remembered: 14 days.</summary>
    static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    /// <summary>Reads what the store knows for a notification: whether it was acted on, and the stored copy of its order.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="notificationId">The notification's id.</param>
    /// <param name="orderId">The order the notification is about.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the store knows.</returns>
    Task<NotificationLookup> LookUpNotificationAsync(string source, string notificationId, string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the order a notification brought (under the store's usual rules: no older copy over a newer one, the change
    /// log written with it) and records the notification as acted on, in one transaction. A notification recorded already
    /// stores nothing.
    /// </summary>
    /// <param name="source">The source's name.</param>
    /// <param name="notificationId">The notification's id.</param>
    /// <param name="order">The order as read after the notification; <see langword="null"/> to record the notification alone (the stored copy was already as new).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened to the order, or <see langword="null"/> when nothing was stored.</returns>
    Task<NotificationCommit> CommitNotificationAsync(string source, string notificationId, Order? order, CancellationToken cancellationToken = default);
}

/// <summary>What a store knows for a notification.</summary>
/// <param name="Seen">Whether the notification was acted on already.</param>
/// <param name="Stored">Whether its order is stored.</param>
/// <param name="StoredLastUpdatedAt">The stored copy's last update, when stored and known.</param>
/// <param name="StoredPartial">Whether the stored copy is partial (read from a bulk export).</param>
public sealed record NotificationLookup(bool Seen, bool Stored, DateTimeOffset? StoredLastUpdatedAt, bool StoredPartial);

/// <summary>What <see cref="IOrderNotificationLedger.CommitNotificationAsync"/> did.</summary>
/// <param name="Duplicate">Whether the notification had been recorded already, so nothing was written.</param>
/// <param name="Outcome">What happened to the order, when one was given and written.</param>
public sealed record NotificationCommit(bool Duplicate, StoreOutcome? Outcome);
