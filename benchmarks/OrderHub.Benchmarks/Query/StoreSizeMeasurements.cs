using System.Diagnostics;
using System.Globalization;
using OrderHub.Benchmarks.Sync;
using OrderHub.SellingPartner;
using OrderHub.Storage.PostgreSql;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Benchmarks.Query;

/// <summary>
/// Bytes on disk per order: the emulator's orders, read through the Orders API 2026-01-01 unthrottled and synced into a
/// fresh SQLite file and a fresh database of a real PostgreSQL server, as a user's sync stores them.
/// </summary>
internal static class StoreSizeMeasurements
{
    public static async Task RunAsync(int orders)
    {
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "1000000", "--sp-burst", "1000000", "--sp-orders", orders.ToString(CultureInfo.InvariantCulture)]);
        await using var postgres = await PostgreSqlServer.StartAsync();
        var ids = await emulator.OrderIdsAsync();
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-size-").FullName;
        try
        {
            var path = Path.Combine(folder, "size.db");
            long stored;
            await using (var sqlite = await SqliteOrderStore.OpenAsync(path))
            {
                stored = await SyncAsync("SQLite", emulator.BaseAddress, sqlite, ids);
            }

            await OnDiskSize.ReportSqliteAsync("SQLite", path, stored);

            var database = await postgres.CreateDatabaseAsync();
            var before = await OnDiskSize.PostgreSqlDatabaseSizeAsync(database);
            await using (var store = await PostgreSqlOrderStore.OpenAsync(database))
            {
                stored = await SyncAsync("PostgreSQL", emulator.BaseAddress, store, ids);
            }

            await OnDiskSize.ReportPostgreSqlAsync("PostgreSQL", database, before, stored);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<long> SyncAsync(string what, Uri emulator, IOrderStore store, string[] ids)
    {
        var sync = new OrderSync(new OrderLookup([SyncMeasurements.SellingPartner(emulator, 10_000, permitsPerSecond: 10_000, ordersApiVersion: SellingPartnerOrdersApi.V20260101)]), store);
        await sync.AddReferencesAsync("size", ids.Select(id => new OrderReference("sp-api", id)));
        var clock = Stopwatch.StartNew();
        var result = await sync.RunAsync("size", new OrderSyncOptions { MaxConcurrencyPerSource = 64, BatchSize = 500 });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: synced {result.Inserted} of {ids.Length} orders (Orders API 2026-01-01, unthrottled) in {clock.Elapsed.TotalSeconds:0.0} s; failed {result.Failed}"));
        return result.Inserted;
    }
}
