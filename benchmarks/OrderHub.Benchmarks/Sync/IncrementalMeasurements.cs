using System.Diagnostics;
using System.Globalization;
using OrderHub.SellingPartner;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.RateLimits;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// The incremental sync (searchOrders pages of whole orders) beside the sync by ids (one getOrder per order), in one
/// run against one emulator in its own process: unthrottled orders per second and requests per order, then the page
/// pace against a scaled plan over its theoretical minimum, with the 429s received.
/// </summary>
internal static class IncrementalMeasurements
{
    // Before every order the emulator seeds: they reach back its SpOrderHistory (the default here) from its start.
    private static DateTimeOffset Since => DateTimeOffset.UtcNow - new OrderHub.Emulator.Hosting.EmulatorOptions().SpOrderHistory - TimeSpan.FromDays(1);

    public static async Task CompareAsync(int orders)
    {
        var count = orders.ToString(CultureInfo.InvariantCulture);
        await using (var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "1000000", "--sp-burst", "1000000", "--sp-search-rate", "1000000", "--sp-search-burst", "1000000", "--sp-orders", count]))
        {
            var byIds = await ByIdsAsync(emulator, orders);
            var pages = await ByPagesAsync(emulator, searchRate: 10_000, searchBurst: 10_000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"unthrottled, {orders} orders into SQLite: by ids (getOrder) {byIds.Rate:0} orders/s, {byIds.Requests} requests; incremental (searchOrders, 100 a page) {pages.Rate:0} orders/s, {pages.Requests} requests; ratio {pages.Rate / byIds.Rate:0.00}x"));
        }

        // The documented plan scaled up 500 times (2.8 pages a second, burst 20), so a window of pages takes seconds.
        const double rate = 0.0056 * 500;
        const int burst = 20;
        await using (var emulator = await EmulatorProcess.StartAsync(["--sp-search-rate", rate.ToString(CultureInfo.InvariantCulture), "--sp-search-burst", "20", "--sp-orders", count]))
        {
            var paced = await ByPagesAsync(emulator, rate, burst);
            var minimum = (paced.Requests - burst) / rate;
            var throttled = await emulator.ThrottledAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"page pace: {paced.Requests} pages at {rate:0.###} req/s burst {burst}: {paced.Seconds:0.00} s, theoretical minimum {minimum:0.00} s, ratio {paced.Seconds / minimum:0.000}; 429s received: {throttled}"));
        }
    }

    private static async Task<(double Rate, int Requests)> ByIdsAsync(EmulatorProcess emulator, int orders)
    {
        var before = await emulator.StatsAsync();
        var source = SyncMeasurements.SellingPartner(emulator.BaseAddress, 10_000, permitsPerSecond: 10_000, SellingPartnerOrdersApi.V20260101);
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-").FullName;
        try
        {
            await using var store = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "ids.db"));
            var sync = new OrderSync(new OrderLookup([source]), store);
            await sync.AddReferencesAsync("bench", (await emulator.OrderIdsAsync()).Select(id => new OrderReference("sp-api", id)));
            var clock = Stopwatch.StartNew();
            var result = await sync.RunAsync("bench", new OrderSyncOptions { MaxConcurrencyPerSource = 64, BatchSize = 500 });
            clock.Stop();
            var after = await emulator.StatsAsync();
            return (result.Inserted / clock.Elapsed.TotalSeconds, (int)(after["spGetOrderRequests"] - before["spGetOrderRequests"]));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(double Rate, int Requests, double Seconds)> ByPagesAsync(EmulatorProcess emulator, double searchRate, int searchBurst)
    {
        var before = await emulator.StatsAsync();
        var options = new SellingPartnerOrderSourceOptions
        {
            Endpoint = emulator.BaseAddress,
            LwaEndpoint = new Uri(emulator.BaseAddress, "auth/o2/token"),
            ClientId = "emulator-client",
            ClientSecret = "emulator-secret",
            RefreshToken = "Atzr|emulator-seller",
            SearchOrdersPermitsPerSecond = searchRate,
            SearchOrdersBurst = searchBurst,
        };
        using var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-").FullName;
        try
        {
            await using var store = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "pages.db"));
            var lookup = new OrderLookup([source]);
            var sync = new IncrementalOrderSync(lookup, store, new OrderSync(lookup, store));
            var clock = Stopwatch.StartNew();
            var result = await sync.RunAsync(new IncrementalSyncRequest { Source = "sp-api", Since = Since });
            clock.Stop();
            var after = await emulator.StatsAsync();
            return (result.Inserted / clock.Elapsed.TotalSeconds, (int)(after["spPageRequests"] - before["spPageRequests"]), clock.Elapsed.TotalSeconds);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
