using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub sync --source NAME</c> keeping a SQLite copy fresh from a cursor, as separate OS processes.</summary>
[Collection(InterruptCollection.Name)]
public sealed class IncrementalSyncProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-follow-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    // The client's page plan, set through the library's own configuration names, as a user would.
    private static Dictionary<string, string> Plan(double rate, int burst) => new()
    {
        ["OrderHub__Sources__sp-api__SearchOrdersPermitsPerSecond"] = rate.ToString(CultureInfo.InvariantCulture),
        ["OrderHub__Sources__sp-api__SearchOrdersBurst"] = burst.ToString(CultureInfo.InvariantCulture),

        // The first requests of a cold process on a loaded machine may reach the emulator (inside this test process)
        // long after they were sent; the server's refill starts only then.
        ["OrderHub__Sources__sp-api__BurstLatencyAllowance"] = "00:00:00.500",
    };

    private static ProcessStartInfo Start(EmulatorHost emulator, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        CliProcess.StartInfo(emulator, environment, args);

    // A --since before every order the emulator seeded (they reach back SpOrderHistory from its start), in whole seconds.
    private static string Since(EmulatorHost emulator) =>
        (DateTimeOffset.UtcNow - emulator.SellingPartner.Options.SpOrderHistory - TimeSpan.FromDays(1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonElement Json(CliProcess.Result result)
    {
        result.ExitCode.ShouldBe(0, result.Error);
        return JsonDocument.Parse(result.Out).RootElement;
    }

    [Fact]
    public async Task FirstRunFromSince_KilledMidWindow_ThenRerun_StoresEveryOrderOnce_ReadingNoPageTwice()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            SpOrderCount = 200, SpSearchOrdersRate = 8, SpSearchOrdersBurst = 3, SpQuotaJitterTolerance = TimeSpan.FromMilliseconds(250),
        });
        var db = Path.Combine(_folder, "kill.db");
        string[] args = ["sync", "--source", "sp-api", "--since", Since(emulator), "--page-size", "5", "--db", db, "--json"];

        using (var process = Process.Start(Start(emulator, Plan(8, 3), args))!)
        {
            await Eventually.TrueAsync(async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") >= 40, "40 orders are stored", TimeSpan.FromSeconds(60), process);

            process.Kill(); // SIGKILL: nothing runs in the child
            await process.WaitForExitAsync();
        }

        var storedAtKill = await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders");
        storedAtKill.ShouldBeLessThan(200);
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM sync_cursors WHERE page_token IS NOT NULL AND window_start IS NOT NULL")).ShouldBe(1, "the unfinished window and its next page are stored");
        (await CliProcess.CountAsync(db, "SELECT pages_read * 5 FROM sync_cursors")).ShouldBe(storedAtKill, "a page and the cursor after it are one transaction");
        var pagesAtKill = emulator.SellingPartner.PagesAdmitted;

        var rerun = Json(await CliProcess.RunAsync(emulator, Plan(8, 3), args));

        rerun.GetProperty("resumed").GetBoolean().ShouldBeTrue();
        rerun.GetProperty("inserted").GetInt32().ShouldBe(200 - (int)storedAtKill);
        rerun.GetProperty("unchanged").GetInt32().ShouldBe(0, "no stored page is read again");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders")).ShouldBe(200);
        (await CliProcess.CountAsync(db, "SELECT COUNT(DISTINCT order_id) FROM orders")).ShouldBe(200);
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM sync_cursors WHERE window_start IS NULL AND high_water_mark IS NOT NULL")).ShouldBe(1);
        emulator.SellingPartner.PagesAdmitted.ShouldBeLessThanOrEqualTo(41, "40 pages, and at most the one in flight at the kill again");
        pagesAtKill.ShouldBeLessThan(40);
        emulator.SellingPartner.Throttled.ShouldBe(0, "the page rate never exceeds the plan");
        emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task AWaitForAPermit_OfACoupleOfSecondsOrMore_IsSaidOnStandardError_NamingTheSourceOperationAndWhatTheQuotaIsSharedThrough()
    {
        // One page's permit every 5 s, a burst of 1, in buckets of this test's own: the second page waits for it (and
        // still for 2 s or more, which is when a wait is said, on a machine slow enough to take 3 s over the first page).
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 10, SpSearchOrdersRate = 0.2, SpSearchOrdersBurst = 1, SpQuotaJitterTolerance = TimeSpan.FromMilliseconds(250), RefreshTokens = [$"Atzr|wait-{Guid.NewGuid():N}"] });
        var db = Path.Combine(_folder, "wait.db");
        var environment = Plan(0.2, 1);
        environment["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "wait-rate-limits.db");

        var result = await CliProcess.RunAsync(emulator, environment, "sync", "--source", "sp-api", "--since", Since(emulator), "--page-size", "5", "--db", db, "--json");

        Json(result).GetProperty("inserted").GetInt32().ShouldBe(10);
        emulator.SellingPartner.PagesAdmitted.ShouldBe(2);
        result.Error.ShouldMatch(@"waiting for sp-api searchOrders permit \(shared through the rate-limit file [^)]*wait-rate-limits\.db\), about [2-6] s\.\.\.");
    }

    [Fact]
    public async Task NextRun_StartsFromTheCursor_CountingChangedOrdersUpdated_AndNewOnesInserted()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 50, SpSearchOrdersRate = 20, SpSearchOrdersBurst = 20 });
        var db = Path.Combine(_folder, "fresh.db");
        var first = Json(await CliProcess.RunAsync(emulator, Plan(20, 20), "sync", "--source", "sp-api", "--since", Since(emulator), "--db", db, "--json"));
        first.GetProperty("inserted").GetInt32().ShouldBe(50);

        // Three orders move on and three arrive, stamped minutes ago (settled, and after the cursor).
        var now = DateTimeOffset.UtcNow;
        emulator.SellingPartner.ApplyChangesUntil(now.AddMinutes(-10), TimeSpan.FromMinutes(1), now.AddMinutes(-7));
        var second = Json(await CliProcess.RunAsync(emulator, Plan(20, 20), "sync", "--source", "sp-api", "--db", db, "--json"));

        second.GetProperty("updated").GetInt32().ShouldBe(3);
        second.GetProperty("inserted").GetInt32().ShouldBe(3);
        second.GetProperty("pages").GetInt32().ShouldBe(1, "the next window starts at the cursor, not at --since");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders")).ShouldBe(53);
        DateTimeOffset.Parse(second.GetProperty("highWaterMark").GetString()!, CultureInfo.InvariantCulture).ShouldBe(now.AddMinutes(-7), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Follow_KeepsPolling_StoresWhatChanges_AndStopsCleanlyOnCtrlC()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 30, SpSearchOrdersRate = 20, SpSearchOrdersBurst = 20 });
        var db = Path.Combine(_folder, "follow.db");

        // A rate-limit file of its own: earlier tests' processes read the same seller at Amazon's plan through the
        // shared one, and a follower waiting out their searchOrders bucket does not stop within the minute allowed.
        var plan = Plan(20, 20);
        plan["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "follow-rate-limits.db");
        using var process = Process.Start(Start(emulator, plan, "sync", "--source", "sp-api", "--since", Since(emulator), "--follow", "--poll-interval", "200ms", "--db", db, "--json"))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();

        await UntilAsync(process, async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") == 30);
        var now = DateTimeOffset.UtcNow;
        emulator.SellingPartner.ApplyChangesUntil(now.AddMinutes(-10), TimeSpan.FromMinutes(1), now.AddMinutes(-8));
        await UntilAsync(process, async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") == 32);

        using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await process.WaitForExitAsync(timeout.Token); // Ctrl+C ends a follower; a test never waits forever
        }

        var totals = Json(new CliProcess.Result(process.ExitCode, await output, await error));
        totals.GetProperty("inserted").GetInt32().ShouldBe(32);
        totals.GetProperty("updated").GetInt32().ShouldBe(2);
        totals.GetProperty("windowsCompleted").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
        emulator.SellingPartner.Throttled.ShouldBe(0);
    }

    [Fact]
    public async Task SecondReaderOfTheSameCursor_IsRefused_WhileTheFollowerRuns()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 10, SpSearchOrdersRate = 20, SpSearchOrdersBurst = 20 });
        var db = Path.Combine(_folder, "two-readers.db");
        using var follower = Process.Start(Start(emulator, Plan(20, 20), "sync", "--source", "sp-api", "--since", Since(emulator), "--follow", "--poll-interval", "100ms", "--db", db))!;
        var followerOutput = follower.StandardOutput.ReadToEndAsync();
        var followerError = follower.StandardError.ReadToEndAsync();
        try
        {
            await UntilAsync(follower, async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") == 10);

            var second = await CliProcess.RunAsync(emulator, Plan(20, 20), "sync", "--source", "sp-api", "--db", db);

            second.ExitCode.ShouldBe(7);
            second.Error.ShouldContain("one reader per cursor");
        }
        finally
        {
            follower.Kill();
            await follower.WaitForExitAsync();
            await followerOutput;
            await followerError;
        }
    }

    [Theory]
    [InlineData("--marketplace", "ATVPDKIKX0DER;DROP", "letters and digits")]
    [InlineData("--page-size", "500", "1 to 100 orders")]
    [InlineData("--fulfillment-status", "LOST", "use one of")]
    [InlineData("--since", "tomorrow", "ISO 8601")]
    [InlineData("--since", "1m", "2 minutes before now")]
    public async Task ArgumentsTheApiWouldRefuse_AreRefused_SendingNothing_CreatingNoDatabase(string option, string value, string message)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var db = Path.Combine(_folder, "refused.db");
        string[] args = option == "--since"
            ? ["sync", "--source", "sp-api", option, value, "--db", db]
            : ["sync", "--source", "sp-api", "--since", "2026-01-01", option, value, "--db", db];

        var result = await CliProcess.RunAsync(emulator, args);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(message);
        emulator.SellingPartner.TokenRequests.ShouldBe(0);
        emulator.SellingPartner.PageRequests.ShouldBe(0);
        File.Exists(db).ShouldBeFalse();
    }

    [Fact]
    public async Task Verbose_LogsTheWindowAndEachPage_ToStandardErrorOnly()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 12, SpSearchOrdersRate = 20, SpSearchOrdersBurst = 20 });
        var db = Path.Combine(_folder, "verbose.db");

        var since = Since(emulator);
        var quiet = await CliProcess.RunAsync(emulator, Plan(20, 20), "sync", "--source", "sp-api", "--since", since, "--page-size", "5", "--db", db, "--json");
        var verbose = await CliProcess.RunAsync(emulator, Plan(20, 20), "sync", "--source", "sp-api", "--reset", "--since", since, "--page-size", "5", "--db", db, "--json", "--verbose");

        Json(quiet);
        Json(verbose).GetProperty("unchanged").GetInt32().ShouldBe(12, "standard output stays one JSON document");
        quiet.Error.ShouldNotContain("Stored page");
        verbose.Error.ShouldContain($"Reading sp-api (all) orders updated from {since[..19]}");
        verbose.Error.ShouldContain("Stored page 3 of sp-api: 2 orders (request ");
        verbose.Error.ShouldContain("Window of sp-api (all) read: 3 pages, 0 new, 0 updated, 12 unchanged.");
    }

    [Fact]
    public async Task FirstRunWithoutSince_IsRefused_NamingTheOption()
    {
        await using var emulator = await EmulatorHost.StartAsync();

        var result = await CliProcess.RunAsync(emulator, "sync", "--source", "sp-api", "--db", Path.Combine(_folder, "nosince.db"));

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--since");
        emulator.SellingPartner.PageRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Outposts_HasNoUpdateTimes_EachRunReadsTheListAgain_AndCountsWhatChanged()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { OutpostsOrderCount = 5 });
        var db = Path.Combine(_folder, "outposts.db");
        var listed = emulator.Outposts.OrderIds.Count;

        var first = Json(await CliProcess.RunAsync(emulator, "sync", "--source", "outposts", "--db", db, "--json"));
        var second = Json(await CliProcess.RunAsync(emulator, "sync", "--source", "outposts", "--db", db, "--json"));

        first.GetProperty("inserted").GetInt32().ShouldBe(listed);
        second.GetProperty("inserted").GetInt32().ShouldBe(0);
        (second.GetProperty("updated").GetInt32() + second.GetProperty("unchanged").GetInt32()).ShouldBe(listed, "every listed order is read again and compared");
        (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders")).ShouldBe(listed);
    }

    private static Task UntilAsync(Process process, Func<Task<bool>> condition) =>
        Eventually.TrueAsync(condition, "the follower has stored what was awaited", TimeSpan.FromSeconds(60), process);
}
