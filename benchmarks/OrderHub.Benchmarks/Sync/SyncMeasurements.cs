using System.Diagnostics;
using System.Globalization;
using OrderHub.Emulator.Hosting;
using OrderHub.SellingPartner;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.RateLimits;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// Whole-run measurements that BenchmarkDotNet's many-iteration model does not fit: one sync, timed, against the
/// emulator over loopback.
/// </summary>
internal static class SyncMeasurements
{
    /// <summary>(a) 1,000 orders against a 25 req/s, burst 30 limit: wall time over the theoretical minimum, and 429s.</summary>
    /// <param name="ordersApiVersion">The Orders API version to read through.</param>
    public static async Task ThrottleEfficiencyAsync(string ordersApiVersion)
    {
        const int orders = 1000;
        const double rate = 25;
        const int burst = 30;
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "25", "--sp-burst", "30", "--sp-orders", "1000"]);
        var source = SellingPartner(emulator.BaseAddress, burst, ordersApiVersion: ordersApiVersion);
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-").FullName;
        await using var store = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "throttle.db"));
        var sync = new OrderSync(new OrderLookup([source]), store);
        var ids = await emulator.OrderIdsAsync();
        await sync.AddReferencesAsync("bench", ids.Select(id => new OrderReference("sp-api", id)));

        // Warm the token and the connection with one order outside the measured run, then let the bucket refill.
        await source.GetOrderAsync(ids[0]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        var result = await sync.RunAsync("bench", new OrderSyncOptions { MaxConcurrencyPerSource = 32 });
        clock.Stop();

        var minimum = (orders - burst) / rate;
        var throttled = await emulator.ThrottledAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"throttle efficiency ({ordersApiVersion}): {orders} orders at {rate} req/s burst {burst}: {clock.Elapsed.TotalSeconds:0.00} s, theoretical minimum {minimum:0.00} s, ratio {clock.Elapsed.TotalSeconds / minimum:0.000}; 429s received: {throttled}; stored {result.Inserted + result.Unchanged}, failed {result.Failed}"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>(b) Unthrottled: orders per second into SQLite, and peak memory of this process, for a given count.</summary>
    public static async Task UnthrottledAsync(int orders)
    {
        // The emulator runs in its own process, so this process's memory is the sync's alone.
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "1000000", "--sp-burst", "1000000", "--sp-orders", orders.ToString(CultureInfo.InvariantCulture)]);
        {
            // The largest rate and burst the options allow: far above what one process reads, so the limiter never binds.
            var source = SellingPartner(emulator.BaseAddress, 10_000, permitsPerSecond: 10_000);
            var folder = Directory.CreateTempSubdirectory("orderhub-bench-").FullName;
            await using var store = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "unthrottled.db"));
            var sync = new OrderSync(new OrderLookup([source]), store);
            await sync.AddReferencesAsync("bench", (await emulator.OrderIdsAsync()).Select(id => new OrderReference("sp-api", id)));

            GC.Collect();
            var clock = Stopwatch.StartNew();
            var result = await sync.RunAsync("bench", new OrderSyncOptions { MaxConcurrencyPerSource = 64, BatchSize = 500 });
            clock.Stop();
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"unthrottled: {orders} orders in {clock.Elapsed.TotalSeconds:0.0} s = {result.Inserted / clock.Elapsed.TotalSeconds:0} orders/s into SQLite; peak working set {self.PeakWorkingSet64 / (1024 * 1024)} MiB; failed {result.Failed}"));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static SellingPartnerOrderSource SellingPartner(Uri endpoint, int burst, double permitsPerSecond = 0.5, string ordersApiVersion = SellingPartnerOrdersApi.V0) => new(
        new SellingPartnerOrderSourceOptions
        {
            Endpoint = endpoint,
            LwaEndpoint = new Uri(endpoint, "auth/o2/token"),
            ClientId = "emulator-client",
            ClientSecret = "emulator-secret",
            RefreshToken = "Atzr|emulator-seller",
            GetOrderBurst = burst,
            GetOrderPermitsPerSecond = permitsPerSecond,
            OrdersApiVersion = ordersApiVersion,
        },
        new OrderHub.Http.UpstreamContext(
            OrderHub.Http.UpstreamTransport.Over(new SocketsHttpHandler { MaxConnectionsPerServer = 64, AllowAutoRedirect = false }, ownsHandler: true),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            Environment.GetEnvironmentVariable),
        new RateLimiterRegistry());
}
