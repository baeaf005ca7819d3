using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// A two-year history through the order reports beside the same history through <c>searchOrders</c>, in one run at
/// Amazon's documented plans (no time compressed): two emulators in processes of their own, with the same seed and so
/// the same orders, one read by <c>orderhub sync --backfill 2y</c> to its end, the other by <c>orderhub sync --since
/// 730d</c> for the same wall time. The reports' run is measured whole; the searchOrders run's rate over that time is
/// what its whole would take at that rate.
/// </summary>
internal static class BackfillMeasurements
{
    private const string Seller = "Atzr|bench-history";

    // North America's marketplaces (the US, Canada, Mexico, Brazil), where the emulator places a `na` seller's orders.
    private static readonly string[] Marketplaces = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC"];

    public static async Task RunAsync(int orders, TimeSpan reportDelay)
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-backfill-").FullName;
        string[] emulatorArgs =
        [
            "--sellers", $"na={Seller}", "--sp-orders", orders.ToString(CultureInfo.InvariantCulture), "--sp-history-days", "725",
            "--sp-report-delay-seconds", reportDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        await using var reportsUpstream = await EmulatorProcess.StartAsync(emulatorArgs);
        await using var searchUpstream = await EmulatorProcess.StartAsync(emulatorArgs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{orders} orders over 725 days in each of two emulators; reports ready {reportDelay.TotalSeconds:0} s after createReport; Amazon's plans"));

        var reportsDb = Path.Combine(folder, "reports.db");
        var searchDb = Path.Combine(folder, "search.db");
        var clock = Stopwatch.StartNew();
        using var search = Process.Start(Cli(searchUpstream, folder, "search", "sync", "--source", "sp-api", "--since", "730d", "--db", searchDb))!;
        using var reports = Process.Start(Cli(reportsUpstream, folder, "reports", "sync", "--source", "sp-api", "--backfill", "2y", "--db", reportsDb, "--json"))!;
        var errors = reports.StandardError.ReadToEndAsync();
        var output = await reports.StandardOutput.ReadToEndAsync();
        await reports.WaitForExitAsync();
        var reportsWall = clock.Elapsed;
        var searchStored = await CountAsync(searchDb);
        search.Kill();
        await search.WaitForExitAsync();
        if (reports.ExitCode != 0)
        {
            throw new InvalidOperationException($"the backfill exited with {reports.ExitCode}: {await errors}");
        }

        var reportsStored = await CountAsync(reportsDb);
        var reportStats = await reportsUpstream.StatsAsync();
        var searchStats = await searchUpstream.StatsAsync();
        var lines = (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reports: {reportsStored} of {orders} orders stored in {reportsWall.TotalMinutes:0.0} min of wall time at the documented plans; {reportStats["spReportsCreated"]:0} reports created, {reportStats["spReportDocumentDownloads"]:0} documents downloaded, {reportStats["spReportRequests"]:0} Reports API requests, {reportStats["spThrottled"]:0} × 429; {lines.Length} progress lines"));
        Console.WriteLine(output.Trim());

        // searchOrders pages 100 orders; after its burst of 20 pages one every 180 s: the rest of the history at the rate it ran.
        var perHour = searchStored / reportsWall.TotalHours;
        var hoursForAll = searchStored >= orders ? reportsWall.TotalHours : reportsWall.TotalHours + ((orders - searchStored) / ((searchStats["spPageRequests"] - 20) * 100 / reportsWall.TotalHours));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"searchOrders, same run: {searchStored} orders stored in the same {reportsWall.TotalMinutes:0.0} min ({perHour:0} an hour overall, {searchStats["spPageRequests"]:0} pages, {searchStats["spThrottled"]:0} × 429); all {orders} at the rate after its burst: {hoursForAll:0.0} h, {hoursForAll * 60 / reportsWall.TotalMinutes:0} times the reports' wall time"));
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<long> CountAsync(string database)
    {
        if (!File.Exists(database))
        {
            return 0;
        }

        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM orders";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // The reports' run is read to its end; the searchOrders run's page lines are left to the console.
    private static ProcessStartInfo Cli(EmulatorProcess emulator, string folder, string name, params string[] args)
    {
        // Each run has its own rate-limit file: the two emulators are two sellers' upstreams.
        var info = emulator.Cli(Seller, Path.Combine(folder, $"{name}-rate-limits.db"), redirect: name == "reports", args);
        for (var i = 0; i < Marketplaces.Length; i++)
        {
            info.Environment[$"OrderHub__Sources__sp-api__MarketplaceIds__{i.ToString(CultureInfo.InvariantCulture)}"] = Marketplaces[i];
        }

        return info;
    }
}
