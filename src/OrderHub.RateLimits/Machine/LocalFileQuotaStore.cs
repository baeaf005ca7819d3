using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace OrderHub.RateLimits;

/// <summary>
/// Buckets in a small SQLite file that every OrderHub process of the user on this machine shares, with nothing to
/// install or configure: each reservation is one short <c>BEGIN IMMEDIATE</c> transaction on the machine's clock.
/// </summary>
/// <remarks>
/// The file holds partitions (hashes, never secrets), rates and times, nothing else. It is opened on first use; a
/// file that cannot be used (locked past the busy timeout, read-only, a folder, another application's database) makes
/// each call throw <see cref="QuotaStoreUnavailableException"/> naming the file, and the next call tries again.
/// </remarks>
public sealed class LocalFileQuotaStore : IQuotaStore, IDisposable
{
    /// <summary>The SQLite application id this store marks its file with (<c>PRAGMA application_id</c>): "ORQT".</summary>
    public const int ApplicationId = 0x4F525154;

    private const string Columns = "permits, updated_us, resumes_us, permits_per_second, burst, last_throttled_us";

    // SQLITE_READONLY_DBMOVED: SQLite refuses to write a file whose path now names another file or none.
    private const int SqliteReadOnlyDatabaseMoved = 1032;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _busyTimeout;
    private SqliteConnection? _connection;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LocalFileQuotaStore"/> class; the file is opened (and created) on first use.</summary>
    /// <param name="path">The file; see <see cref="DefaultPath"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="busyTimeout">How long a reservation waits for another process's transaction; the default is 5 seconds.</param>
    public LocalFileQuotaStore(string path, TimeProvider? timeProvider = null, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5);
    }

    /// <summary>
    /// Gets the file every process of this user shares unless told otherwise: <c>OrderHub/rate-limits.db</c> in the
    /// user's local application data (<c>~/.local/share</c> on Linux, <c>%LOCALAPPDATA%</c> on Windows), or in the
    /// temporary folder when the user has none.
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(root))
            {
                root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"orderhub-{Environment.UserName}");
            }

            return System.IO.Path.Combine(root, "OrderHub", "rate-limits.db");
        }
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Description => $"the rate-limit file {Path}";

    /// <inheritdoc />
    public ValueTask<QuotaReservation> ReserveAsync(QuotaDefinition quota, QuotaReservationRequest request, CancellationToken cancellationToken = default) =>
        UpdateAsync(quota, request.StartFull, TokenBucketChanges.Reserve(quota, request), cancellationToken);

    /// <inheritdoc />
    public ValueTask<QuotaBucket> AdoptRateAsync(QuotaDefinition quota, double permitsPerSecond, CancellationToken cancellationToken = default) =>
        UpdateAsync(quota, true, TokenBucketChanges.AdoptRate(quota, permitsPerSecond), cancellationToken);

    /// <inheritdoc />
    public ValueTask<QuotaBucket> AdoptBurstAsync(QuotaDefinition quota, int burst, CancellationToken cancellationToken = default) =>
        UpdateAsync(quota, true, TokenBucketChanges.AdoptBurst(quota, burst), cancellationToken);

    /// <inheritdoc />
    public ValueTask<QuotaBucket> DrainAsync(QuotaDefinition quota, CancellationToken cancellationToken = default) =>
        UpdateAsync(quota, true, TokenBucketChanges.Drain(quota), cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<QuotaBucket> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buckets = new List<QuotaBucket>();
        await RunAsync(
            connection =>
            {
                var now = TokenBucketState.ToMicros(_timeProvider.GetUtcNow());
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT partition, {Columns} FROM quota_bucket ORDER BY partition";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var state = Read(reader, 1);
                    state.Refill(now);
                    buckets.Add(state.ToBucket(reader.GetString(0), now));
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var bucket in buckets)
        {
            yield return bucket;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private ValueTask<T> UpdateAsync<T>(QuotaDefinition quota, bool startFull, TokenBucketChange<T> change, CancellationToken cancellationToken) =>
        new(RunAsync(
            connection =>
            {
                // BEGIN IMMEDIATE: the write lock is taken before the read, so two processes never compute from the same state.
                using var transaction = connection.BeginTransaction(deferred: false);
                var now = TokenBucketState.ToMicros(_timeProvider.GetUtcNow());
                TokenBucketState state;
                using (var select = connection.CreateCommand())
                {
                    select.Transaction = transaction;
                    select.CommandText = $"SELECT {Columns} FROM quota_bucket WHERE partition = $p";
                    select.Parameters.AddWithValue("$p", quota.Partition);
                    using var reader = select.ExecuteReader();
                    state = reader.Read() ? Read(reader, 0) : TokenBucketState.New(quota, now, startFull);
                }

                var result = change(ref state, now);
                using (var upsert = connection.CreateCommand())
                {
                    upsert.Transaction = transaction;
                    upsert.CommandText = $"""
                        INSERT INTO quota_bucket (partition, {Columns}, forget_after_us) VALUES ($p, $permits, $updated, $resumes, $rate, $burst, $throttled, $forget)
                        ON CONFLICT (partition) DO UPDATE SET permits = excluded.permits, updated_us = excluded.updated_us, resumes_us = excluded.resumes_us,
                          permits_per_second = excluded.permits_per_second, burst = excluded.burst, last_throttled_us = excluded.last_throttled_us, forget_after_us = excluded.forget_after_us
                        """;
                    upsert.Parameters.AddWithValue("$p", quota.Partition);
                    upsert.Parameters.AddWithValue("$permits", state.Permits);
                    upsert.Parameters.AddWithValue("$updated", state.UpdatedMicros);
                    upsert.Parameters.AddWithValue("$resumes", state.AccrualResumesMicros);
                    upsert.Parameters.AddWithValue("$rate", state.PermitsPerSecond);
                    upsert.Parameters.AddWithValue("$burst", state.Burst);
                    upsert.Parameters.AddWithValue("$throttled", (object?)state.LastThrottledMicros ?? DBNull.Value);
                    upsert.Parameters.AddWithValue("$forget", now + state.IdleMicrosUntilForgettable(now));
                    upsert.ExecuteNonQuery();
                }

                transaction.Commit();
                return result;
            },
            cancellationToken));

    // One connection per store, one transaction at a time within the process (SQLite's busy handler backs off in
    // milliseconds; the gate keeps it for contention between processes). A failure drops the connection, so the next
    // call opens the file afresh: the store recovers on its own once the file is usable again.
    private async Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _connection ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return work(_connection);
            }
            catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteReadOnlyDatabaseMoved)
            {
                // The file at the path was deleted or replaced while this process held the old one open: the other
                // processes spend the quota in the file now at the path, so this one moves to it and tries once more
                // (the failed transaction was rolled back and took nothing).
                _connection.Dispose();
                _connection = null;
                _connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                return work(_connection);
            }
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException && e is not ObjectDisposedException)
        {
            _connection?.Dispose();
            _connection = null;
            throw new QuotaStoreUnavailableException(Explain(e), e);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(Path))
        {
            throw new IOException("it is a folder");
        }

        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Max(1, Math.Ceiling(_busyTimeout.TotalSeconds)),
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={(long)_busyTimeout.TotalMilliseconds};"), cancellationToken).ConfigureAwait(false);
            var applicationId = await ScalarAsync(connection, "PRAGMA application_id", cancellationToken).ConfigureAwait(false);
            var tables = await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name <> 'quota_bucket'", cancellationToken).ConfigureAwait(false);
            if (applicationId != ApplicationId && (applicationId != 0 || tables != 0))
            {
                // Never write into another application's database (or an OrderHub order store) given by mistake.
                throw new InvalidOperationException("it is another application's database, not an OrderHub rate-limit file");
            }

            // A rollback journal, not WAL, and no memory map: WAL's -shm index is memory-mapped, so a file set made
            // unwritable, truncated or replaced under a running process kills it with SIGBUS, where a journal gives an
            // error this store reports. The journal also makes SQLite check on each write that the path still names
            // the file open (SQLITE_READONLY_DBMOVED), which is how a replaced file is noticed. Transactions are a
            // few rows, so WAL's concurrency buys nothing here. A file an older version left in WAL mode is switched
            // back once no other process has it open.
            await ExecuteAsync(connection, "PRAGMA mmap_size=0;", cancellationToken).ConfigureAwait(false);
            await ScalarTextAsync(connection, "PRAGMA journal_mode=DELETE", cancellationToken).ConfigureAwait(false);

            // synchronous=NORMAL: a power cut may lose the last grants, never corrupt the file.
            await ExecuteAsync(
                connection,
                string.Create(CultureInfo.InvariantCulture, $"""
                    PRAGMA synchronous=NORMAL; PRAGMA application_id={ApplicationId};
                    CREATE TABLE IF NOT EXISTS quota_bucket (
                      partition TEXT PRIMARY KEY NOT NULL, permits REAL NOT NULL, updated_us INTEGER NOT NULL, resumes_us INTEGER NOT NULL,
                      permits_per_second REAL NOT NULL, burst INTEGER NOT NULL, last_throttled_us INTEGER, forget_after_us INTEGER NOT NULL);
                    DELETE FROM quota_bucket WHERE forget_after_us < {TokenBucketState.ToMicros(_timeProvider.GetUtcNow())};
                    """),
                cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string Explain(Exception e)
    {
        var reason = e switch
        {
            SqliteException { SqliteErrorCode: 5 or 6 } => $"another process held it locked for longer than the busy timeout of {_busyTimeout.TotalSeconds:0.#} s",
            SqliteException { SqliteErrorCode: 8 } => "it is read-only",
            SqliteException { SqliteErrorCode: 13 } => "the disk is full",
            SqliteException { SqliteErrorCode: 11 or 26 } => "it is not a SQLite database or is corrupt",
            SqliteException { SqliteErrorCode: 14 } or UnauthorizedAccessException => "it cannot be opened or created (check the folder exists and is writable)",
            _ => e.Message,
        };
        return $"The rate-limit file {Path} cannot be used: {reason}. No request was sent on its behalf. Make it a writable file, "
            + "set OrderHub:RateLimits:File (ORDERHUB_RATE_LIMITS_FILE) to another path, or keep rate limits in each process "
            + "(OrderHub:RateLimits:Store = Process, ORDERHUB_RATE_LIMITS=process) if no other process uses the same credentials.";
    }

    private static TokenBucketState Read(SqliteDataReader reader, int first) => new()
    {
        Permits = reader.GetDouble(first),
        UpdatedMicros = reader.GetInt64(first + 1),
        AccrualResumesMicros = reader.GetInt64(first + 2),
        PermitsPerSecond = reader.GetDouble(first + 3),
        Burst = reader.GetInt32(first + 4),
        LastThrottledMicros = reader.IsDBNull(first + 5) ? null : reader.GetInt64(first + 5),
    };

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string?> ScalarTextAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }
}
