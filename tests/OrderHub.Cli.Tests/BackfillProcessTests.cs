using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// <c>orderhub sync --source sp-api --backfill 2y</c> as real OS processes against the emulator's Reports API: killed
/// (SIGKILL) while its reports are in flight and run again, it asks for no window twice, stores every order of the
/// two years once and marked partial, retries the windows whose report ended FATAL, and leaves the cursor where
/// searchOrders goes on; with <c>--complete</c>, every partial order is then read in full through getOrder, once.
/// </summary>
public sealed class BackfillProcessTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-backfill-run-").FullName;
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync()
    {
        // Nearly two years of 400 orders (all inside the 730 days asked for); reports ready after 3 s; one in eight
        // FATAL; the Reports API's plans 50 times Amazon's (the client is told the same), so the run takes seconds
        // rather than the plans' minutes.
        var options = new EmulatorOptions
        {
            SpOrderCount = 400,
            SpOrderHistory = TimeSpan.FromDays(700),
            SpReports = { ProcessingDelay = TimeSpan.FromSeconds(3), FatalRate = 0.125 },
            SpSearchOrdersBurst = 100,
            SpGetOrderRate = 200,
            SpGetOrderBurst = 200,
        };
        options.SpReports.ScaleRates(50);
        _emulator = await EmulatorHost.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Dictionary<string, string> Environment()
    {
        var reports = _emulator.SellingPartner.Options.SpReports;
        var environment = new Dictionary<string, string>
        {
            ["OrderHub__Sources__sp-api__CreateReportPermitsPerSecond"] = Invariant(reports.CreateReportRate),
            ["OrderHub__Sources__sp-api__GetReportPermitsPerSecond"] = Invariant(reports.GetReportRate),
            ["OrderHub__Sources__sp-api__GetReportsPermitsPerSecond"] = Invariant(reports.GetReportsRate),
            ["OrderHub__Sources__sp-api__GetReportDocumentPermitsPerSecond"] = Invariant(reports.GetReportDocumentRate),
            ["OrderHub__Sources__sp-api__SearchOrdersBurst"] = "100",
            ["OrderHub__Sources__sp-api__GetOrderPermitsPerSecond"] = "200",
            ["OrderHub__Sources__sp-api__GetOrderBurst"] = "200",
            ["OrderHub__Sources__sp-api__ReportPollInterval"] = "00:00:01",
            ["OrderHub__Sources__sp-api__ReportMaxPollInterval"] = "00:00:02",
            ["OrderHub__Sources__sp-api__FailedReportRetryDelay"] = "00:00:01",
        };
        // A rate-limit file of its own: the other tests' processes read the same seller at other plans.
        environment["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "rate-limits.db");

        // The seller's marketplaces, which the reports are asked for, through the shortcut orderhub emulator prints.
        environment["ORDERHUB_SP_MARKETPLACES"] = string.Join(',', _emulator.SellingPartner.MarketplaceIdsOf(0));
        return environment;
    }

    [Fact]
    public async Task KilledWhileReportsAreInFlight_ThenRunAgain_StoresEveryOrderOncePartial_AskingForNoWindowTwice()
    {
        var db = Path.Combine(_folder, "orders.db");
        string[] args = ["sync", "--source", "sp-api", "--backfill", "2y", "--db", db];
        var environment = Environment();

        using (var process = Process.Start(CliProcess.StartInfo(_emulator, environment, args))!)
        {
            // Killed once a window's orders are stored and while reports are still being prepared.
            await Eventually.TrueAsync(async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") > 0, "the first window's orders are stored", TimeSpan.FromSeconds(90), process);
            process.Kill();
            await process.WaitForExitAsync();
        }

        var storedAtKill = await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders");
        var createdAtKill = _emulator.SellingPartner.ReportsCreated;
        var fatalAtKill = _emulator.SellingPartner.ReportsFatal;
        var resumed = await CliProcess.RunAsync(_emulator, environment, args);

        resumed.ExitCode.ShouldBe(0, resumed.Error);
        resumed.Error.ShouldContain("resumed with");
        storedAtKill.ShouldBeLessThan(400, "the kill came before the end");
        var expected = _emulator.SellingPartner.OrderIdsOf(0).Order(StringComparer.Ordinal).ToList();
        (await OrderIdsAsync(db, "SELECT order_id FROM orders")).ShouldBe(expected, "every order of the two years, once");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders WHERE partial = 1")).ShouldBe(expected.Count, "each read from a report, so partial");

        // A window asked for before the kill is read from its report afterwards, not asked for again: the only
        // reports after the kill are the windows not yet asked for, and the second tries of FATAL ones.
        var windows = await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM json_each(json_extract((SELECT backfill FROM sync_cursors), '$.windows'))");
        var created = _emulator.SellingPartner.ReportsCreated;
        var fatal = _emulator.SellingPartner.ReportsFatal;
        fatal.ShouldBeGreaterThan(0, "some windows failed, so their retry was exercised");
        created.ShouldBe((int)windows + fatal, "one report per window, and one more for each FATAL one");
        createdAtKill.ShouldBeLessThanOrEqualTo((int)windows + fatalAtKill);
        _emulator.SellingPartner.ReportDocumentDownloadsWithAccessToken.ShouldBe(0);

        // The same cursor goes on through searchOrders from where the reports end.
        var next = await CliProcess.RunAsync(_emulator, environment, "sync", "--source", "sp-api", "--db", db, "--json");
        next.ExitCode.ShouldBe(0, next.Error);
        _emulator.SellingPartner.PagesAdmitted.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Complete_ReadsEveryPartialOrderInFullOnce_AndRunAgainReadsNone()
    {
        var db = Path.Combine(_folder, "complete.db");
        string[] args = ["sync", "--source", "sp-api", "--backfill", "2y", "--complete", "--db", db];

        var first = await CliProcess.RunAsync(_emulator, Environment(), args);
        var readsAfterFirst = _emulator.SellingPartner.GetOrderRequests;
        var again = await CliProcess.RunAsync(_emulator, Environment(), args);

        first.ExitCode.ShouldBe(0, first.Error);
        var expected = _emulator.SellingPartner.OrderIdsOf(0).Count;
        first.Error.ShouldContain($"completed sp-api: {expected} of {expected} partial order(s) read in full, 0 failed");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders")).ShouldBe(expected);
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders WHERE partial = 1")).ShouldBe(0, "each partial copy was replaced by the full one");
        readsAfterFirst.ShouldBeGreaterThanOrEqualTo(expected, "a getOrder for each partial order (and any the client tried again)");
        again.ExitCode.ShouldBe(0, again.Error);
        _emulator.SellingPartner.GetOrderRequests.ShouldBe(readsAfterFirst, "nothing was partial any more");
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<string>> OrderIdsAsync(string db, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return [.. ids.Order(StringComparer.Ordinal)];
    }
}
