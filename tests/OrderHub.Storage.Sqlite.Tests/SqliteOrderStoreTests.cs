using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

public sealed class SqliteOrderStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static Order SampleOrder(string id = "oo-0123456789abcdef0", string status = "PREPARING") => OrderHub.Testing.OrderStoreContractTests.SampleOrder(id, status);

    private static SyncResult Fetched(Order order) => OrderHub.Testing.OrderStoreContractTests.Fetched(order);

    [Fact]
    public async Task Open_CreatesTheSchemaAtTheCurrentVersion_InWalMode_AndReopenKeepsData()
    {
        await using (var store = await SqliteOrderStore.OpenAsync(_database.Path))
        {
            (await store.UpsertAsync(SampleOrder())).ShouldBe(StoreOutcome.Inserted);
        }

        await using (var reopened = await SqliteOrderStore.OpenAsync(_database.Path))
        {
            (await reopened.GetAsync("outposts", "oo-0123456789abcdef0")).ShouldNotBeNull();
        }

        await using var connection = new SqliteConnection($"Data Source={_database.Path}");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version; ";
        Convert.ToInt32(await command.ExecuteScalarAsync()).ShouldBe(SqliteOrderStore.SchemaVersion);
        command.CommandText = "PRAGMA journal_mode";
        ((string)(await command.ExecuteScalarAsync())!).ShouldBe("wal");
        command.CommandText = "PRAGMA page_size";
        Convert.ToInt32(await command.ExecuteScalarAsync()).ShouldBe(32 * 1024, "a new database has pages an order's row fits in");
        command.CommandText = "SELECT COUNT(*) FROM schema_version";
        Convert.ToInt32(await command.ExecuteScalarAsync()).ShouldBe(SqliteOrderStore.SchemaVersion, "each migration is applied once, a second open applies none");
    }

    [Fact]
    public async Task Upsert_SameContent_IsUnchanged_OtherContent_IsUpdated()
    {
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);

        (await store.UpsertAsync(SampleOrder())).ShouldBe(StoreOutcome.Inserted);
        (await store.UpsertAsync(SampleOrder())).ShouldBe(StoreOutcome.Unchanged);
        (await store.UpsertAsync(SampleOrder(status: "IN_PROGRESS"))).ShouldBe(StoreOutcome.Updated);

        var stored = await store.GetAsync("outposts", "oo-0123456789abcdef0");
        using var json = JsonDocument.Parse(stored!.Json);
        json.RootElement.GetProperty("status").GetProperty("raw").GetString().ShouldBe("IN_PROGRESS");
        json.RootElement.GetProperty("total").GetProperty("amount").GetString().ShouldBe("11.01");
        json.RootElement.GetProperty("lastUpdatedAt").GetString().ShouldBe("2026-01-02T03:04:05Z");
        json.RootElement.GetProperty("rawPayload").GetProperty("Status").GetString().ShouldBe("IN_PROGRESS");
        using var publicJson = JsonDocument.Parse(stored.PublicJson!);
        publicJson.RootElement.TryGetProperty("rawPayload", out _).ShouldBeFalse();
        publicJson.RootElement.GetProperty("orderId").GetString().ShouldBe("oo-0123456789abcdef0");
        (await store.CountOrdersAsync())["outposts"].ShouldBe(1);
    }

    [Fact]
    public async Task Run_AddingTheSameReferencesTwice_AddsThemOnce()
    {
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        OrderReference[] refs = [new("sp-api", "111-1111111-1111111"), new("sp-api", "222-2222222-2222222")];

        (await store.AddToRunAsync("run", refs)).ShouldBe(2);
        (await store.AddToRunAsync("run", [.. refs, new("sp-api", "333-3333333-3333333")])).ShouldBe(1);

        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(3, 0, 0));
        var pending = new List<OrderReference>();
        await foreach (var reference in store.GetPendingAsync("run"))
        {
            pending.Add(reference);
        }

        pending.ShouldBe([.. refs, new("sp-api", "333-3333333-3333333")]);
    }

    [Fact]
    public async Task Commit_MarksStoredDone_PermanentFailuresFailed_AndRetryableOnesPending()
    {
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var ok = SampleOrder();
        OrderReference missing = new("outposts", "oo-11111111111111111");
        OrderReference flaky = new("outposts", "oo-22222222222222222");
        await store.AddToRunAsync("run", [new(ok.Source, ok.OrderId), missing, flaky]);

        var outcomes = await store.CommitAsync("run",
        [
            Fetched(ok),
            new SyncResult { Reference = missing, Failure = new SyncFailure(missing, "not found", "OrderNotFoundException", 1, "req-404", Permanent: true) },
            new SyncResult { Reference = flaky, Failure = new SyncFailure(flaky, "unavailable", "OrderSourceUnavailableException", 3, "req-503", Permanent: false) },
        ]);

        outcomes.ShouldBe([StoreOutcome.Inserted, StoreOutcome.Failed, StoreOutcome.Failed]);
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(Pending: 1, Done: 1, Failed: 1));
        var failures = await store.GetFailuresAsync("run");
        failures.ShouldBe(
        [
            new SyncFailure(missing, "not found", "OrderNotFoundException", 1, "req-404", true),
            new SyncFailure(flaky, "unavailable", "OrderSourceUnavailableException", 3, "req-503", false),
        ]);
        var pending = new List<OrderReference>();
        await foreach (var reference in store.GetPendingAsync("run"))
        {
            pending.Add(reference);
        }

        pending.ShouldBe([flaky]);
    }

    [Fact]
    public async Task StoredOrder_ToString_HoldsNoOrderContent()
    {
        // A fixed clock: the stored-at time is part of the text, and a wall-clock time can hold "11.01" by chance.
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path, new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        await store.UpsertAsync(SampleOrder());

        (await store.GetAsync("outposts", "oo-0123456789abcdef0"))!.ToString().ShouldNotContain("11.01");
    }
}

public sealed class SqliteSchemaMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_DatabaseAtVersion1_IsMigratedKeepingItsRows()
    {
        await using (var connection = new SqliteConnection($"Data Source={_database.Path}"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL); " + SqliteSchemaAccess.Version1 +
                "; INSERT INTO schema_version VALUES (1); INSERT INTO orders VALUES ('sp-api','111-1111111-1111111','Pending','Pending',NULL,NULL,'h',x'7B7D','2026-01-01T00:00:00Z');";
            await command.ExecuteNonQueryAsync();
        }

        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);

        await using (var check = new SqliteConnection($"Data Source={_database.Path}"))
        {
            await check.OpenAsync();
            using var pageSize = check.CreateCommand();
            pageSize.CommandText = "PRAGMA page_size";
            Convert.ToInt32(await pageSize.ExecuteScalarAsync()).ShouldBe(4096, "an existing database keeps the page size it was made with");
        }

        var old = await store.GetAsync("sp-api", "111-1111111-1111111");
        old.ShouldNotBeNull();
        old.PublicJson.ShouldBeNull();
        old.Json.ShouldBe("{}"u8.ToArray());
        old.ContentHash.ShouldBe("h");
        old.StoredAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        // The migrated table still knows an order by its source and id: storing it again updates the one row.
        var order = OrderHub.Testing.OrderStoreContractTests.SampleOrder("111-1111111-1111111") with { Source = "sp-api" };
        (await store.UpsertAsync(order)).ShouldBe(StoreOutcome.Updated);
        (await store.CountOrdersAsync())["sp-api"].ShouldBe(1);
    }
}

/// <summary>The SQLite store passes the contract every store passes.</summary>
public sealed class SqliteOrderStoreContractTests : OrderHub.Testing.OrderStoreContractTests, IDisposable
{
    private readonly TempDatabases _databases = new();

    protected override async Task<IOrderStore> CreateStoreAsync(TimeProvider timeProvider) => await SqliteOrderStore.OpenAsync(_databases.NewPath(), timeProvider);

    public void Dispose() => _databases.Dispose();
}

/// <summary>The SQLite store keeps cursors as every cursor store does.</summary>
public sealed class SqliteSyncCursorStoreContractTests : OrderHub.Testing.SyncCursorStoreContractTests, IDisposable
{
    private readonly TempDatabases _databases = new();

    protected override async Task<ISyncCursorStore> CreateStoreAsync() => await SqliteOrderStore.OpenAsync(_databases.NewPath());

    public void Dispose() => _databases.Dispose();
}

/// <summary>The SQLite store keeps a change log as every store does.</summary>
public sealed class SqliteOrderChangeLogContractTests : OrderHub.Testing.OrderChangeLogContractTests, IDisposable
{
    private readonly TempDatabases _databases = new();

    protected override async Task<(IOrderStore Store, Func<Task<IOrderStore>>? Reopen)> CreateStoreAsync(TimeProvider timeProvider, TimeSpan retention)
    {
        var path = _databases.NewPath();
        var options = new SqliteOrderStoreOptions { ChangeLogRetention = retention };
        return (await SqliteOrderStore.OpenAsync(path, options, timeProvider), async () => await SqliteOrderStore.OpenAsync(path, options, timeProvider));
    }

    public void Dispose() => _databases.Dispose();
}

/// <summary>The SQLite store remembers the notifications acted on as every ledger does.</summary>
public sealed class SqliteOrderNotificationLedgerContractTests : OrderHub.Testing.OrderNotificationLedgerContractTests, IDisposable
{
    private readonly TempDatabases _databases = new();

    protected override async Task<IOrderNotificationLedger> CreateStoreAsync(TimeProvider timeProvider) => await SqliteOrderStore.OpenAsync(_databases.NewPath(), timeProvider);

    public void Dispose() => _databases.Dispose();
}
