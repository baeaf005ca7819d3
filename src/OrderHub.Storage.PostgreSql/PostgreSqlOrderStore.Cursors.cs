using Npgsql;
using NpgsqlTypes;
using OrderHub.Sync;

namespace OrderHub.Storage.PostgreSql;

/// <summary>The incremental syncs' cursors, in <c>orderhub_sync_cursors</c> beside the orders.</summary>
public sealed partial class PostgreSqlOrderStore
{
    private const string CursorTable = "orderhub_sync_cursors";

    /// <inheritdoc />
    public Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand(SyncCursorRows.SelectSql(CursorTable));
            SyncCursorRows.BindKey(command, source, scope);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? SyncCursorRows.Read(reader, static (row, i) => new DateTimeOffset(row.GetDateTime(i), TimeSpan.Zero))
                : null;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task SaveCursorAsync(string source, string scope, SyncCursor cursor, CancellationToken cancellationToken = default) =>
        CommitPageAsync(source, scope, [], cursor, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoreOutcome>> CommitPageAsync(string source, string scope, IReadOnlyList<Order> orders, SyncCursor cursor, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(orders);
            ArgumentNullException.ThrowIfNull(cursor);
            var rows = orders.Select(StoredOrderRow.Of).ToArray();
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var changes = new List<PendingChange>();
            var outcomes = await UpsertAsync(connection, transaction, rows, now, changes, cancellationToken).ConfigureAwait(false);
            using (var save = new NpgsqlCommand(SyncCursorRows.UpsertSql(CursorTable), connection, transaction))
            {
                SyncCursorRows.Bind(save, source, scope, cursor, Time);
                await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await AppendChangesAsync(connection, transaction, changes, now, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<StoreOutcome>)outcomes;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand(SyncCursorRows.DeleteSql(CursorTable));
            SyncCursorRows.BindKey(command, source, scope);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        },
        cancellationToken);

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
        },
        cancellationToken);

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
