using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OrderHub.RateLimits;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests;

public sealed class LocalFileQuotaStoreTests : QuotaStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-quota-").FullName;
    private readonly List<LocalFileQuotaStore> _stores = [];

    private string FilePath => Path.Combine(_folder, "rate-limits.db");

    protected override IQuotaStore CreateStore() => Track(new LocalFileQuotaStore(FilePath));

    [Fact]
    public async Task ReserveAsync_SecondStoreOnTheFile_SeesTheTimeAndDebtOfTheFirst()
    {
        var time = new FakeTimeProvider();
        var quota = new QuotaDefinition("p", permitsPerSecond: 1, burst: 1);
        var first = Track(new LocalFileQuotaStore(FilePath, time));
        var second = Track(new LocalFileQuotaStore(FilePath, time));

        await first.ReserveAsync(quota, new QuotaReservationRequest());
        var queued = await second.ReserveAsync(quota, new QuotaReservationRequest());
        time.Advance(TimeSpan.FromSeconds(2));
        var afterRefill = await first.ReserveAsync(quota, new QuotaReservationRequest());

        queued.Wait.ShouldBe(TimeSpan.FromSeconds(1));
        afterRefill.Wait.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task ReserveAsync_CreatesTheFolderAndMarksTheFile()
    {
        var path = Path.Combine(_folder, "nested", "OrderHub", "rate-limits.db");
        var store = Track(new LocalFileQuotaStore(path));

        await store.ReserveAsync(new QuotaDefinition("p", 1, 1), new QuotaReservationRequest());

        File.Exists(path).ShouldBeTrue();
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA application_id";
        Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(LocalFileQuotaStore.ApplicationId);
    }

    [Fact]
    public async Task ReserveAsync_AnotherApplicationsDatabase_IsRefusedUntouched()
    {
        await using (var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);";
            await command.ExecuteNonQueryAsync();
        }

        var before = SHA256.HashData(await File.ReadAllBytesAsync(FilePath));
        var store = Track(new LocalFileQuotaStore(FilePath));

        var error = await Should.ThrowAsync<QuotaStoreUnavailableException>(() => store.ReserveAsync(new QuotaDefinition("p", 1, 1), new QuotaReservationRequest()).AsTask());

        error.Message.ShouldContain(FilePath);
        error.Message.ShouldContain("another application's database");
        error.Message.ShouldContain("OrderHub:RateLimits:File");
        SHA256.HashData(await File.ReadAllBytesAsync(FilePath)).ShouldBe(before);
    }

    [Fact]
    public async Task ReserveAsync_UnusablePath_FailsNamingTheFile_ThenRecoversOnItsOwn()
    {
        Directory.CreateDirectory(FilePath); // a folder where the file should be
        var store = Track(new LocalFileQuotaStore(FilePath));
        var quota = new QuotaDefinition("p", 1, 1);

        var error = await Should.ThrowAsync<QuotaStoreUnavailableException>(() => store.ReserveAsync(quota, new QuotaReservationRequest()).AsTask());
        Directory.Delete(FilePath);
        var reservation = await store.ReserveAsync(quota, new QuotaReservationRequest());

        error.Message.ShouldContain($"The rate-limit file {FilePath} cannot be used: it is a folder");
        reservation.IsGranted.ShouldBeTrue();
    }

    [Fact]
    public async Task ReserveAsync_FileLockedByAnotherWriter_FailsAfterTheBusyTimeout_ThenRecovers()
    {
        var quota = new QuotaDefinition("p", 0.001, 5);
        var store = Track(new LocalFileQuotaStore(FilePath, busyTimeout: TimeSpan.FromMilliseconds(200)));
        await store.ReserveAsync(quota, new QuotaReservationRequest());

        var holder = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        await holder.OpenAsync();
        var exclusive = holder.BeginTransaction(deferred: false);
        await using (var write = holder.CreateCommand())
        {
            write.Transaction = exclusive;
            write.CommandText = "UPDATE quota_bucket SET permits = permits";
            await write.ExecuteNonQueryAsync();
        }

        var error = await Should.ThrowAsync<QuotaStoreUnavailableException>(() => store.ReserveAsync(quota, new QuotaReservationRequest()).AsTask());
        exclusive.Rollback();
        await holder.DisposeAsync();
        var reservation = await store.ReserveAsync(quota, new QuotaReservationRequest());

        error.Message.ShouldContain("held it locked for longer than the busy timeout");
        reservation.IsGranted.ShouldBeTrue();
        reservation.Bucket.Permits.ShouldBe(3, 0.01, "the failed reservation took nothing");
    }

    [Fact]
    public async Task ReserveAsync_FileReplacedWhileOpen_MovesToTheFileNowAtThePath()
    {
        var time = new FakeTimeProvider();
        var quota = new QuotaDefinition("p", permitsPerSecond: 1, burst: 1);
        var running = Track(new LocalFileQuotaStore(FilePath, time));
        await running.ReserveAsync(quota, new QuotaReservationRequest());
        time.Advance(TimeSpan.FromSeconds(1)); // the bucket in the open file is full again

        foreach (var file in Directory.GetFiles(_folder, "rate-limits.db*"))
        {
            File.Delete(file);
        }

        var newcomer = Track(new LocalFileQuotaStore(FilePath, time));
        var newcomers = await newcomer.ReserveAsync(quota, new QuotaReservationRequest());
        var runnings = await running.ReserveAsync(quota, new QuotaReservationRequest());

        newcomers.Wait.ShouldBe(TimeSpan.Zero);
        runnings.Wait.ShouldBe(TimeSpan.FromSeconds(1), "the running store queues behind the newcomer in the new file, not in the deleted one");
        (await newcomer.ListAsync().SingleAsync()).Waiting.ShouldBe(1);
    }

    [Fact]
    public async Task ReserveAsync_MapsNoSharedMemory_SoAFileSetChangedUnderItCannotKillTheProcess()
    {
        var quota = new QuotaDefinition("p", 1000, 1000);
        var store = Track(new LocalFileQuotaStore(FilePath));
        await store.ReserveAsync(quota, new QuotaReservationRequest());

        // WAL's -shm index is memory-mapped: truncated (or made unwritable) under a running process, the next access
        // is SIGBUS. Without it, truncating the whole file set is an error the store reports, then recovers from.
        File.Exists(FilePath + "-shm").ShouldBeFalse("nothing of the file set is memory-mapped");
        foreach (var file in Directory.GetFiles(_folder, "rate-limits.db*"))
        {
            await using var truncate = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            truncate.SetLength(0);
        }

        var first = await Record.ExceptionAsync(() => store.ReserveAsync(quota, new QuotaReservationRequest()).AsTask());
        var second = await store.ReserveAsync(quota, new QuotaReservationRequest());

        if (first is not null)
        {
            first.ShouldBeOfType<QuotaStoreUnavailableException>().Message.ShouldContain(FilePath);
        }

        second.IsGranted.ShouldBeTrue();
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private LocalFileQuotaStore Track(LocalFileQuotaStore store)
    {
        _stores.Add(store);
        return store;
    }
}
