using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>
/// The embedded order store: one SQLite file in WAL mode. Orders are keyed by (source, order id) and kept as their
/// unified JSON with indexed status, account, seller order id, creation and last-update columns (the query over every
/// order, <see cref="IOrderQuery"/>, reads them); sync runs record each reference's state in the
/// same transaction that stores its order, so a run killed at any moment resumes without loss or duplicates.
/// </summary>
public sealed partial class SqliteOrderStore : IOrderStore, ISyncCursorStore, IOrderChangeLog, IOrderNotificationLedger, IAsyncDisposable
{
    /// <summary>The SQLite application id OrderHub marks its databases with (<c>PRAGMA application_id</c>): "ORDH".</summary>
    public const int ApplicationId = 0x4F524448;

    // References read per short read of a run's pending list.
    private const int PendingPageSize = 1000;

    // Past a checkpoint, the log file is cut back to this size rather than kept at its largest.
    private const long JournalSizeLimit = 64L * 1024 * 1024;

    // The writer's settings for a sync's stream of large rows (about 9 KB an order), each measured by sync-decompose
    // (docs/benchmarks.md, "Where the sync's time goes"): a 64 MiB page cache instead of 2 MiB keeps the indexes' pages in memory; a checkpoint each time the log holds the
    // journal size limit (64 MiB of pages) instead of every 1,000 pages copies a hot index page into the database once,
    // not at every other commit. (A memory map was tried and left out: it saved little, and the process's resident
    // memory grew with the database instead of staying flat.)
    private const string WriterTuning = "PRAGMA cache_size=-65536;";

    // A database this store creates has 32 KiB pages instead of SQLite's 4 KiB: an order's row then fits on one page
    // instead of spilling into a chain of overflow pages, which made a row's write cheaper for a somewhat larger file
    // (the figures are in docs/benchmarks.md). An existing database keeps the page size it was made with.
    private const int NewDatabasePageSize = 32 * 1024;

    // Readers of public views kept between calls, each a connection with its statement prepared.
    private const int MaxPooledPublicReaders = 64;

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    // A queue, not a bag: its count, read on every return to the pool, takes no lock.
    private readonly ConcurrentQueue<PublicReader> _publicReaders = new();
    private readonly StoreCalls _calls;
    private readonly TimeProvider _timeProvider;
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly TimeSpan _changeLogRetention;
    private bool _disposed;

    // Set once by the open, which every call waits for before it reads them.
    private SqliteConnection _writer = null!;
    private string _connectionString = null!;

    private SqliteOrderStore(string path, SqliteOrderStoreOptions options, TimeProvider timeProvider)
    {
        _path = path;
        _busyTimeout = options.BusyTimeout;
        _changeLogRetention = options.ChangeLogRetention;
        _timeProvider = timeProvider;
        _calls = new StoreCalls(typeof(SqliteOrderStore), OpenCoreAsync, static e => e is SqliteException or InvalidDataException, e => Translate(e, _path, _busyTimeout));
    }

    /// <summary>
    /// Gets a value indicating whether this store's open created the file (so a program that fails before storing
    /// anything can remove it); <see langword="false"/> until it is open.
    /// </summary>
    public bool IsNewFile { get; private set; }

    /// <summary>Gets the database file.</summary>
    public string Path => _path;

    /// <summary>Gets the schema version this code writes.</summary>
    public static int SchemaVersion => StoreSchema.Version(SqliteSchema.Migrations);

    /// <summary>
    /// Opens (creating if needed) a store file and brings its schema up to date. An existing file is checked before
    /// anything is written to it: a file of another application, a corrupt one, or one written by a newer OrderHub is
    /// refused untouched. A file this call created is removed again if the open fails.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="timeProvider">The clock for stored-at times; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store.</returns>
    /// <exception cref="OrderStoreException">The file cannot be used; the message says why and what to do.</exception>
    public static Task<SqliteOrderStore> OpenAsync(string path, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, new SqliteOrderStoreOptions(), timeProvider, cancellationToken);

    /// <summary>Opens (creating if needed) a store file with options; see <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/>.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">The busy timeout.</param>
    /// <param name="timeProvider">The clock for stored-at times; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The store.</returns>
    /// <exception cref="OrderStoreException">The file cannot be used; the message says why and what to do.</exception>
    public static async Task<SqliteOrderStore> OpenAsync(string path, SqliteOrderStoreOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var store = OpenOnFirstUse(path, options, timeProvider);
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

    /// <summary>Makes a store that opens the file on its first call (or <see cref="EnsureOpenAsync"/>), as the DI registration does: no I/O until then.</summary>
    internal static SqliteOrderStore OpenOnFirstUse(string path, SqliteOrderStoreOptions options, TimeProvider? timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new SqliteOrderStore(path, options, timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    /// <remarks>A store from <see cref="OpenAsync(string, TimeProvider?, CancellationToken)"/> is open already; one registered with <c>AddSqliteOrderStore</c> opens on its first call, or here.</remarks>
    public Task EnsureOpenAsync(CancellationToken cancellationToken = default) => _calls.EnsureOpenAsync(cancellationToken);

    // Checks the file, creates or migrates it, and keeps the writer; a file this open created is removed if it fails.
    private async Task OpenCoreAsync(CancellationToken cancellationToken)
    {
        var path = _path;
        var busyTimeout = _busyTimeout;
        var fullPath = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new OrderStoreException($"'{path}' is a folder, not a database file. Give a file path, such as {System.IO.Path.Combine(path, "orderhub.db")}.", path);
        }

        var folder = System.IO.Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new OrderStoreException($"The folder of the database '{path}' does not exist. Create it, or give another path.", path);
        }

        var creating = !File.Exists(fullPath);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Max(1, Math.Ceiling(busyTimeout.TotalSeconds)), // the driver's own retries on a busy file
        }.ToString();
        SqliteConnection? writer = null;
        try
        {
            if (!creating)
            {
                await EnsureOrderHubDatabaseAsync(fullPath, path, cancellationToken).ConfigureAwait(false);
            }

            writer = new SqliteConnection(connectionString);
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            // The page size first: it takes effect only on a database not yet written (nor yet in WAL mode).
            await ExecuteAsync(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size={NewDatabasePageSize}; PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit={JournalSizeLimit}; {WriterTuning}"), cancellationToken).ConfigureAwait(false);
            var pageSize = await PageSizeAsync(writer, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint={JournalSizeLimit / pageSize}"), cancellationToken).ConfigureAwait(false);
            AddMigrationFunctions(writer);
            await MigrateAsync(writer, path, cancellationToken).ConfigureAwait(false);
            _writer = writer;
            _connectionString = connectionString;
            IsNewFile = creating;
        }
        catch (Exception e) when (e is SqliteException or OrderStoreException or UnauthorizedAccessException or IOException or OperationCanceledException)
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            if (creating)
            {
                RemoveCreatedFiles(fullPath);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            throw e as OrderStoreException ?? Translate(e, path, busyTimeout);
        }
    }

    /// <inheritdoc />
    public Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default) =>
        GuardAsync(() => AddToRunCoreAsync(runId, references, cancellationToken), cancellationToken);

    private async Task<int> AddToRunCoreAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken)
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
    /// <remarks>
    /// The references are read a page at a time, each page a short read of its own: a read held open for the whole
    /// run would pin the write-ahead log, which SQLite could then never checkpoint back into the database, and the log
    /// would grow with everything the run writes.
    /// </remarks>
    public async IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = long.MinValue;
        while (true)
        {
            var page = await GuardAsync(() => ReadPendingPageAsync(runId, after, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var (_, reference) in page)
            {
                yield return reference;
            }

            if (page.Count < PendingPageSize)
            {
                yield break;
            }

            after = page[^1].Seq;
        }
    }

    private async Task<List<(long Seq, OrderReference Reference)>> ReadPendingPageAsync(string runId, long after, CancellationToken cancellationToken)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT seq, source, order_id FROM sync_items WHERE run_id = $run AND state IN (0, 2) AND seq > $after ORDER BY seq LIMIT $limit";
        query.Parameters.AddWithValue("$run", runId);
        query.Parameters.AddWithValue("$after", after);
        query.Parameters.AddWithValue("$limit", PendingPageSize);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<(long, OrderReference)>(PendingPageSize);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add((reader.GetInt64(0), new OrderReference(reader.GetString(1), reader.GetString(2))));
        }

        return page;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default) =>
        GuardAsync(() => CommitCoreAsync(runId, results, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<StoreOutcome>> CommitCoreAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var outcomes = new StoreOutcome[results.Count];
        if (results.Count == 0)
        {
            return outcomes;
        }

        // Serialize and hash outside the lock: the writer is the bottleneck, not the CPU.
        var prepared = results.Select(r => r.Order is { } order ? StoredOrderRow.Of(order) : null).ToArray();
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
                    var failure = SyncRunRows.FailureOf(result);
                    outcomes[i] = StoreOutcome.Failed;
                    await commands.MarkAsync(result.Reference, SyncRunRows.StateOf(failure), failure, cancellationToken).ConfigureAwait(false);
                }
            }

            await PruneIfDueAsync(transaction, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return outcomes;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default) =>
        GuardAsync(() => UpsertCoreAsync(order, cancellationToken), cancellationToken);

    private async Task<StoreOutcome> UpsertCoreAsync(Order order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var row = StoredOrderRow.Of(order);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _writer.BeginTransaction();
            using var commands = new CommitCommands(_writer, transaction, string.Empty, Timestamp(_timeProvider.GetUtcNow()));
            var outcome = await commands.UpsertAsync(row, cancellationToken).ConfigureAwait(false);
            await PruneIfDueAsync(transaction, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return outcome;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => GetCoreAsync(source, orderId, cancellationToken), cancellationToken);

    private async Task<StoredOrder?> GetCoreAsync(string source, string orderId, CancellationToken cancellationToken)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT document, public_size, content_hash, stored_at FROM orders WHERE source = $source AND order_id = $id";
        query.Parameters.AddWithValue("$source", source);
        query.Parameters.AddWithValue("$id", orderId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var document = (byte[])reader.GetValue(0);
        int? publicSize = reader.IsDBNull(1) ? null : reader.GetInt32(1);
        return new StoredOrder(
            new OrderReference(source, orderId),
            StoredDocument.ReadFull(document, publicSize ?? 0),
            reader.GetString(2),
            ParseTimestamp(reader.GetString(3)),
            publicSize is { } size ? StoredDocument.ReadPublic(document, size) : null);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The lookup API's store hit. It reads the public JSON and the stored-at time only, through a statement prepared
    /// once per pooled connection (<see cref="PublicReader"/>) instead of opening a connection and preparing a query
    /// per call.
    /// </remarks>
    public Task<StoredPublicOrder?> GetPublicAsync(string source, string orderId, CancellationToken cancellationToken = default)
    {
        if (!_calls.IsOpen)
        {
            return GetPublicOnceOpenAsync(source, orderId, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        PublicReader? reader = null;
        try
        {
            reader = _publicReaders.TryDequeue(out var pooled) ? pooled : new PublicReader(_connectionString);
            var found = reader.Read(source, orderId);
            ReturnPublicReader(reader);
            return Task.FromResult(found);
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException)
        {
            reader?.Dispose(); // a failed connection is not put back
            return Task.FromException<StoredPublicOrder?>(Translate(e, _path, _busyTimeout));
        }
    }

    private async Task<StoredPublicOrder?> GetPublicOnceOpenAsync(string source, string orderId, CancellationToken cancellationToken)
    {
        await _calls.EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetPublicAsync(source, orderId, cancellationToken).ConfigureAwait(false);
    }

    private void ReturnPublicReader(PublicReader reader)
    {
        if (Volatile.Read(ref _disposed) || _publicReaders.Count >= MaxPooledPublicReaders)
        {
            reader.Dispose();
            return;
        }

        _publicReaders.Enqueue(reader);
    }

    /// <summary>Counts the stored orders.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many orders are stored, by source.</returns>
    public Task<IReadOnlyDictionary<string, int>> CountOrdersAsync(CancellationToken cancellationToken = default) =>
        GuardAsync(() => CountOrdersCoreAsync(cancellationToken), cancellationToken);

    private async Task<IReadOnlyDictionary<string, int>> CountOrdersCoreAsync(CancellationToken cancellationToken)
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
    public Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => CountRunCoreAsync(runId, cancellationToken), cancellationToken);

    private async Task<SyncRunCounts> CountRunCoreAsync(string runId, CancellationToken cancellationToken)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT state, COUNT(*) FROM sync_items WHERE run_id = $run GROUP BY state";
        query.Parameters.AddWithValue("$run", runId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await SyncRunRows.ReadCountsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => RequeueCoreAsync(runId, cancellationToken), cancellationToken);

    private async Task<int> RequeueCoreAsync(string runId, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var requeue = _writer.CreateCommand();
            requeue.CommandText = "UPDATE sync_items SET state = 0 WHERE run_id = $run AND state <> 0";
            requeue.Parameters.AddWithValue("$run", runId);
            return await requeue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default) =>
        GuardAsync(() => GetFailuresCoreAsync(runId, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<SyncFailure>> GetFailuresCoreAsync(string runId, CancellationToken cancellationToken)
    {
        using var connection = OpenReader();
        using var query = connection.CreateCommand();
        query.CommandText = $"SELECT {SyncRunRows.FailureColumns} FROM sync_items WHERE run_id = $run AND state IN (2, 3) ORDER BY seq";
        query.Parameters.AddWithValue("$run", runId);
        using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await SyncRunRows.ReadFailuresAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>A store closed before its first call never opens the file.</remarks>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, true);
        if (await _calls.CloseAsync().ConfigureAwait(false))
        {
            while (_publicReaders.TryDequeue(out var reader))
            {
                reader.Dispose();
            }

            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        _writeGate.Dispose();
    }

    // Microsoft.Data.Sqlite opens synchronously (its OpenAsync only wraps Open); pooled connections make this cheap.
    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    // Read-only and before any write: an existing file must be OrderHub's own (its application id, or the tables of
    // an OrderHub database made before the id was set), and of a schema this code understands.
    private static async Task EnsureOrderHubDatabaseAsync(string fullPath, string path, CancellationToken cancellationToken)
    {
        if (new FileInfo(fullPath).Length == 0)
        {
            return; // an empty file is an empty database to SQLite
        }

        var readOnly = new SqliteConnectionStringBuilder { DataSource = fullPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var connection = new SqliteConnection(readOnly);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA application_id";
        var applicationId = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name";
        var tables = new List<string>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tables.Add(reader.GetString(0));
            }
        }

        string[] ours = ["orders", "schema_version", "sync_items"];
        var isOurs = applicationId == ApplicationId || (applicationId == 0 && (tables.Count == 0 || (tables.Contains("schema_version") && tables.All(ours.Contains))));
        if (!isOurs)
        {
            throw new OrderStoreException(
                applicationId != 0
                    ? $"'{path}' is another application's SQLite database (application id 0x{applicationId:X8}), not OrderHub's. It was left untouched; give another path."
                    : $"'{path}' is a SQLite database that OrderHub did not create (it holds {string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", ..." : string.Empty)}). It was left untouched; give another path.",
                path);
        }

        if (tables.Contains("schema_version"))
        {
            command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            StoreSchema.ThrowIfNewer(version, SchemaVersion, $"'{path}'", path, "give another path", "The file was left untouched.");
        }
    }

    /// <summary>
    /// Closes a store that this process created and left empty (no order, no run), and removes its files: a command
    /// that failed before storing anything leaves nothing behind. A store with anything in it is only closed.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <returns><see langword="true"/> when the files were removed.</returns>
    public static async Task<bool> DiscardIfNewAndEmptyAsync(SqliteOrderStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var empty = false;
        if (store.IsNewFile)
        {
            try
            {
                using var connection = store.OpenReader();
                using var query = connection.CreateCommand();
                query.CommandText = "SELECT (SELECT COUNT(*) FROM orders) + (SELECT COUNT(*) FROM sync_items)";
                empty = Convert.ToInt64(await query.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture) == 0;
            }
            catch (SqliteException)
            {
                empty = false;
            }
        }

        await store.DisposeAsync().ConfigureAwait(false);
        if (empty)
        {
            SqliteConnection.ClearAllPools();
            RemoveCreatedFiles(System.IO.Path.GetFullPath(store._path));
        }

        return empty;
    }

    private static void RemoveCreatedFiles(string fullPath)
    {
        foreach (var file in new[] { fullPath, fullPath + "-wal", fullPath + "-shm", fullPath + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done; the open's own error is the one to report.
            }
        }
    }

    /// <summary>Turns a driver error into one that names the file and what to do about it.</summary>
    private static OrderStoreException Translate(Exception error, string path, TimeSpan busyTimeout)
    {
        var message = error switch
        {
            SqliteException { SqliteErrorCode: 5 or 6 } => $"The database '{path}' is locked by another process (waited {busyTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s). Stop the other writer, or give another path.",
            SqliteException { SqliteErrorCode: 8 } => $"The database '{path}' is read-only: the file or its folder cannot be written. Make both writable, or give another path.",
            SqliteException { SqliteErrorCode: 13 } => $"The disk holding the database '{path}' is full. Free some space and run again: what was stored is kept.",
            SqliteException { SqliteErrorCode: 14 } => $"The database '{path}' cannot be opened or created: check that its folder exists and can be written.",
            SqliteException { SqliteErrorCode: 11 or 26 } => $"'{path}' is not a SQLite database, or it is corrupt. Give another path, or restore the file from a backup.",
            SqliteException { SqliteErrorCode: 10 } => $"Reading or writing the database '{path}' failed (a disk I/O error). Check the disk, then run again.",
            SqliteException sqlite => $"The database '{path}' failed (SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}).",
            UnauthorizedAccessException => $"The database '{path}' cannot be accessed: permission denied. Check the file's and its folder's permissions.",
            InvalidDataException => $"The database '{path}' holds an order it cannot read: {error.Message} Read that order again from its source (sync --refresh), or restore the file from a backup.",
            _ => $"The database '{path}' cannot be used ({error.Message}).",
        };
        return new OrderStoreException(message, path, error);
    }

    // Opens the store on its first call, and names the file in the driver's errors.
    private Task<T> GuardAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken) => _calls.GuardAsync(action, cancellationToken);

    private static async Task MigrateAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, $"PRAGMA application_id={ApplicationId}; CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);

        // Each step reads the version inside its own write transaction: two processes opening a new database at once
        // (an API and a sync started together) take turns, and the second finds the first one's work done.
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            // Another process may have upgraded it between the check and now.
            StoreSchema.ThrowIfNewer(version, SchemaVersion, $"'{path}'", path, "give another path");

            var (target, sql) = SqliteSchema.Migrations.FirstOrDefault(m => m.Version > version);
            if (sql is null)
            {
                transaction.Commit();
                return;
            }

            command.CommandText = sql + $"; INSERT INTO schema_version (version) VALUES ({target.ToString(CultureInfo.InvariantCulture)});";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
        }
    }

    private static async Task<long> PageSizeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    // The round-trip format of a UTC time writes exactly TimestampFormat.
    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    // Stored times are written by Timestamp; any other ISO 8601 form (a hand-edited row) is still read.
    private static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.TryParseExact(value, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact)
            ? exact
            : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>A pooled read connection with the public-view query prepared on it, reused call after call.</summary>
    private sealed class PublicReader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _query;
        private readonly SqliteParameter _source;
        private readonly SqliteParameter _id;

        public PublicReader(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            try
            {
                _connection.Open();
                _query = _connection.CreateCommand();
                _query.CommandText = "SELECT public_size, document, stored_at FROM orders WHERE source = $source AND order_id = $id";
                _source = _query.Parameters.Add("$source", SqliteType.Text);
                _id = _query.Parameters.Add("$id", SqliteType.Text);
                _query.Prepare();
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        }

        public StoredPublicOrder? Read(string source, string orderId)
        {
            _source.Value = source;
            _id.Value = orderId;
            using var reader = _query.ExecuteReader();
            return reader.Read() && !reader.IsDBNull(0)
                ? new StoredPublicOrder(new OrderReference(source, orderId), StoredDocument.ReadPublic((byte[])reader.GetValue(1), reader.GetInt32(0)), ParseTimestamp(reader.GetString(2)))
                : null;
        }

        public void Dispose()
        {
            _query.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>The statements of one commit, prepared once and reused for every row.</summary>
    private sealed class CommitCommands : IDisposable
    {
        private readonly SqliteCommand _hash;
        private readonly SqliteCommand _upsert;
        private readonly SqliteCommand _mark;
        private readonly SqliteCommand _change;

        public CommitCommands(SqliteConnection connection, SqliteTransaction transaction, string runId, string now)
        {
            _hash = connection.CreateCommand();
            _hash.Transaction = transaction;
            _hash.CommandText = "SELECT content_hash, last_updated_at, status, partial FROM orders WHERE source = $source AND order_id = $id";
            _hash.Parameters.Add("$source", SqliteType.Text);
            _hash.Parameters.Add("$id", SqliteType.Text);

            _upsert = connection.CreateCommand();
            _upsert.Transaction = transaction;
            _upsert.CommandText = """
                INSERT INTO orders (source, order_id, status, status_raw, account_id, last_updated_at, created_at, seller_order_id,
                    total_amount, total_currency, content_hash, public_size, document, stored_at, partial)
                VALUES ($source, $id, $status, $raw, $account, $updated, $created, $seller, $amount, $currency, $hash, $public_size, $document, $now, $partial)
                ON CONFLICT (source, order_id) DO UPDATE SET
                    status = excluded.status, status_raw = excluded.status_raw, account_id = excluded.account_id,
                    last_updated_at = excluded.last_updated_at, created_at = excluded.created_at,
                    seller_order_id = excluded.seller_order_id, total_amount = excluded.total_amount,
                    total_currency = excluded.total_currency, content_hash = excluded.content_hash,
                    public_size = excluded.public_size, document = excluded.document, stored_at = excluded.stored_at,
                    partial = excluded.partial
                """;
            foreach (var name in new[] { "$source", "$id", "$status", "$raw", "$account", "$updated", "$created", "$seller", "$amount", "$currency", "$hash" })
            {
                _upsert.Parameters.Add(name, SqliteType.Text);
            }

            _upsert.Parameters.Add("$public_size", SqliteType.Integer);
            _upsert.Parameters.Add("$document", SqliteType.Blob);
            _upsert.Parameters.Add("$partial", SqliteType.Integer);
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

            // The change log's entry, in the order's transaction: the position is the row id, handed out in commit order.
            _change = connection.CreateCommand();
            _change.Transaction = transaction;
            _change.CommandText = "INSERT INTO order_changes (source, order_id, kind, status_before, status_after, changed_at) VALUES ($source, $id, $kind, $before, $after, $now)";
            foreach (var name in new[] { "$source", "$id", "$kind", "$before", "$after" })
            {
                _change.Parameters.Add(name, SqliteType.Text);
            }

            _change.Parameters.AddWithValue("$now", now);
        }

        public async Task<StoreOutcome> UpsertAsync(StoredOrderRow row, CancellationToken cancellationToken)
        {
            _hash.Parameters["$source"].Value = row.Source;
            _hash.Parameters["$id"].Value = row.OrderId;
            string? existing = null;
            DateTimeOffset? storedUpdatedAt = null;
            string? storedStatus = null;
            var storedPartial = false;
            using (var reader = await _hash.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    existing = reader.GetString(0);
                    storedUpdatedAt = reader.IsDBNull(1) ? null : ParseTimestamp(reader.GetString(1));
                    storedStatus = reader.GetString(2);
                    storedPartial = reader.GetInt64(3) != 0;
                }
            }

            // No older copy replaces a newer one, and no partial copy a full one of the same or a newer update.
            var outcome = row.OutcomeOver(existing, storedUpdatedAt, storedPartial);
            if (outcome == StoreOutcome.Superseded)
            {
                return outcome;
            }

            _upsert.Parameters["$source"].Value = row.Source;
            _upsert.Parameters["$id"].Value = row.OrderId;
            _upsert.Parameters["$status"].Value = row.Status;
            _upsert.Parameters["$raw"].Value = row.StatusRaw;
            _upsert.Parameters["$account"].Value = (object?)row.AccountId ?? DBNull.Value;
            _upsert.Parameters["$updated"].Value = row.LastUpdatedAt is { } updated ? Timestamp(updated) : DBNull.Value;
            _upsert.Parameters["$created"].Value = row.CreatedAt is { } created ? Timestamp(created) : DBNull.Value;
            _upsert.Parameters["$seller"].Value = (object?)row.SellerOrderId ?? DBNull.Value;
            _upsert.Parameters["$amount"].Value = row.TotalAmount is { } amount ? amount.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            _upsert.Parameters["$currency"].Value = (object?)row.TotalCurrency ?? DBNull.Value;
            _upsert.Parameters["$hash"].Value = row.ContentHash;
            _upsert.Parameters["$public_size"].Value = row.PublicSize;
            _upsert.Parameters["$document"].Value = row.Document;
            _upsert.Parameters["$partial"].Value = row.IsPartial ? 1 : 0;
            await _upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (ChangeLogRows.KindOf(outcome) is { } kind)
            {
                _change.Parameters["$source"].Value = row.Source;
                _change.Parameters["$id"].Value = row.OrderId;
                _change.Parameters["$kind"].Value = kind;
                _change.Parameters["$before"].Value = outcome == StoreOutcome.Inserted ? DBNull.Value : storedStatus!;
                _change.Parameters["$after"].Value = row.Status;
                await _change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return outcome;
        }

        public async Task MarkAsync(OrderReference reference, SyncItemState state, SyncFailure? failure, CancellationToken cancellationToken)
        {
            _mark.Parameters["$state"].Value = (int)state;
            _mark.Parameters["$attempts"].Value = failure?.Attempts ?? 1;
            _mark.Parameters["$reason"].Value = (object?)failure?.Reason ?? DBNull.Value;
            _mark.Parameters["$type"].Value = (object?)failure?.ErrorKind ?? DBNull.Value;
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
            _change.Dispose();
        }
    }
}
