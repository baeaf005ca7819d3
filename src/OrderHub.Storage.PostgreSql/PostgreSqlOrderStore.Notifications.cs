using Npgsql;
using NpgsqlTypes;
using OrderHub.Sync;

namespace OrderHub.Storage.PostgreSql;

/// <summary>The change notifications acted on, in <c>orderhub_order_notifications</c> beside the orders.</summary>
public sealed partial class PostgreSqlOrderStore
{
    /// <inheritdoc />
    public Task<NotificationLookup> LookUpNotificationAsync(string source, string notificationId, string orderId, CancellationToken cancellationToken = default) =>
        GuardAsync(
            async () =>
            {
                using var query = _dataSource.CreateCommand(
                    """
                    SELECT EXISTS (SELECT 1 FROM orderhub_order_notifications WHERE source = @source AND notification_id = @notification),
                           o.last_updated_at, o.partial, o.order_id IS NOT NULL
                    FROM (SELECT 1) AS one LEFT JOIN orderhub_orders o ON o.source = @source AND o.order_id = @id
                    """);
                query.Parameters.AddWithValue("source", source);
                query.Parameters.AddWithValue("notification", notificationId);
                query.Parameters.AddWithValue("id", orderId);
                using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new NotificationLookup(
                    reader.GetBoolean(0),
                    reader.GetBoolean(3),
                    reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                    !reader.IsDBNull(2) && reader.GetBoolean(2));
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Two consumers that received the same notification (two machines on one queue) both try to record it: the second
    /// waits for the first's transaction, then finds it recorded and writes nothing.
    /// </remarks>
    public Task<NotificationCommit> CommitNotificationAsync(string source, string notificationId, Order? order, CancellationToken cancellationToken = default) =>
        GuardAsync(
            async () =>
            {
                ArgumentException.ThrowIfNullOrEmpty(source);
                ArgumentException.ThrowIfNullOrEmpty(notificationId);
                if (order is not null && !string.Equals(order.Source, source, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The order is from source '{order.Source}', not '{source}'.", nameof(order));
                }

                using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var now = _timeProvider.GetUtcNow();
                using (var record = new NpgsqlCommand(
                    "INSERT INTO orderhub_order_notifications (source, notification_id, seen_at) VALUES (@source, @notification, @now) ON CONFLICT DO NOTHING",
                    connection,
                    transaction))
                {
                    record.Parameters.AddWithValue("source", source);
                    record.Parameters.AddWithValue("notification", notificationId);
                    record.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
                    if (await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return new NotificationCommit(Duplicate: true, Outcome: null);
                    }
                }

                StoreOutcome? outcome = null;
                if (order is not null)
                {
                    var changes = new List<PendingChange>();
                    outcome = (await UpsertAsync(connection, transaction, [StoredOrderRow.Of(order)], now, changes, cancellationToken).ConfigureAwait(false))[0];
                    await AppendChangesAsync(connection, transaction, changes, now, cancellationToken).ConfigureAwait(false);
                }

                await PruneIfDueAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new NotificationCommit(Duplicate: false, outcome);
            },
            cancellationToken);
}
