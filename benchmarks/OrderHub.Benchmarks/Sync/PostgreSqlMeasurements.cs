using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OrderHub.Storage.PostgreSql;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Benchmarks.Sync;

/// <summary>Sync runs into PostgreSQL (a throwaway initdb cluster on this machine), beside SQLite.</summary>
internal static class PostgreSqlMeasurements
{
    /// <summary>Unthrottled: orders per second with 1, 2 and 4 workers splitting one run, and SQLite with one, side by side.</summary>
    public static async Task UnthrottledAsync(int orders)
    {
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "1000000", "--sp-burst", "1000000", "--sp-orders", orders.ToString(CultureInfo.InvariantCulture)]);
        await using var postgres = await PostgreSqlServer.StartAsync();
        var ids = await emulator.OrderIdsAsync();

        var folder = Directory.CreateTempSubdirectory("orderhub-bench-pg-").FullName;
        await using (var sqlite = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "baseline.db")))
        {
            Report("SQLite, 1 worker (baseline)", orders, await RunWorkersAsync(emulator.BaseAddress, [sqlite], ids));
        }

        foreach (var workers in new[] { 1, 2, 4 })
        {
            var database = await postgres.CreateDatabaseAsync();
            var stores = new List<PostgreSqlOrderStore>();
            for (var i = 0; i < workers; i++)
            {
                stores.Add(await PostgreSqlOrderStore.OpenAsync(database));
            }

            var elapsed = await RunWorkersAsync(emulator.BaseAddress, [.. stores], ids);
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT COUNT(*) FROM orderhub_orders", connection);
            Report($"PostgreSQL, {workers} worker(s), {(long)(await count.ExecuteScalarAsync())!} stored", orders, elapsed);
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<TimeSpan> RunWorkersAsync(Uri endpoint, IOrderStore[] stores, string[] ids)
    {
        await new OrderSync(new OrderLookup([SyncMeasurements.SellingPartner(endpoint, 10_000, permitsPerSecond: 10_000)]), stores[0]).AddReferencesAsync("bench", ids.Select(id => new OrderReference("sp-api", id)));
        var syncs = stores.Select(store => new OrderSync(new OrderLookup([SyncMeasurements.SellingPartner(endpoint, 10_000, permitsPerSecond: 10_000)]), store)).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(syncs.Select(sync => sync.RunAsync("bench", new OrderSyncOptions { MaxConcurrencyPerSource = 64 / stores.Length, BatchSize = 500 })));
        return clock.Elapsed;
    }

    private static void Report(string what, int orders, TimeSpan elapsed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unthrottled into {what}: {orders} orders in {elapsed.TotalSeconds:0.0} s = {orders / elapsed.TotalSeconds:0} orders/s"));
}
