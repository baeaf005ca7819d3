using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using OrderHub.Sync;
using Polly;
using Polly.Retry;

namespace OrderHub.Storage.PostgreSql;

/// <summary>
/// The shared order store: PostgreSQL, for several sync workers and API instances on several machines. Orders are
/// keyed by (source, order id) and kept as their unified JSON (byte for byte, raw payload included) beside a
/// <c>jsonb</c> document without personal data and indexed status, account, seller order id, creation and last-update
/// columns (the query over every order, <see cref="IOrderQuery"/>, reads them). A batch of results
/// is one transaction: the orders upserted together and their references marked in it.
/// </summary>
/// <remarks>
/// Workers that run the same run id on one database split it: each enumeration of <see cref="GetPendingAsync"/>
/// leases the references it hands out (<c>FOR UPDATE SKIP LOCKED</c>, with an expiry this store renews while it
/// lives), so each order is fetched by one worker; the leases of a worker that died pass to the others when they
/// expire, and a worker with nothing left to lease waits for them while other workers hold leases of the run.
/// </remarks>
public sealed partial class PostgreSqlOrderStore : IOrderStore, ISyncCursorStore, IOrderNotificationLedger, IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _connection;
    private readonly PostgreSqlOrderStoreOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Guid _workerId = Guid.NewGuid();
    private readonly ResiliencePipeline _outage;
    private readonly StoreCalls _calls;

    // Set once by the open, which every call waits for before it reads them.
    private NpgsqlDataSource _dataSource = null!;
    private NpgsqlConnection _liveness = null!;
    private ITimer _renewal = null!;

    private PostgreSqlOrderStore(NpgsqlConnectionStringBuilder connection, string location, PostgreSqlOrderStoreOptions options, TimeProvider timeProvider)
    {
        _connection = connection;
        Location = location;
        _options = options;
        _timeProvider = timeProvider;
        _outage = BuildOutagePipeline(options.OutageTolerance, timeProvider);
        _calls = new StoreCalls(typeof(PostgreSqlOrderStore), OpenCoreAsync, static e => e is NpgsqlException or TimeoutException or InvalidDataException, e => Translate(e, Location));
    }

    /// <summary>Gets where the store is, for messages: host, port and database, never a password.</summary>
    public string Location { get; }

    /// <summary>Gets the schema version this code writes.</summary>
    public static int SchemaVersion => StoreSchema.Version(PostgreSqlSchema.Migrations);

    /// <summary>
    /// Connects (with a connection string such as <c>Host=db;Database=orderhub;Username=...</c>, or a
    /// <c>postgresql://</c> URI) and brings the schema up to date; several processes may open one database at once.
    /// </summary>
    /// <param name="connection">The connection string or URI; it may hold a password, which no message repeats.</param>
    /// <param name="options">Leases; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for lease renewal and waits; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store.</returns>
    /// <exception cref="OrderStoreException">The database cannot be used; the message says why and what to do.</exception>
    public static async Task<PostgreSqlOrderStore> OpenAsync(string connection, PostgreSqlOrderStoreOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var store = OpenOnFirstUse(connection, options, timeProvider);
        try
        {
            await store._calls.EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Makes a store that connects on its first call (or <see cref="EnsureOpenAsync"/>), as the DI registration does:
    /// the connection and the options are checked now, the database is not reached until then.
    /// </summary>
    internal static PostgreSqlOrderStore OpenOnFirstUse(string connection, PostgreSqlOrderStoreOptions? options, TimeProvider? timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        options ??= new PostgreSqlOrderStoreOptions();
        options.Validate();
        var builder = PostgreSqlConnection.Parse(connection);
        builder.ApplicationName ??= "orderhub";
        var location = $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}";
        return new PostgreSqlOrderStore(builder, location, options, timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    /// <remarks>A store from <see cref="OpenAsync"/> is open already; one registered with <c>AddPostgreSqlOrderStore</c> connects on its first call, or here.</remarks>
    public Task EnsureOpenAsync(CancellationToken cancellationToken = default) => _calls.EnsureOpenAsync(cancellationToken);

    // Migrates the schema, takes this worker's liveness lock, and starts renewing its leases.
    private async Task OpenCoreAsync(CancellationToken cancellationToken)
    {
        var dataSource = NpgsqlDataSource.Create(_connection);
        NpgsqlConnection? liveness = null;
        try
        {
            await MigrateAsync(dataSource, Location, cancellationToken).ConfigureAwait(false);
            liveness = await HoldLivenessLockAsync(dataSource, _workerId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or OrderStoreException or TimeoutException or OperationCanceledException)
        {
            if (liveness is not null)
            {
                await liveness.DisposeAsync().ConfigureAwait(false);
            }

            await dataSource.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw e as OrderStoreException ?? Translate(e, Location);
        }

        _dataSource = dataSource;
        _liveness = liveness;
        var every = _options.LeaseDuration / 3;
        _renewal = _timeProvider.CreateTimer(static state => _ = ((PostgreSqlOrderStore)state!).RenewLeasesAsync(), this, every, every);
    }

    /// <inheritdoc />
    public Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(references);
            if (references.Count == 0)
            {
                return 0;
            }

            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // One run's sequence numbers are handed out under a lock on the run, so two workers adding at once keep the order.
            using (var lockRun = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@run))", connection, transaction))
            {
                lockRun.Parameters.AddWithValue("run", runId);
                await lockRun.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var insert = new NpgsqlCommand(
                """
                INSERT INTO orderhub_sync_items (run_id, seq, source, order_id, state)
                SELECT @run, (SELECT COALESCE(MAX(seq), 0) FROM orderhub_sync_items WHERE run_id = @run) + r.n, r.source, r.order_id, 0
                FROM unnest(@sources, @ids) WITH ORDINALITY AS r(source, order_id, n)
                ON CONFLICT (run_id, source, order_id) DO NOTHING
                """,
                connection,
                transaction);
            insert.Parameters.AddWithValue("run", runId);
            insert.Parameters.AddWithValue("sources", references.Select(r => r.Source).ToArray());
            insert.Parameters.AddWithValue("ids", references.Select(r => r.OrderId).ToArray());
            var added = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return added;
        },
        cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// References are leased in small batches as they are read, so workers sharing the run never read the same one
    /// while its lease lives. Once nothing is left to lease, the enumeration waits while other workers hold leases of
    /// the run (taking over those that expire) and ends when none do.
    /// </remarks>
    public async IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var startedAt = await GuardAsync(() => NowAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        long after = 0;
        var firstPass = true;
        while (true)
        {
            var batch = await GuardAsync(() => LeaseAsync(runId, firstPass, after, startedAt, cancellationToken), cancellationToken).ConfigureAwait(false);
            var leasedAt = _timeProvider.GetTimestamp();
            HashSet<OrderReference>? stillHeld = null;
            for (var i = 0; i < batch.Count; i++)
            {
                var (seq, reference) = batch[i];
                after = Math.Max(after, seq);

                // The caller took longer than a renewal period (or the process was paused): hand out only what is
                // still leased to this worker, renewed; the rest went to others when its lease ran out.
                if (_timeProvider.GetElapsedTime(leasedAt) > _options.LeaseDuration / 3)
                {
                    var rest = batch.Skip(i).Select(b => b.Reference).ToArray();
                    stillHeld = await GuardAsync(() => RenewHeldAsync(runId, rest, cancellationToken), cancellationToken).ConfigureAwait(false);
                    leasedAt = _timeProvider.GetTimestamp();
                }

                if (stillHeld is null || stillHeld.Contains(reference))
                {
                    yield return reference;
                }
            }

            if (batch.Count > 0)
            {
                continue;
            }

            firstPass = false;
            if (!await GuardAsync(() => OthersHoldLeasesAsync(runId, startedAt, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }

            await Task.Delay(_options.IdlePollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(results);
            var outcomes = new StoreOutcome[results.Count];
            if (results.Count == 0)
            {
                return (IReadOnlyList<StoreOutcome>)outcomes;
            }

            var orders = new List<(int Index, StoredOrderRow Row)>();
            var failures = new List<(int Index, SyncFailure Failure)>();
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i].Order is { } order)
                {
                    orders.Add((i, StoredOrderRow.Of(order)));
                }
                else
                {
                    failures.Add((i, SyncRunRows.FailureOf(results[i])));
                }
            }

            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Fencing: a worker paused past its lease (SIGSTOP, a long GC) may commit after another took the reference;
            // what it read is dropped, in this transaction, under the references' row locks.
            var lost = await LockLostLeasesAsync(connection, transaction, runId, [.. results.Select(r => r.Reference)], cancellationToken).ConfigureAwait(false);
            if (lost.Count > 0)
            {
                for (var i = 0; i < results.Count; i++)
                {
                    if (lost.Contains(results[i].Reference))
                    {
                        outcomes[i] = StoreOutcome.LeaseLost;
                    }
                }

                orders.RemoveAll(o => lost.Contains(results[o.Index].Reference));
                failures.RemoveAll(f => lost.Contains(results[f.Index].Reference));
            }

            var now = _timeProvider.GetUtcNow();
            var changes = new List<PendingChange>();
            var upserted = await UpsertAsync(connection, transaction, [.. orders.Select(o => o.Row)], now, changes, cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < orders.Count; k++)
            {
                outcomes[orders[k].Index] = upserted[k];
            }

            await MarkDoneAsync(connection, transaction, runId, _workerId, [.. orders.Select(o => results[o.Index].Reference)], cancellationToken).ConfigureAwait(false);
            foreach (var (index, failure) in failures)
            {
                outcomes[index] = StoreOutcome.Failed;
                await MarkFailedAsync(connection, transaction, runId, results[index].Reference, failure, cancellationToken).ConfigureAwait(false);
            }

            await AppendChangesAsync(connection, transaction, changes, now, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<StoreOutcome>)outcomes;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(order);
            using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var now = _timeProvider.GetUtcNow();
            var changes = new List<PendingChange>();
            var outcome = (await UpsertAsync(connection, transaction, [StoredOrderRow.Of(order)], now, changes, cancellationToken).ConfigureAwait(false))[0];
            await AppendChangesAsync(connection, transaction, changes, now, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand("SELECT document, public_size, content_hash, stored_at FROM orderhub_orders WHERE source = @source AND order_id = @id");
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("id", orderId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var document = reader.GetFieldValue<byte[]>(0);
            int? publicSize = reader.IsDBNull(1) ? null : reader.GetInt32(1);
            return new StoredOrder(
                new OrderReference(source, orderId),
                StoredDocument.ReadFull(document, publicSize ?? 0),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                publicSize is { } size ? StoredDocument.ReadPublic(document, size) : null);
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<StoredPublicOrder?> GetPublicAsync(string source, string orderId, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand("SELECT public_size, document, stored_at FROM orderhub_orders WHERE source = @source AND order_id = @id");
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("id", orderId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
                ? new StoredPublicOrder(new OrderReference(source, orderId), StoredDocument.ReadPublic(reader.GetFieldValue<byte[]>(1), reader.GetInt32(0)), reader.GetFieldValue<DateTimeOffset>(2))
                : null;
        },
        cancellationToken);

    /// <summary>Counts the stored orders.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many orders are stored, by source.</returns>
    public Task<IReadOnlyDictionary<string, int>> CountOrdersAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand("SELECT source, COUNT(*)::int FROM orderhub_orders GROUP BY source");
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[reader.GetString(0)] = reader.GetInt32(1);
            }

            return (IReadOnlyDictionary<string, int>)counts;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand("SELECT state, COUNT(*)::int FROM orderhub_sync_items WHERE run_id = @run GROUP BY state");
            command.Parameters.AddWithValue("run", runId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await SyncRunRows.ReadCountsAsync(reader, cancellationToken).ConfigureAwait(false);
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand("UPDATE orderhub_sync_items SET state = 0, leased_by = NULL, leased_until = NULL, updated_at = now() WHERE run_id = @run AND state <> 0");
            command.Parameters.AddWithValue("run", runId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default) =>
        GuardAsync(async () =>
        {
            using var command = _dataSource.CreateCommand($"SELECT {SyncRunRows.FailureColumns} FROM orderhub_sync_items WHERE run_id = @run AND state IN (2, 3) ORDER BY seq");
            command.Parameters.AddWithValue("run", runId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await SyncRunRows.ReadFailuresAsync(reader, cancellationToken).ConfigureAwait(false);
        },
        cancellationToken);

    /// <inheritdoc />
    /// <remarks>A store closed before its first call never connects.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (await _calls.CloseAsync().ConfigureAwait(false))
        {
            await _renewal.DisposeAsync().ConfigureAwait(false);
            await _liveness.DisposeAsync().ConfigureAwait(false);
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    // A worker holds a session-level advisory lock on a key derived from its id on a connection of its own, for the
    // store's life: PostgreSQL releases it when that connection drops (the process died, even by kill -9), so the
    // others take its leases at once instead of after their expiry, which still covers a worker alive but stuck.
    private static async Task<NpgsqlConnection> HoldLivenessLockAsync(NpgsqlDataSource dataSource, Guid workerId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({WorkerLockKey})", connection);
            command.Parameters.AddWithValue("worker", workerId);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The key of a worker's liveness lock, from its id; the same expression over leased_by tells whether a holder lives.
    private const string WorkerLockKey = "hashtextextended(@worker::text, 0)";

    // True when the lease holder's liveness lock is free (its session is gone). The probe takes the lock for the
    // transaction only: it is released at once, and a live holder's session lock makes it fail.
    private const string HolderGone = "pg_try_advisory_xact_lock(hashtextextended(leased_by::text, 0))";

    // The existing hashes are read under row locks (in key order, so two workers never deadlock), then every row is
    // upserted from arrays. The stored-at time is the store's clock's, as in every store: readers compare it with their
    // own (the lookup API's maximum store age).
    private static async Task<StoreOutcome[]> UpsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StoredOrderRow[] rows, DateTimeOffset storedAt, List<PendingChange> changes, CancellationToken cancellationToken)
    {
        if (rows.Length == 0)
        {
            return [];
        }

        var existing = new Dictionary<(string, string), (string Hash, DateTimeOffset? LastUpdatedAt, string Status, bool Partial)>();
        await ReadLockedAsync(connection, transaction, [.. rows.Select(r => (r.Source, r.OrderId)).Distinct()], existing, cancellationToken).ConfigureAwait(false);

        // A row lock cannot be taken on an order not stored yet: two transactions creating the same order would both
        // count an insert (and log it as created twice). Each takes a lock on the orders it would create, in one order
        // for all, and reads them again holding it: the second sees the first one's order.
        var missing = rows.Select(r => (r.Source, r.OrderId)).Where(k => !existing.ContainsKey(k)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            using (var creating = new NpgsqlCommand(
                """
                SELECT count(pg_advisory_xact_lock(@space, h)) FROM (
                    SELECT DISTINCT hashtext(k.source || chr(31) || k.order_id) AS h FROM unnest(@sources, @ids) AS k(source, order_id)
                    ORDER BY h) AS keys
                """,
                connection,
                transaction))
            {
                creating.Parameters.AddWithValue("space", PostgreSqlSchema.OrderCreationLockSpace);
                creating.Parameters.AddWithValue("sources", missing.Select(k => k.Source).ToArray());
                creating.Parameters.AddWithValue("ids", missing.Select(k => k.OrderId).ToArray());
                await creating.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await ReadLockedAsync(connection, transaction, missing, existing, cancellationToken).ConfigureAwait(false);
        }

        // Row by row, as several results for one order in a batch would be stored one after the other: a copy older
        // than what is stored (or was just taken from this batch) is not written; of the others, the last one wins.
        var outcomes = new StoreOutcome[rows.Length];
        var winners = new Dictionary<(string, string), StoredOrderRow>();
        for (var i = 0; i < rows.Length; i++)
        {
            var key = (rows[i].Source, rows[i].OrderId);
            var updated = rows[i].LastUpdatedAt is { } at ? TruncateToMicroseconds(at) : (DateTimeOffset?)null;
            var stored = existing.TryGetValue(key, out var found) ? found : default;
            outcomes[i] = StoredOrderRow.Outcome(new StoredOrderRow.StoredState(stored.Hash, stored.LastUpdatedAt, stored.Partial), rows[i].ContentHash, updated, rows[i].IsPartial);
            if (outcomes[i] == StoreOutcome.Superseded)
            {
                continue;
            }

            if (ChangeLogRows.KindOf(outcomes[i]) is { } kind)
            {
                changes.Add(new PendingChange(rows[i].Source, rows[i].OrderId, kind, outcomes[i] == StoreOutcome.Inserted ? null : stored.Status, rows[i].Status));
            }

            existing[key] = (rows[i].ContentHash, updated, rows[i].Status, rows[i].IsPartial);
            winners[key] = rows[i];
        }

        if (winners.Count == 0)
        {
            return outcomes;
        }

        var last = winners.Values.OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.OrderId, StringComparer.Ordinal).ToArray();
        using (var upsert = new NpgsqlCommand(
            """
            INSERT INTO orderhub_orders (source, order_id, status, status_raw, account_id, last_updated_at, created_at, seller_order_id,
                total_amount, total_currency, content_hash, public_size, document, stored_at, partial)
            SELECT r.source, r.order_id, r.status, r.status_raw, r.account_id, r.last_updated_at, r.created_at, r.seller_order_id,
                r.total_amount, r.total_currency, r.content_hash, r.public_size, r.document, @stored, r.partial
            FROM unnest(@sources, @ids, @statuses, @raws, @accounts, @updated, @created, @sellers, @amounts, @currencies, @hashes, @public_sizes, @documents, @partials)
                AS r(source, order_id, status, status_raw, account_id, last_updated_at, created_at, seller_order_id, total_amount, total_currency, content_hash, public_size, document, partial)
            ON CONFLICT (source, order_id) DO UPDATE SET
                status = excluded.status, status_raw = excluded.status_raw, account_id = excluded.account_id,
                last_updated_at = excluded.last_updated_at, created_at = excluded.created_at,
                seller_order_id = excluded.seller_order_id, total_amount = excluded.total_amount,
                total_currency = excluded.total_currency, content_hash = excluded.content_hash,
                public_size = excluded.public_size, document = excluded.document, stored_at = excluded.stored_at,
                partial = excluded.partial
            WHERE (orderhub_orders.partial AND NOT excluded.partial)
                OR (excluded.partial AND NOT orderhub_orders.partial AND excluded.last_updated_at > orderhub_orders.last_updated_at)
                OR (excluded.partial = orderhub_orders.partial
                    AND (orderhub_orders.last_updated_at IS NULL OR excluded.last_updated_at IS NULL OR excluded.last_updated_at >= orderhub_orders.last_updated_at))
            """,
            connection,
            transaction))
        {
            upsert.Parameters.AddWithValue("sources", last.Select(r => r.Source).ToArray());
            upsert.Parameters.AddWithValue("ids", last.Select(r => r.OrderId).ToArray());
            upsert.Parameters.AddWithValue("statuses", last.Select(r => r.Status).ToArray());
            upsert.Parameters.AddWithValue("raws", last.Select(r => r.StatusRaw).ToArray());
            upsert.Parameters.Add(new NpgsqlParameter("accounts", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Select(r => (object?)r.AccountId ?? DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("updated", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = last.Select(r => r.LastUpdatedAt is { } at ? (object)at.UtcDateTime : DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("created", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = last.Select(r => r.CreatedAt is { } at ? (object)at.UtcDateTime : DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("sellers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Select(r => (object?)r.SellerOrderId ?? DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("amounts", NpgsqlDbType.Array | NpgsqlDbType.Numeric) { Value = last.Select(r => r.TotalAmount is { } amount ? (object)amount : DBNull.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("currencies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = last.Select(r => (object?)r.TotalCurrency ?? DBNull.Value).ToArray() });
            upsert.Parameters.AddWithValue("hashes", last.Select(r => r.ContentHash).ToArray());
            upsert.Parameters.AddWithValue("public_sizes", last.Select(r => r.PublicSize).ToArray());
            upsert.Parameters.AddWithValue("documents", last.Select(r => r.Document).ToArray());
            upsert.Parameters.AddWithValue("partials", last.Select(r => r.IsPartial).ToArray());
            upsert.Parameters.Add(new NpgsqlParameter("stored", NpgsqlDbType.TimestampTz) { Value = storedAt.UtcDateTime });
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    // The stored hash, last update and status of the given orders, each row locked until commit.
    private static async Task ReadLockedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, (string Source, string OrderId)[] keys, Dictionary<(string, string), (string Hash, DateTimeOffset? LastUpdatedAt, string Status, bool Partial)> existing, CancellationToken cancellationToken)
    {
        using var locked = new NpgsqlCommand(
            """
            SELECT o.source, o.order_id, o.content_hash, o.last_updated_at, o.status, o.partial FROM orderhub_orders o
            JOIN unnest(@sources, @ids) AS k(source, order_id) ON o.source = k.source AND o.order_id = k.order_id
            ORDER BY o.source, o.order_id FOR UPDATE OF o
            """,
            connection,
            transaction);
        locked.Parameters.AddWithValue("sources", keys.Select(k => k.Source).ToArray());
        locked.Parameters.AddWithValue("ids", keys.Select(k => k.OrderId).ToArray());
        using var reader = await locked.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing[(reader.GetString(0), reader.GetString(1))] = (reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), reader.GetBoolean(5));
        }
    }

    // The change log's entries of a writing transaction, as its last statements. A sequence alone is not enough: a
    // transaction holding a lower number could commit after a reader passed a higher one, and the reader would never
    // see it. The transaction-scoped lock is held until commit, so numbers are handed out in commit order; it is taken
    // last so it is held briefly. A transaction that changed nothing takes no lock.
    private async Task AppendChangesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingChange> changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await PruneIfDueAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        using var append = new NpgsqlCommand(
            """
            SELECT pg_advisory_xact_lock(@lock);
            WITH appended AS (
                INSERT INTO orderhub_order_changes (position, source, order_id, kind, status_before, status_after, changed_at)
                SELECT nextval('orderhub_order_changes_position'), c.source, c.order_id, c.kind, c.status_before, c.status_after, @now
                FROM unnest(@sources, @ids, @kinds, @befores, @afters) WITH ORDINALITY AS c(source, order_id, kind, status_before, status_after, n)
                ORDER BY c.n
                RETURNING position)
            SELECT pg_notify('orderhub_changes', max(position)::text) FROM appended;
            """,
            connection,
            transaction);
        append.Parameters.AddWithValue("lock", PostgreSqlSchema.ChangeLogLock);
        append.Parameters.AddWithValue("sources", changes.Select(c => c.Source).ToArray());
        append.Parameters.AddWithValue("ids", changes.Select(c => c.OrderId).ToArray());
        append.Parameters.AddWithValue("kinds", changes.Select(c => c.Kind).ToArray());
        append.Parameters.Add(new NpgsqlParameter("befores", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = changes.Select(c => (object?)c.StatusBefore ?? DBNull.Value).ToArray() });
        append.Parameters.AddWithValue("afters", changes.Select(c => c.StatusAfter).ToArray());
        append.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
        await append.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // PostgreSQL keeps microseconds: a time is compared as it would be stored.
    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));

    // Locks the references' rows (in key order, as the upsert does) and returns those another worker holds or finished.
    private async Task<HashSet<OrderReference>> LockLostLeasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, OrderReference[] references, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT s.source, s.order_id, s.leased_by FROM orderhub_sync_items s
            JOIN unnest(@sources, @ids) AS k(source, order_id) ON s.source = k.source AND s.order_id = k.order_id
            WHERE s.run_id = @run
            ORDER BY s.source, s.order_id FOR UPDATE OF s
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("sources", references.Select(r => r.Source).ToArray());
        command.Parameters.AddWithValue("ids", references.Select(r => r.OrderId).ToArray());
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var lost = new HashSet<OrderReference>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // A reference never leased (committed outside an enumeration) belongs to whoever commits it.
            if (!reader.IsDBNull(2) && reader.GetGuid(2) != _workerId)
            {
                lost.Add(new OrderReference(reader.GetString(0), reader.GetString(1)));
            }
        }

        return lost;
    }

    // A done reference keeps the worker that finished it in leased_by (with no expiry), so a worker that lost the lease
    // and commits late is told so; leasing, renewal and waiting look only at pending and failed references.
    private static async Task MarkDoneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, Guid workerId, OrderReference[] references, CancellationToken cancellationToken)
    {
        if (references.Length == 0)
        {
            return;
        }

        using var mark = new NpgsqlCommand(
            """
            UPDATE orderhub_sync_items s SET state = 1, attempts = s.attempts + 1, reason = NULL, error_type = NULL, request_id = NULL,
                updated_at = now(), leased_by = @me, leased_until = NULL
            FROM unnest(@sources, @ids) AS k(source, order_id)
            WHERE s.run_id = @run AND s.source = k.source AND s.order_id = k.order_id
            """,
            connection,
            transaction);
        mark.Parameters.AddWithValue("run", runId);
        mark.Parameters.AddWithValue("me", workerId);
        mark.Parameters.AddWithValue("sources", references.Select(r => r.Source).ToArray());
        mark.Parameters.AddWithValue("ids", references.Select(r => r.OrderId).ToArray());
        await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task MarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, OrderReference reference, SyncFailure failure, CancellationToken cancellationToken)
    {
        using var mark = new NpgsqlCommand(
            """
            UPDATE orderhub_sync_items SET state = @state, attempts = attempts + @attempts, reason = @reason, error_type = @type,
                request_id = @request, updated_at = now(), leased_by = NULL, leased_until = NULL
            WHERE run_id = @run AND source = @source AND order_id = @id
            """,
            connection,
            transaction);
        mark.Parameters.AddWithValue("run", runId);
        mark.Parameters.AddWithValue("state", (short)SyncRunRows.StateOf(failure));
        mark.Parameters.AddWithValue("attempts", failure.Attempts);
        mark.Parameters.AddWithValue("reason", failure.Reason);
        mark.Parameters.AddWithValue("type", failure.ErrorKind);
        mark.Parameters.AddWithValue("request", (object?)failure.RequestId ?? DBNull.Value);
        mark.Parameters.AddWithValue("source", reference.Source);
        mark.Parameters.AddWithValue("id", reference.OrderId);
        await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The first pass walks the run in order and may take back what this store leased before (a second enumeration in
    // one process lists the run again, as the SQLite store does); later passes take only what other workers let expire.
    // A reference that failed during this enumeration waits for the next run.
    private async Task<IReadOnlyList<(long Seq, OrderReference Reference)>> LeaseAsync(string runId, bool firstPass, long after, DateTime startedAt, CancellationToken cancellationToken)
    {
        var who = firstPass
            ? $"seq > @after AND (leased_by IS NULL OR leased_by = @me OR leased_until < now() OR {HolderGone})"
            : $"leased_by IS DISTINCT FROM @me AND (leased_by IS NULL OR leased_until < now() OR {HolderGone})";
        using var command = _dataSource.CreateCommand(
            $"""
            WITH picked AS (
                SELECT run_id, source, order_id FROM orderhub_sync_items
                WHERE run_id = @run AND (state = 0 OR (state = 2 AND updated_at < @started)) AND {who}
                ORDER BY seq LIMIT @n
                FOR UPDATE SKIP LOCKED)
            UPDATE orderhub_sync_items s SET leased_by = @me, leased_until = now() + @lease
            FROM picked p WHERE s.run_id = p.run_id AND s.source = p.source AND s.order_id = p.order_id
            RETURNING s.seq, s.source, s.order_id
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("me", _workerId);
        command.Parameters.AddWithValue("started", startedAt);
        command.Parameters.AddWithValue("n", _options.LeaseBatchSize);
        command.Parameters.AddWithValue("lease", _options.LeaseDuration);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var batch = new List<(long, OrderReference)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Add((reader.GetInt64(0), new OrderReference(reader.GetString(1), reader.GetString(2))));
        }

        batch.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return batch;
    }

    private async Task<HashSet<OrderReference>> RenewHeldAsync(string runId, OrderReference[] references, CancellationToken cancellationToken)
    {
        using var command = _dataSource.CreateCommand(
            """
            UPDATE orderhub_sync_items s SET leased_until = now() + @lease
            FROM unnest(@sources, @ids) AS k(source, order_id)
            WHERE s.run_id = @run AND s.source = k.source AND s.order_id = k.order_id AND s.leased_by = @me AND s.state IN (0, 2)
            RETURNING s.source, s.order_id
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("me", _workerId);
        command.Parameters.AddWithValue("lease", _options.LeaseDuration);
        command.Parameters.AddWithValue("sources", references.Select(r => r.Source).ToArray());
        command.Parameters.AddWithValue("ids", references.Select(r => r.OrderId).ToArray());
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var held = new HashSet<OrderReference>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            held.Add(new OrderReference(reader.GetString(0), reader.GetString(1)));
        }

        return held;
    }

    private async Task<bool> OthersHoldLeasesAsync(string runId, DateTime startedAt, CancellationToken cancellationToken)
    {
        using var command = _dataSource.CreateCommand(
            """
            SELECT EXISTS (SELECT 1 FROM orderhub_sync_items
            WHERE run_id = @run AND (state = 0 OR (state = 2 AND updated_at < @started)) AND leased_by IS NOT NULL AND leased_by <> @me)
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("started", startedAt);
        command.Parameters.AddWithValue("me", _workerId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<DateTime> NowAsync(CancellationToken cancellationToken)
    {
        // The database's clock, the one leases and failure times are written with.
        using var command = _dataSource.CreateCommand("SELECT now()");
        return (DateTime)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    // A live worker keeps what it leased; a dead one stops renewing, and its leases expire for the others.
    private async Task RenewLeasesAsync()
    {
        try
        {
            using var command = _dataSource.CreateCommand("UPDATE orderhub_sync_items SET leased_until = now() + @lease WHERE leased_by = @me AND state IN (0, 2)");
            command.Parameters.AddWithValue("lease", _options.LeaseDuration);
            command.Parameters.AddWithValue("me", _workerId);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or ObjectDisposedException or TimeoutException or InvalidOperationException)
        {
            // The next renewal tries again; a store that stays unreachable fails the run's own calls with a clear error.
        }
    }

    // Opens the store on its first call, rides out a brief outage, and names the database in the driver's errors.
    private Task<T> GuardAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken) =>
        _calls.GuardAsync(() => RideOutOutageAsync(action), cancellationToken);

    private async Task<T> RideOutOutageAsync<T>(Func<Task<T>> action)
    {
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(OutageStarted, _timeProvider.GetTimestamp());
        try
        {
            return await _outage.ExecuteAsync(static async (_, call) => await call().ConfigureAwait(false), context, action).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static readonly ResiliencePropertyKey<long> OutageStarted = new("orderhub.store.call-started");

    // Each call is retried (a commit is one transaction, so a retried one lands once) while the store is briefly away,
    // for at most the tolerance counted from the call's start, on the store's clock; then it fails as it always did.
    private static ResiliencePipeline BuildOutagePipeline(TimeSpan tolerance, TimeProvider timeProvider)
    {
        if (tolerance == TimeSpan.Zero)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e
                    && IsTransient(e)
                    && timeProvider.GetElapsedTime(args.Context.Properties.GetValue(OutageStarted, timeProvider.GetTimestamp())) < tolerance),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromSeconds(5),
            })
            .Build();
    }

    // What passes by itself: the server unreachable, restarting or shutting down, or the connection cut. Not
    // credentials, a missing database, a full disk or a broken constraint: waiting mends none of those.
    private static bool IsTransient(Exception error) => error switch
    {
        PostgresException pg => pg.SqlState is "57P01" or "57P02" or "57P03" || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: SocketException or IOException or EndOfStreamException } => true,
        NpgsqlException { InnerException: null } npgsql => npgsql.IsTransient,
        _ => false,
    };

    private static async Task MigrateAsync(NpgsqlDataSource dataSource, string location, CancellationToken cancellationToken)
    {
        using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using (var setup = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLock.ToString(CultureInfo.InvariantCulture)}); CREATE TABLE IF NOT EXISTS orderhub_schema_version (version integer NOT NULL)",
            connection,
            transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version;
        using (var current = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM orderhub_schema_version", connection, transaction))
        {
            version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        StoreSchema.ThrowIfNewer(version, SchemaVersion, $"The {location}", location, "use another database");

        foreach (var (target, sql) in PostgreSqlSchema.Migrations.Where(m => m.Version > version))
        {
            using var migrate = new NpgsqlCommand($"{sql}; INSERT INTO orderhub_schema_version (version) VALUES ({target.ToString(CultureInfo.InvariantCulture)});", connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (PostgreSqlSchema.Rewrites.TryGetValue(target, out var rewrite))
            {
                await rewrite(connection, transaction, cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns a driver error into one that names the database (never the password) and what to do about it.</summary>
    private static OrderStoreException Translate(Exception error, string location)
    {
        var message = error switch
        {
            PostgresException { SqlState: "28P01" or "28000" } => $"The {location} refused the user name or password. Check the credentials in the connection string (ORDERHUB_DB).",
            PostgresException { SqlState: "3D000" } => $"The {location} does not exist. Create it (CREATE DATABASE), or give another one in the connection string (ORDERHUB_DB).",
            PostgresException { SqlState: "42501" } => $"The {location} refused a change: the user may not create or write OrderHub's tables. Grant it, or use another user.",
            PostgresException { SqlState: "53100" } => $"The disk holding the {location} is full. Free some space and run again: what was stored is kept.",
            PostgresException { SqlState: var state } pg when state.StartsWith("57P", StringComparison.Ordinal) => $"The {location} is shutting down or restarting ({pg.SqlState}). Run again when it is back: what was stored is kept.",
            PostgresException pg => $"The {location} failed (SQLSTATE {pg.SqlState}: {pg.MessageText}).",
            InvalidDataException => $"The {location} holds an order it cannot read: {error.Message} Read that order again from its source (sync --refresh), or restore the database from a backup.",
            NpgsqlException { InnerException: SocketException or TimeoutException } or TimeoutException => $"The {location} cannot be reached. Check that the server is running and the host and port are right.",
            _ => $"The {location} cannot be used ({error.GetType().Name}). Check that the server is running and the connection string (ORDERHUB_DB).",
        };
        return new OrderStoreException(message, location, error);
    }

    // An entry of the change log a writing transaction appends before it commits.
    private sealed record PendingChange(string Source, string OrderId, string Kind, string? StatusBefore, string StatusAfter);
}
