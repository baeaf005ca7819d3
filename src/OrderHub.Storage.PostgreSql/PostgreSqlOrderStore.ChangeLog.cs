using System.Data;
using Npgsql;
using NpgsqlTypes;
using OrderHub.Sync;

namespace OrderHub.Storage.PostgreSql;

/// <summary>The change log (<see cref="IOrderChangeLog"/>), in <c>orderhub_order_changes</c> beside the orders.</summary>
public sealed partial class PostgreSqlOrderStore : IOrderChangeLog
{
    private const string ChangesChannel = "orderhub_changes";

    // When this process's write path prunes next, on the store's clock (Interlocked: writes run concurrently).
    private long _nextPruneAt = long.MinValue;

    /// <inheritdoc />
    public Task<OrderChangeLogPage> ReadAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateRead(after, limit);
        return GuardAsync(
            async () =>
            {
                using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                // One snapshot for the pruned mark and the entries: a prune between them cannot open a silent gap.
                using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                using (var state = new NpgsqlCommand("SELECT pruned_through FROM orderhub_change_log_state", connection, transaction))
                {
                    var prunedThrough = (long)(await state.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    if (after < prunedThrough)
                    {
                        throw new OrderChangePositionExpiredException(after, prunedThrough);
                    }
                }

                using var read = new NpgsqlCommand(
                    """
                    SELECT c.position, c.source, c.order_id, c.kind, c.status_before, c.status_after, c.changed_at, o.public_size, o.document
                    FROM orderhub_order_changes c LEFT JOIN orderhub_orders o ON o.source = c.source AND o.order_id = c.order_id
                    WHERE c.position > @after ORDER BY c.position LIMIT @limit
                    """,
                    connection,
                    transaction);
                read.Parameters.AddWithValue("after", after);
                read.Parameters.AddWithValue("limit", limit);
                var changes = new List<OrderChange>(Math.Min(limit, 128));
                using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        changes.Add(new OrderChange(
                            reader.GetInt64(0),
                            new OrderReference(reader.GetString(1), reader.GetString(2)),
                            ChangeLogRows.ParseKind(reader.GetString(3)),
                            reader.IsDBNull(4) ? null : ChangeLogRows.ParseStatus(reader.GetString(4)),
                            ChangeLogRows.ParseStatus(reader.GetString(5)),
                            reader.GetFieldValue<DateTimeOffset>(6),
                            reader.IsDBNull(7) ? null : StoredDocument.ReadPublic(reader.GetFieldValue<byte[]>(8), reader.GetInt32(7))));
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new OrderChangeLogPage(changes, changes.Count > 0 ? changes[^1].Position : after);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Listens on <c>orderhub_changes</c>, which every writing transaction notifies, on a connection of its own; it
    /// looks once after LISTEN, so an entry committed just before is not missed.
    /// </remarks>
    public Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateWait(after, timeout);
        return GuardAsync(
            async () =>
            {
                var started = _timeProvider.GetTimestamp();
                using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                var notified = false;
                connection.Notification += (_, e) => notified |= long.TryParse(e.Payload, out var position) && position > after;
                try
                {
                    using (var listen = new NpgsqlCommand($"LISTEN {ChangesChannel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    using var look = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM orderhub_order_changes WHERE position > @after)", connection);
                    look.Parameters.AddWithValue("after", after);
                    if ((bool)(await look.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        return true;
                    }

                    while (!notified)
                    {
                        var left = timeout - _timeProvider.GetElapsedTime(started);
                        if (left <= TimeSpan.Zero)
                        {
                            return false;
                        }

                        // A real wait, bounded by the poll interval so a store on a fake clock sees its time advance.
                        var slice = left < ChangeLogRows.PollInterval ? left : ChangeLogRows.PollInterval;
                        await connection.WaitAsync(slice, cancellationToken).ConfigureAwait(false);
                    }

                    return true;
                }
                finally
                {
                    // The connection goes back to the pool: it must not keep listening.
                    using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                    await unlisten.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> PruneAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(
            async () =>
            {
                using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var prunedThrough = await PruneCoreAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return prunedThrough;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<long?> GetConsumerPositionAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return GuardAsync(
            async () =>
            {
                using var query = _dataSource.CreateCommand("SELECT position FROM orderhub_order_change_consumers WHERE name = @name");
                query.Parameters.AddWithValue("name", name);
                return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : (long?)null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetConsumerPositionAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateConsumer(name, position);
        return GuardAsync(
            async () =>
            {
                using var save = _dataSource.CreateCommand(
                    """
                    INSERT INTO orderhub_order_change_consumers (name, position, updated_at) VALUES (@name, @position, @now)
                    ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
                    """);
                save.Parameters.AddWithValue("name", name);
                save.Parameters.AddWithValue("position", position);
                save.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = _timeProvider.GetUtcNow().UtcDateTime });
                return await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> AdvanceConsumerPositionAsync(string name, long expected, long position, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateConsumer(name, position);
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        return await GuardAsync(
            async () =>
            {
                using var advance = _dataSource.CreateCommand(
                    "UPDATE orderhub_order_change_consumers SET position = @position, updated_at = @now WHERE name = @name AND position = @expected");
                advance.Parameters.AddWithValue("name", name);
                advance.Parameters.AddWithValue("position", position);
                advance.Parameters.AddWithValue("expected", expected);
                advance.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = _timeProvider.GetUtcNow().UtcDateTime });
                return await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrderChangeConsumer>> GetConsumersAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(
            async () =>
            {
                using var query = _dataSource.CreateCommand("SELECT name, position, updated_at, failing_since, failure FROM orderhub_order_change_consumers ORDER BY name COLLATE \"C\"");
                var consumers = new List<OrderChangeConsumer>();
                using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    consumers.Add(new OrderChangeConsumer(
                        reader.GetString(0),
                        reader.GetInt64(1),
                        reader.GetFieldValue<DateTimeOffset>(2),
                        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4)));
                }

                return (IReadOnlyList<OrderChangeConsumer>)consumers;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> SetConsumerFailureAsync(string name, string? failure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return GuardAsync(
            async () =>
            {
                using var save = _dataSource.CreateCommand(
                    """
                    UPDATE orderhub_order_change_consumers SET failure = @failure,
                        failing_since = CASE WHEN @failure::text IS NULL THEN NULL ELSE coalesce(failing_since, @now) END
                    WHERE name = @name
                    """);
                save.Parameters.AddWithValue("name", name);
                save.Parameters.Add(new NpgsqlParameter("failure", NpgsqlDbType.Text) { Value = (object?)failure ?? DBNull.Value });
                save.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = _timeProvider.GetUtcNow().UtcDateTime });
                return await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            },
            cancellationToken);
    }

    // The write paths prune in their own transaction, at most once per interval, so retention needs no timer of its own.
    private async Task PruneIfDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetTimestamp();
        var due = Interlocked.Read(ref _nextPruneAt);
        if (now < due || Interlocked.CompareExchange(ref _nextPruneAt, now + (long)(ChangeLogRows.PruneInterval.TotalSeconds * _timeProvider.TimestampFrequency), due) != due)
        {
            return;
        }

        await PruneCoreAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    // Entries are removed as a prefix of positions (through the last one older than the retention), so everything at
    // or below the remembered mark is gone and everything above it is kept, even if the clock once stepped back.
    private async Task<long> PruneCoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        using var prune = new NpgsqlCommand(
            """
            UPDATE orderhub_change_log_state SET pruned_through = GREATEST(pruned_through, COALESCE((SELECT max(position) FROM orderhub_order_changes WHERE changed_at < @cutoff), 0));
            DELETE FROM orderhub_order_changes WHERE position <= (SELECT pruned_through FROM orderhub_change_log_state);
            DELETE FROM orderhub_order_notifications WHERE seen_at < @notificationCutoff;
            SELECT pruned_through FROM orderhub_change_log_state;
            """,
            connection,
            transaction);
        prune.Parameters.Add(new NpgsqlParameter("cutoff", NpgsqlDbType.TimestampTz) { Value = (_timeProvider.GetUtcNow() - _options.ChangeLogRetention).UtcDateTime });
        prune.Parameters.Add(new NpgsqlParameter("notificationCutoff", NpgsqlDbType.TimestampTz) { Value = (_timeProvider.GetUtcNow() - IOrderNotificationLedger.Retention).UtcDateTime });
        return (long)(await prune.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
