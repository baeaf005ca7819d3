using Npgsql;
using NpgsqlTypes;
using OrderHub.Sync;

namespace OrderHub.Storage.PostgreSql;

/// <summary>The incremental syncs' cursors, in <c>orderhub_sync_cursors</c> beside the orders.</summary>
public sealed partial class PostgreSqlOrderStore
{
    private const string CursorColumns = "high_water_mark, completed_through, window_start, window_end, page_token, page_token_issued_at, pages_read, updated_at";

    /// <inheritdoc />
    public Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand($"SELECT {CursorColumns} FROM orderhub_sync_cursors WHERE source = @source AND scope = @scope");
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("scope", scope);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetDateTime(i), TimeSpan.Zero);
            return new SyncCursor
            {
                HighWaterMark = Time(0),
                CompletedThrough = Time(1),
                WindowStart = Time(2),
                WindowEnd = Time(3),
                PageToken = reader.IsDBNull(4) ? null : reader.GetString(4),
                PageTokenIssuedAt = Time(5),
                PagesRead = reader.GetInt32(6),
                UpdatedAt = Time(7)!.Value,
            };
        });

    /// <inheritdoc />
    public Task SaveCursorAsync(string source, string scope, SyncCursor cursor, CancellationToken cancellationToken = default) =>
        CommitPageAsync(source, scope, [], cursor, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoreOutcome>> CommitPageAsync(string source, string scope, IReadOnlyList<Order> orders, SyncCursor cursor, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(orders);
            ArgumentNullException.ThrowIfNull(cursor);
            var rows = orders.Select(Prepare).ToArray();
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var outcomes = await UpsertAsync(connection, transaction, rows, cancellationToken).ConfigureAwait(false);
            using (var save = new NpgsqlCommand(
                $"""
                INSERT INTO orderhub_sync_cursors (source, scope, {CursorColumns})
                VALUES (@source, @scope, @hw, @through, @start, @end, @token, @issued, @pages, @updated)
                ON CONFLICT (source, scope) DO UPDATE SET
                    high_water_mark = excluded.high_water_mark, completed_through = excluded.completed_through,
                    window_start = excluded.window_start, window_end = excluded.window_end, page_token = excluded.page_token,
                    page_token_issued_at = excluded.page_token_issued_at, pages_read = excluded.pages_read, updated_at = excluded.updated_at
                """,
                connection,
                transaction))
            {
                save.Parameters.AddWithValue("source", source);
                save.Parameters.AddWithValue("scope", scope);
                save.Parameters.Add(Time("hw", cursor.HighWaterMark));
                save.Parameters.Add(Time("through", cursor.CompletedThrough));
                save.Parameters.Add(Time("start", cursor.WindowStart));
                save.Parameters.Add(Time("end", cursor.WindowEnd));
                save.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = (object?)cursor.PageToken ?? DBNull.Value });
                save.Parameters.Add(Time("issued", cursor.PageTokenIssuedAt));
                save.Parameters.AddWithValue("pages", cursor.PagesRead);
                save.Parameters.Add(Time("updated", cursor.UpdatedAt));
                await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<StoreOutcome>)outcomes;
        });

    /// <inheritdoc />
    public Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand("DELETE FROM orderhub_sync_cursors WHERE source = @source AND scope = @scope");
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("scope", scope);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        });

    /// <inheritdoc />
    /// <remarks>A session advisory lock, on a connection of its own held until the holder is disposed: the server lets go when that connection ends, a dead worker's included.</remarks>
    public Task<IAsyncDisposable?> TryHoldCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", connection);
                command.Parameters.AddWithValue("key", $"orderhub-cursor|{source}|{scope}");
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return (IAsyncDisposable?)new CursorHold(connection);
                }
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        });

    private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } v ? v.UtcDateTime : DBNull.Value };

    // Closing the session releases its advisory locks; a pooled connection is reset (DISCARD ALL) on its return.
    private sealed class CursorHold(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await unlock.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and the lock with it.
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
