using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>Files OrderHub cannot use get a message naming the file and what to do, and are left as they were.</summary>
public sealed class UnusableDatabaseTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static string Digest(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static void CreateForeignDatabase(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void ShouldBeUntouched(string digestBefore)
    {
        Digest(_database.Path).ShouldBe(digestBefore);
        File.Exists(_database.Path + "-wal").ShouldBeFalse("the file was not switched to WAL");
    }

    [Fact]
    public async Task Open_AnotherApplicationsDatabase_IsRefusedUntouched()
    {
        CreateForeignDatabase(_database.Path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO customers (email) VALUES ('x@example.com');");
        var before = Digest(_database.Path);

        var error = await Should.ThrowAsync<OrderStoreException>(() => SqliteOrderStore.OpenAsync(_database.Path));

        error.Message.ShouldContain(_database.Path);
        error.Message.ShouldContain("did not create");
        error.Message.ShouldContain("customers");
        error.Location.ShouldBe(_database.Path);
        ShouldBeUntouched(before);
    }

    [Fact]
    public async Task Open_DatabaseWithAnotherApplicationId_IsRefusedUntouched()
    {
        CreateForeignDatabase(_database.Path, "PRAGMA application_id = 1234; CREATE TABLE orders (id INTEGER);");
        var before = Digest(_database.Path);

        var error = await Should.ThrowAsync<OrderStoreException>(() => SqliteOrderStore.OpenAsync(_database.Path));

        error.Message.ShouldContain("another application's SQLite database");
        ShouldBeUntouched(before);
    }

    [Fact]
    public async Task Open_SchemaFromTheFuture_IsRefusedUntouched_NamingBothVersions()
    {
        await (await SqliteOrderStore.OpenAsync(_database.Path)).DisposeAsync();
        CreateForeignDatabase(_database.Path, "PRAGMA journal_mode=DELETE; INSERT INTO schema_version (version) VALUES (99);");
        SqliteConnection.ClearAllPools();
        var before = Digest(_database.Path);

        var error = await Should.ThrowAsync<OrderStoreException>(() => SqliteOrderStore.OpenAsync(_database.Path));

        error.Message.ShouldContain("newer OrderHub");
        error.Message.ShouldContain("99");
        error.Message.ShouldContain(SqliteOrderStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ShouldBeUntouched(before);
    }

    [Fact]
    public async Task Open_CorruptFile_SaysSoUntouched()
    {
        await File.WriteAllBytesAsync(_database.Path, RandomNumberGenerator.GetBytes(8192));
        var before = Digest(_database.Path);

        var error = await Should.ThrowAsync<OrderStoreException>(() => SqliteOrderStore.OpenAsync(_database.Path));

        error.Message.ShouldContain("not a SQLite database, or it is corrupt");
        error.InnerException.ShouldBeOfType<SqliteException>();
        ShouldBeUntouched(before);
    }

    [Fact]
    public async Task Open_PathThatIsAFolder_SaysToGiveAFile()
    {
        var folder = Path.GetDirectoryName(_database.Path)!;

        var error = await Should.ThrowAsync<OrderStoreException>(() => SqliteOrderStore.OpenAsync(folder));

        error.Message.ShouldContain("is a folder");
    }

    [Fact]
    public async Task Open_InAFolderThatDoesNotExist_SaysSo_AndCreatesNothing()
    {
        var path = Path.Combine(Path.GetDirectoryName(_database.Path)!, "missing", "orders.db");

        var error = await Should.ThrowAsync<OrderStoreException>(() => SqliteOrderStore.OpenAsync(path));

        error.Message.ShouldContain("does not exist");
        Directory.Exists(Path.GetDirectoryName(path)).ShouldBeFalse();
    }

    [Fact]
    public async Task Open_OrderHubDatabaseMadeBeforeTheApplicationId_IsRecognized_AndMarked()
    {
        // The tables of schema version 2, as OrderHub wrote them before it set the application id.
        CreateForeignDatabase(_database.Path, "CREATE TABLE schema_version (version INTEGER NOT NULL); " + SqliteSchemaAccess.Version1 + "; ALTER TABLE orders ADD COLUMN public_json BLOB; INSERT INTO schema_version VALUES (2);");

        await using (await SqliteOrderStore.OpenAsync(_database.Path))
        {
        }

        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA application_id";
        Convert.ToInt32(command.ExecuteScalar()).ShouldBe(SqliteOrderStore.ApplicationId);
    }

    [Fact]
    public async Task Commit_WhileAnotherProcessHoldsTheWriteLock_FailsAfterTheBusyTimeout_NamingTheFile()
    {
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path, new SqliteOrderStoreOptions { BusyTimeout = TimeSpan.FromSeconds(1) });
        await store.AddToRunAsync("run", [new OrderReference("outposts", "oo-0123456789abcdef0")]);
        using var other = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        other.Open();
        using var lockIt = other.CreateCommand();
        lockIt.CommandText = "BEGIN EXCLUSIVE";
        lockIt.ExecuteNonQuery();

        var error = await Should.ThrowAsync<OrderStoreException>(() => store.AddToRunAsync("run", [new OrderReference("outposts", "oo-00000000000000001")]));

        error.Message.ShouldContain("locked by another process");
        error.Message.ShouldContain(_database.Path);
    }
}
