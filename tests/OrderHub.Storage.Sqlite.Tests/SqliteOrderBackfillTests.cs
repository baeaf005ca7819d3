using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>The backfill run against a SQLite file, opened again as a restarted process opens it.</summary>
public sealed class SqliteOrderBackfillTests : OrderBackfillContractTests, IDisposable
{
    private readonly TempDatabases _databases = new();

    protected override async Task<(ISyncCursorStore Store, Func<Task<ISyncCursorStore>> Reopen)> CreateStoreAsync(TimeProvider timeProvider)
    {
        var path = _databases.NewPath();
        return (await SqliteOrderStore.OpenAsync(path, timeProvider), async () => await SqliteOrderStore.OpenAsync(path, timeProvider));
    }

    public void Dispose() => _databases.Dispose();
}
