using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using OrderHub.Json;
using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>
/// The embedded order store: one SQLite file in WAL mode. Orders are keyed by (source, order id) and kept as their
/// unified JSON with indexed status, account and last-update columns; sync runs record each reference's state in the
/// same transaction that stores its order, so a run killed at any moment resumes without loss or duplicates.
/// </summary>
public sealed class SqliteOrderStore : IOrderStore, IAsyncDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SqliteConnection _writer;
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;

    private SqliteOrderStore(SqliteConnection writer, string connectionString, TimeProvider timeProvider)
    {
        _writer = writer;
        _connectionString = connectionString;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the schema version this code writes.</summary>
    public static int SchemaVersion => SqliteSchema.Migrations[^1].Version;

    /// <summary>Opens (creating if needed) a store file and brings its schema up to date.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeProvider">The clock for stored-at times; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store.</returns>
    public static async Task<SqliteOrderStore> OpenAsync(string path, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;", cancellationToken).ConfigureAwait(false);
        await MigrateAsync(writer, cancellationToken).ConfigureAwait(false);
        return new SqliteOrderStore(writer, connectionString, timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public async Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            return 0;
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction();
            using var next = _writer.CreateCommand();
            next.Transaction = transaction;
            next.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM sync_items WHERE run_id = $run";
            next.Parameters.AddWithValue("$run", runId);
            var seq = (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

            using var insert = _writer.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR IGNORE INTO sync_items (run_id, seq, source, order_id, state) VALUES ($run, $seq, $source, $id, 0)";
            insert.Parameters.AddWithValue("$run", runId);
            var seqParameter = insert.Parameters.Add("$seq", SqliteType.Integer);
            var source = insert.Parameters.Add("$source", SqliteType.Text);
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var added = 0;
            foreach (var reference in references)
            {
                seqParameter.Value = ++seq;
                source.Value = reference.Source;
                id.Value = reference.OrderId;
                added += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            transaction.Commit();
            return added;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT source, order_id FROM sync_items WHERE run_id = $run AND state IN (0, 2) ORDER BY seq";
        query.Parameters.AddWithValue("$run", runId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new OrderReference(reader.GetString(0), reader.GetString(1));
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        var outcomes = new StoreOutcome[results.Count];
        if (results.Count == 0)
        {
            return outcomes;
        }

        // Serialize and hash outside the lock: the writer is the bottleneck, not the CPU.
        var prepared = results.Select(r => r.Order is { } order ? Prepare(order) : null).ToArray();
        var now = Timestamp(_timeProvider.GetUtcNow());

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction();
            using var commands = new CommitCommands(_writer, transaction, runId, now);
            for (var i = 0; i < results.Count; i++)
            {
                var result = results[i];
                if (prepared[i] is { } row)
                {
                    outcomes[i] = await commands.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
                    await commands.MarkAsync(result.Reference, SyncItemState.Done, null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var failure = result.Failure ?? new SyncFailure(result.Reference, "No order and no failure was given.", "Unknown", 0, null, false);
                    outcomes[i] = StoreOutcome.Failed;
                    await commands.MarkAsync(result.Reference, failure.Permanent ? SyncItemState.FailedPermanent : SyncItemState.FailedRetryable, failure, cancellationToken).ConfigureAwait(false);
                }
            }

            transaction.Commit();
            return outcomes;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var row = Prepare(order);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction();
            using var commands = new CommitCommands(_writer, transaction, string.Empty, Timestamp(_timeProvider.GetUtcNow()));
            var outcome = await commands.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return outcome;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT json, content_hash, stored_at, public_json FROM orders WHERE source = $source AND order_id = $id";
        query.Parameters.AddWithValue("$source", source);
        query.Parameters.AddWithValue("$id", orderId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredOrder(
                new OrderReference(source, orderId),
                (byte[])reader.GetValue(0),
                reader.GetString(1),
                DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3))
            : null;
    }

    /// <summary>Counts the stored orders.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many orders are stored, by source.</returns>
    public async Task<IReadOnlyDictionary<string, int>> CountOrdersAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT source, COUNT(*) FROM orders GROUP BY source";
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT state, COUNT(*) FROM sync_items WHERE run_id = $run GROUP BY state";
        query.Parameters.AddWithValue("$run", runId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        int pending = 0, done = 0, failed = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = reader.GetInt32(1);
            switch ((SyncItemState)reader.GetInt32(0))
            {
                case SyncItemState.Done: done += count; break;
                case SyncItemState.FailedPermanent: failed += count; break;
                default: pending += count; break;
            }
        }

        return new SyncRunCounts(pending, done, failed);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT source, order_id, reason, error_type, attempts, request_id, state FROM sync_items WHERE run_id = $run AND state IN (2, 3) ORDER BY seq";
        query.Parameters.AddWithValue("$run", runId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var failures = new List<SyncFailure>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            failures.Add(new SyncFailure(
                new OrderReference(reader.GetString(0), reader.GetString(1)),
                reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                reader.IsDBNull(3) ? string.Empty : reader.GetString(3),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6) == (int)SyncItemState.FailedPermanent));
        }

        return failures;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writeGate.Dispose();
    }

    private static PreparedOrder Prepare(Order order)
    {
        var json = OrderJson.SerializeToUtf8Bytes(order, includeRaw: true);
        var publicJson = OrderJson.SerializeToUtf8Bytes(order.WithoutPersonalData());
        return new PreparedOrder(order, json, publicJson, OrderJson.ContentHash(json));
    }

    // Microsoft.Data.Sqlite opens synchronously (its OpenAsync only wraps Open); pooled connections make this cheap.
    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
        using var current = connection.CreateCommand();
        current.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The database has schema version {version}, newer than this OrderHub understands ({SchemaVersion}). Upgrade OrderHub.");
        }

        foreach (var (target, sql) in SqliteSchema.Migrations.Where(m => m.Version > version))
        {
            using var transaction = connection.BeginTransaction();
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = sql + $"; INSERT INTO schema_version (version) VALUES ({target.ToString(CultureInfo.InvariantCulture)});";
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed record PreparedOrder(Order Order, byte[] Json, byte[] PublicJson, string Hash);

    /// <summary>The statements of one commit, prepared once and reused for every row.</summary>
    private sealed class CommitCommands : IDisposable
    {
        private readonly SqliteCommand _hash;
        private readonly SqliteCommand _upsert;
        private readonly SqliteCommand _mark;

        public CommitCommands(SqliteConnection connection, SqliteTransaction transaction, string runId, string now)
        {
            _hash = connection.CreateCommand();
            _hash.Transaction = transaction;
            _hash.CommandText = "SELECT content_hash FROM orders WHERE source = $source AND order_id = $id";
            _hash.Parameters.Add("$source", SqliteType.Text);
            _hash.Parameters.Add("$id", SqliteType.Text);

            _upsert = connection.CreateCommand();
            _upsert.Transaction = transaction;
            _upsert.CommandText = """
                INSERT INTO orders (source, order_id, status, status_raw, account_id, last_updated_at, content_hash, json, public_json, stored_at)
                VALUES ($source, $id, $status, $raw, $account, $updated, $hash, $json, $public, $now)
                ON CONFLICT (source, order_id) DO UPDATE SET
                    status = excluded.status, status_raw = excluded.status_raw, account_id = excluded.account_id,
                    last_updated_at = excluded.last_updated_at, content_hash = excluded.content_hash,
                    json = excluded.json, public_json = excluded.public_json, stored_at = excluded.stored_at
                """;
            foreach (var name in new[] { "$source", "$id", "$status", "$raw", "$account", "$updated", "$hash" })
            {
                _upsert.Parameters.Add(name, SqliteType.Text);
            }

            _upsert.Parameters.Add("$json", SqliteType.Blob);
            _upsert.Parameters.Add("$public", SqliteType.Blob);
            _upsert.Parameters.AddWithValue("$now", now);

            _mark = connection.CreateCommand();
            _mark.Transaction = transaction;
            _mark.CommandText = """
                UPDATE sync_items SET state = $state, attempts = attempts + $attempts, reason = $reason, error_type = $type,
                    request_id = $request, updated_at = $now
                WHERE run_id = $run AND source = $source AND order_id = $id
                """;
            _mark.Parameters.AddWithValue("$run", runId);
            _mark.Parameters.AddWithValue("$now", now);
            _mark.Parameters.Add("$state", SqliteType.Integer);
            _mark.Parameters.Add("$attempts", SqliteType.Integer);
            foreach (var name in new[] { "$reason", "$type", "$request", "$source", "$id" })
            {
                _mark.Parameters.Add(name, SqliteType.Text);
            }
        }

        public async Task<StoreOutcome> UpsertAsync(PreparedOrder row, CancellationToken cancellationToken)
        {
            _hash.Parameters["$source"].Value = row.Order.Source;
            _hash.Parameters["$id"].Value = row.Order.OrderId;
            var existing = await _hash.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;

            _upsert.Parameters["$source"].Value = row.Order.Source;
            _upsert.Parameters["$id"].Value = row.Order.OrderId;
            _upsert.Parameters["$status"].Value = row.Order.Status.Value.ToString();
            _upsert.Parameters["$raw"].Value = row.Order.Status.Raw;
            _upsert.Parameters["$account"].Value = (object?)row.Order.AccountId ?? DBNull.Value;
            _upsert.Parameters["$updated"].Value = row.Order.LastUpdatedAt is { } updated ? Timestamp(updated) : DBNull.Value;
            _upsert.Parameters["$hash"].Value = row.Hash;
            _upsert.Parameters["$json"].Value = row.Json;
            _upsert.Parameters["$public"].Value = row.PublicJson;
            await _upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            return existing is null ? StoreOutcome.Inserted : existing == row.Hash ? StoreOutcome.Unchanged : StoreOutcome.Updated;
        }

        public async Task MarkAsync(OrderReference reference, SyncItemState state, SyncFailure? failure, CancellationToken cancellationToken)
        {
            _mark.Parameters["$state"].Value = (int)state;
            _mark.Parameters["$attempts"].Value = failure?.Attempts ?? 1;
            _mark.Parameters["$reason"].Value = (object?)failure?.Reason ?? DBNull.Value;
            _mark.Parameters["$type"].Value = (object?)failure?.ErrorType ?? DBNull.Value;
            _mark.Parameters["$request"].Value = (object?)failure?.RequestId ?? DBNull.Value;
            _mark.Parameters["$source"].Value = reference.Source;
            _mark.Parameters["$id"].Value = reference.OrderId;
            await _mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public void Dispose()
        {
            _hash.Dispose();
            _upsert.Dispose();
            _mark.Dispose();
        }
    }
}
