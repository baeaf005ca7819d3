using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>The change notifications acted on, in the <c>order_notifications</c> table beside the orders.</summary>
public sealed partial class SqliteOrderStore
{
    /// <inheritdoc />
    public Task<NotificationLookup> LookUpNotificationAsync(string source, string notificationId, string orderId, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var connection = OpenReader();
            using var query = connection.CreateCommand();
            query.CommandText = """
                SELECT EXISTS (SELECT 1 FROM order_notifications WHERE source = $source AND notification_id = $notification),
                       o.last_updated_at, o.partial, o.order_id IS NOT NULL
                FROM (SELECT 1) LEFT JOIN orders o ON o.source = $source AND o.order_id = $id
                """;
            query.Parameters.AddWithValue("$source", source);
            query.Parameters.AddWithValue("$notification", notificationId);
            query.Parameters.AddWithValue("$id", orderId);
            using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new NotificationLookup(
                reader.GetInt64(0) == 1,
                reader.GetInt64(3) == 1,
                reader.IsDBNull(1) ? null : ParseTimestamp(reader.GetString(1)),
                !reader.IsDBNull(2) && reader.GetInt64(2) == 1);
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<NotificationCommit> CommitNotificationAsync(string source, string notificationId, Order? order, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(source);
            ArgumentException.ThrowIfNullOrEmpty(notificationId);
            if (order is not null && !string.Equals(order.Source, source, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The order is from source '{order.Source}', not '{source}'.", nameof(order));
            }

            var row = order is null ? null : StoredOrderRow.Of(order);
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var now = Timestamp(_timeProvider.GetUtcNow());
                using var transaction = _writer.BeginTransaction();
                using (var record = _writer.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO order_notifications (source, notification_id, seen_at) VALUES ($source, $notification, $now) ON CONFLICT DO NOTHING";
                    record.Parameters.AddWithValue("$source", source);
                    record.Parameters.AddWithValue("$notification", notificationId);
                    record.Parameters.AddWithValue("$now", now);
                    if (await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    {
                        return new NotificationCommit(Duplicate: true, Outcome: null);
                    }
                }

                StoreOutcome? outcome = null;
                if (row is not null)
                {
                    using var commands = new CommitCommands(_writer, transaction, string.Empty, now);
                    outcome = await commands.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
                }

                await PruneIfDueAsync(transaction, cancellationToken).ConfigureAwait(false);
                transaction.Commit();
                return new NotificationCommit(Duplicate: false, outcome);
            }
            finally
            {
                _writeGate.Release();
            }
        },
        cancellationToken);
}
