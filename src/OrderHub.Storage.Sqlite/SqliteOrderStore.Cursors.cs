using Microsoft.Data.Sqlite;
using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>The incremental syncs' cursors, in the <c>sync_cursors</c> table beside the orders.</summary>
public sealed partial class SqliteOrderStore
{
    private const string CursorColumns = "high_water_mark, completed_through, window_start, window_end, page_token, page_token_issued_at, pages_read, updated_at";

    /// <inheritdoc />
    public Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var connection = OpenReader();
            using var query = connection.CreateCommand();
            query.CommandText = $"SELECT {CursorColumns} FROM sync_cursors WHERE source = $source AND scope = $scope";
            query.Parameters.AddWithValue("$source", source);
            query.Parameters.AddWithValue("$scope", scope);
            using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : ParseTimestamp(reader.GetString(i));
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
            var prepared = orders.Select(Prepare).ToArray();
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
                save.CommandText = $"""
                    INSERT INTO sync_cursors (source, scope, {CursorColumns})
                    VALUES ($source, $scope, $hw, $through, $start, $end, $token, $issued, $pages, $updated)
                    ON CONFLICT (source, scope) DO UPDATE SET
                        high_water_mark = excluded.high_water_mark, completed_through = excluded.completed_through,
                        window_start = excluded.window_start, window_end = excluded.window_end, page_token = excluded.page_token,
                        page_token_issued_at = excluded.page_token_issued_at, pages_read = excluded.pages_read, updated_at = excluded.updated_at
                    """;
                save.Parameters.AddWithValue("$source", source);
                save.Parameters.AddWithValue("$scope", scope);
                save.Parameters.AddWithValue("$hw", Nullable(cursor.HighWaterMark));
                save.Parameters.AddWithValue("$through", Nullable(cursor.CompletedThrough));
                save.Parameters.AddWithValue("$start", Nullable(cursor.WindowStart));
                save.Parameters.AddWithValue("$end", Nullable(cursor.WindowEnd));
                save.Parameters.AddWithValue("$token", (object?)cursor.PageToken ?? DBNull.Value);
                save.Parameters.AddWithValue("$issued", Nullable(cursor.PageTokenIssuedAt));
                save.Parameters.AddWithValue("$pages", cursor.PagesRead);
                save.Parameters.AddWithValue("$updated", Timestamp(cursor.UpdatedAt));
                await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                transaction.Commit();
                return (IReadOnlyList<StoreOutcome>)outcomes;
            }
            finally
            {
                _writeGate.Release();
            }
        });

    /// <inheritdoc />
    public Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var delete = _writer.CreateCommand();
                delete.CommandText = "DELETE FROM sync_cursors WHERE source = $source AND scope = $scope";
                delete.Parameters.AddWithValue("$source", source);
                delete.Parameters.AddWithValue("$scope", scope);
                return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            }
            finally
            {
                _writeGate.Release();
            }
        });

    /// <inheritdoc />
    /// <remarks>An exclusive lock on a file beside the database (<c>&lt;database&gt;.cursor-&lt;hash&gt;.lock</c>, left in place), which the operating system releases when the holding process ends.</remarks>
    public Task<IAsyncDisposable?> TryHoldCursorAsync(string source, string scope, CancellationToken cancellationToken = default)
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{source}|{scope}")), 0, 8);
        var lockPath = $"{System.IO.Path.GetFullPath(_path)}.cursor-{key}.lock";
        try
        {
            var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            return Task.FromResult<IAsyncDisposable?>(stream);
        }
        catch (IOException)
        {
            return Task.FromResult<IAsyncDisposable?>(null); // held by another process
        }
    }

    private static object Nullable(DateTimeOffset? value) => value is { } v ? Timestamp(v) : DBNull.Value;
}
