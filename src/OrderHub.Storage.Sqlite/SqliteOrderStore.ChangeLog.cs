using Microsoft.Data.Sqlite;
using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>The change log (<see cref="IOrderChangeLog"/>), in <c>order_changes</c> beside the orders.</summary>
public sealed partial class SqliteOrderStore
{
    // When the write path prunes next, on the store's clock; read and written under the write gate.
    private long _nextPruneAt = long.MinValue;

    /// <inheritdoc />
    public Task<OrderChangeLogPage> ReadAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateRead(after, limit);
        return GuardAsync(
            async () =>
            {
                using var connection = OpenReader();
                // One snapshot for the pruned mark and the entries: a prune between them cannot open a silent gap.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var state = connection.CreateCommand();
                state.Transaction = transaction;
                state.CommandText = "SELECT pruned_through FROM change_log_state";
                var prunedThrough = (long)(await state.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                if (after < prunedThrough)
                {
                    throw new OrderChangePositionExpiredException(after, prunedThrough);
                }

                using var read = connection.CreateCommand();
                read.Transaction = transaction;
                read.CommandText = """
                    SELECT c.position, c.source, c.order_id, c.kind, c.status_before, c.status_after, c.changed_at, o.public_size, o.document
                    FROM order_changes c LEFT JOIN orders o ON o.source = c.source AND o.order_id = c.order_id
                    WHERE c.position > $after ORDER BY c.position LIMIT $limit
                    """;
                read.Parameters.AddWithValue("$after", after);
                read.Parameters.AddWithValue("$limit", limit);
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
                            ParseTimestamp(reader.GetString(6)),
                            reader.IsDBNull(7) ? null : StoredDocument.ReadPublic((byte[])reader.GetValue(8), reader.GetInt32(7))));
                    }
                }

                transaction.Commit();
                return new OrderChangeLogPage(changes, changes.Count > 0 ? changes[^1].Position : after);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// SQLite tells no other connection of a commit, so the wait looks for a newer entry every 100 milliseconds on the
    /// store's clock: a read of the table's last row id on a pooled connection, nothing noticeable while idle.
    /// </remarks>
    public Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateWait(after, timeout);
        return GuardAsync(
            async () =>
            {
                var started = _timeProvider.GetTimestamp();
                using var connection = OpenReader();
                using var look = connection.CreateCommand();
                look.CommandText = "SELECT EXISTS (SELECT 1 FROM order_changes WHERE position > $after)";
                look.Parameters.AddWithValue("$after", after);
                while (true)
                {
                    if ((long)(await look.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! != 0)
                    {
                        return true;
                    }

                    var left = timeout - _timeProvider.GetElapsedTime(started);
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    await Task.Delay(left < ChangeLogRows.PollInterval ? left : ChangeLogRows.PollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<long> PruneAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(
            async () =>
            {
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    using var transaction = _writer.BeginTransaction();
                    var prunedThrough = await PruneCoreAsync(transaction, cancellationToken).ConfigureAwait(false);
                    transaction.Commit();
                    return prunedThrough;
                }
                finally
                {
                    _writeGate.Release();
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<long?> GetConsumerPositionAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return GuardAsync(
            async () =>
            {
                using var connection = OpenReader();
                using var query = connection.CreateCommand();
                query.CommandText = "SELECT position FROM order_change_consumers WHERE name = $name";
                query.Parameters.AddWithValue("$name", name);
                return await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : (long?)null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task SetConsumerPositionAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateConsumer(name, position);
        return WriteConsumerAsync(
            """
            INSERT INTO order_change_consumers (name, position, updated_at) VALUES ($name, $position, $now)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """,
            name,
            parameters => parameters.AddWithValue("$position", position),
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> AdvanceConsumerPositionAsync(string name, long expected, long position, CancellationToken cancellationToken = default)
    {
        ChangeLogRows.ValidateConsumer(name, position);
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        return await WriteConsumerAsync(
            "UPDATE order_change_consumers SET position = $position, updated_at = $now WHERE name = $name AND position = $expected",
            name,
            parameters =>
            {
                parameters.AddWithValue("$position", position);
                parameters.AddWithValue("$expected", expected);
            },
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrderChangeConsumer>> GetConsumersAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(
            async () =>
            {
                using var connection = OpenReader();
                using var query = connection.CreateCommand();
                query.CommandText = "SELECT name, position, updated_at, failing_since, failure FROM order_change_consumers ORDER BY name";
                var consumers = new List<OrderChangeConsumer>();
                using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    consumers.Add(new OrderChangeConsumer(
                        reader.GetString(0),
                        reader.GetInt64(1),
                        ParseTimestamp(reader.GetString(2)),
                        reader.IsDBNull(3) ? null : ParseTimestamp(reader.GetString(3)),
                        reader.IsDBNull(4) ? null : reader.GetString(4)));
                }

                return (IReadOnlyList<OrderChangeConsumer>)consumers;
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<bool> SetConsumerFailureAsync(string name, string? failure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return await WriteConsumerAsync(
            """
            UPDATE order_change_consumers SET failure = $failure,
                failing_since = CASE WHEN $failure IS NULL THEN NULL ELSE coalesce(failing_since, $now) END
            WHERE name = $name
            """,
            name,
            parameters => parameters.AddWithValue("$failure", (object?)failure ?? DBNull.Value),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Runs one statement on a consumer's row through the writer (<c>$name</c> and <c>$now</c> bound), returning the rows it changed.</summary>
    private Task<int> WriteConsumerAsync(string sql, string name, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken) =>
        GuardAsync(
            async () =>
            {
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    using var save = _writer.CreateCommand();
                    save.CommandText = sql;
                    save.Parameters.AddWithValue("$name", name);
                    save.Parameters.AddWithValue("$now", Timestamp(_timeProvider.GetUtcNow()));
                    bind(save.Parameters);
                    return await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _writeGate.Release();
                }
            },
            cancellationToken);

    // The write paths prune in their own transaction, at most once a minute, so retention needs no timer of its own.
    private async Task PruneIfDueAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        if (_timeProvider.GetTimestamp() < _nextPruneAt)
        {
            return;
        }

        await PruneCoreAsync(transaction, cancellationToken).ConfigureAwait(false);
        _nextPruneAt = _timeProvider.GetTimestamp() + (long)(ChangeLogRows.PruneInterval.TotalSeconds * _timeProvider.TimestampFrequency);
    }

    // Entries are removed as a prefix of positions (through the last one older than the retention), so everything at
    // or below the remembered mark is gone and everything above it is kept, even if the clock once stepped back.
    private async Task<long> PruneCoreAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var prune = _writer.CreateCommand();
        prune.Transaction = transaction;
        prune.CommandText = """
            UPDATE change_log_state SET pruned_through = MAX(pruned_through, COALESCE((SELECT MAX(position) FROM order_changes WHERE changed_at < $cutoff), 0));
            DELETE FROM order_changes WHERE position <= (SELECT pruned_through FROM change_log_state);
            DELETE FROM order_notifications WHERE seen_at < $notificationCutoff;
            """;
        prune.Parameters.AddWithValue("$cutoff", Timestamp(_timeProvider.GetUtcNow() - _changeLogRetention));
        prune.Parameters.AddWithValue("$notificationCutoff", Timestamp(_timeProvider.GetUtcNow() - IOrderNotificationLedger.Retention));
        await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        using var mark = _writer.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = "SELECT pruned_through FROM change_log_state";
        return (long)(await mark.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
