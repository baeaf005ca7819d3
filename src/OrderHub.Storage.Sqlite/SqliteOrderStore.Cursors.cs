using Microsoft.Data.Sqlite;
using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>The incremental syncs' cursors, in the <c>sync_cursors</c> table beside the orders.</summary>
public sealed partial class SqliteOrderStore
{
    private const string CursorTable = "sync_cursors";

    /// <inheritdoc />
    public Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var connection = OpenReader();
            using var query = connection.CreateCommand();
            query.CommandText = SyncCursorRows.SelectSql(CursorTable);
            SyncCursorRows.BindKey(query, source, scope);
            using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? SyncCursorRows.Read(reader, static (row, i) => ParseTimestamp(row.GetString(i)))
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
            var prepared = orders.Select(StoredOrderRow.Of).ToArray();
            var outcomes = new StoreOutcome[prepared.Length];
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var transaction = _writer.BeginTransaction();
                using (var commands = new CommitCommands(_writer, transaction, string.Empty, Timestamp(_timeProvider.GetUtcNow())))
                {
                    for (var i = 0; i < prepared.Length; i++)
                    {
                        outcomes[i] = await commands.UpsertAsync(prepared[i], cancellationToken).ConfigureAwait(false);
                    }
                }

                using var save = _writer.CreateCommand();
                save.Transaction = transaction;
                save.CommandText = SyncCursorRows.UpsertSql(CursorTable);
                SyncCursorRows.Bind(save, source, scope, cursor, static (name, value) => new SqliteParameter(name, SqliteType.Text) { Value = value is { } v ? Timestamp(v) : DBNull.Value });
                await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await PruneIfDueAsync(transaction, cancellationToken).ConfigureAwait(false);
                transaction.Commit();
                return (IReadOnlyList<StoreOutcome>)outcomes;
            }
            finally
            {
                _writeGate.Release();
            }
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var delete = _writer.CreateCommand();
                delete.CommandText = SyncCursorRows.DeleteSql(CursorTable);
                SyncCursorRows.BindKey(delete, source, scope);
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            }
            finally
            {
                _writeGate.Release();
            }
        },
        cancellationToken);

    /// <inheritdoc />
    /// <remarks>An exclusive lock on a file beside the database (<c>&lt;database&gt;.cursor-&lt;hash&gt;.lock</c>, left in place), which the operating system releases when the holding process ends.</remarks>
    public async Task<IAsyncDisposable?> TryHoldCursorAsync(string source, string scope, CancellationToken cancellationToken = default)
    {
        await _calls.EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{source}|{scope}")), 0, 8);
        var lockPath = $"{System.IO.Path.GetFullPath(_path)}.cursor-{key}.lock";
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException)
        {
            return null; // held by another process
        }
    }
}
