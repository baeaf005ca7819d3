using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Cli.Commands.Sync;
using OrderHub.Emulator.Hosting;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub sync --source NAME --backfill START</c>: what it refuses, its lines per window and its summary.</summary>
public sealed class BackfillCommandTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-backfill-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task SourceWithoutExports_IsRefusedInOneLine_WithExitCode2_CreatingNoDatabase()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var db = Path.Combine(_folder, "refused.db");

        var result = await CliProcess.RunAsync(emulator, "sync", "--source", "outposts", "--backfill", "2y", "--db", db);

        result.ExitCode.ShouldBe(2);
        result.Error.Trim().ShouldNotContain("\n", Case.Sensitive, "one line");
        result.Error.ShouldContain("The source 'outposts' has no bulk exports, so it cannot be backfilled;");
        File.Exists(db).ShouldBeFalse();
        emulator.Outposts.Requests.ShouldBe(0);
    }

    [Theory]
    [InlineData("--since", "7d", "--backfill gives the start itself: leave out --since.")]
    [InlineData("--marketplace", "ATVPDKIKX0DER", "leave out --marketplace")]
    [InlineData("--ids", "-", "--backfill keeps a copy fresh from a cursor")]
    public async Task BackfillWithOptionsItCannotHonour_IsAUsageError(string option, string value, string message)
    {
        string[] args = option == "--ids" ? ["sync", "--ids", value, "--backfill", "2y"] : ["sync", "--source", "sp-api", "--backfill", "2y", option, value];

        var result = await CliProcess.RunAsync(null, args);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(message);
    }

    [Fact]
    public async Task WindowProgress_SaysEachWindowsStateAndOrdersStored_AndTheSummaryItsTotals()
    {
        var time = new FakeTimeProvider(Now);
        var watch = new TimerWatch(time);
        var source = new ScriptedBackfillSource(watch);
        for (var day = 1; day <= 35; day++)
        {
            source.Place($"171-0000000-{day:D7}", Now.AddDays(-day));
        }

        source.Fails = (window, attempt) => window.Start == Now.AddDays(-40) && attempt == 1;
        await using var store = await OrderHub.Storage.Sqlite.SqliteOrderStore.OpenAsync(Path.Combine(_folder, "progress.db"), time);
        using var lines = new StringWriter();
        var run = new OrderBackfill(new OrderLookup([source]), store, watch).RunAsync(new OrderBackfillRequest { Source = "reports", Start = Now.AddDays(-40), BatchSize = 2 }, new BackfillSyncHandler.WindowProgress(lines));
        await watch.AdvanceUntilAsync(() => run.IsCompleted, "the backfill ended");
        var result = await run;

        var log = lines.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        log[0].ShouldBe("backfill of reports (all) from 2026-10-14T12:00:00Z to 2026-11-23T11:30:00Z: 2 window(s); Ctrl+C stops after the batch being stored.");
        log.ShouldContain("window 2026-11-13T12:00:00Z .. 2026-11-23T11:30:00Z: IN_QUEUE (job 5001) [0/2 finished; 0 new, 0 updated, 0 unchanged]");
        log.ShouldContain(l => l.StartsWith("window 2026-11-13T12:00:00Z .. 2026-11-23T11:30:00Z: DONE, reading its export (job 5001)", StringComparison.Ordinal));
        log.ShouldContain("window 2026-11-13T12:00:00Z .. 2026-11-23T11:30:00Z: 2 orders stored so far [0/2 finished; 2 new, 0 updated, 0 unchanged]");
        log.ShouldContain("window 2026-11-13T12:00:00Z .. 2026-11-23T11:30:00Z: stored, 10 orders [1/2 finished; 10 new, 0 updated, 0 unchanged]");
        log.ShouldContain(l => l.StartsWith("window 2026-10-14T12:00:00Z .. 2026-11-13T12:00:00Z: failed: job 5002 failed upstream (FATAL, request ", StringComparison.Ordinal) && l.Contains("; asked for again at 2026-11-23T12:11:45Z"));
        log[^1].ShouldBe("window 2026-10-14T12:00:00Z .. 2026-11-13T12:00:00Z: stored, 25 orders [2/2 finished; 35 new, 0 updated, 0 unchanged]");

        using var output = new StringWriter();
        BackfillSyncHandler.Write(result, "progress.db", json: false, output, TextWriter.Null);
        output.ToString().Trim().ShouldBe("reports (all) into progress.db: backfill from 2026-10-14T12:00:00Z to 2026-11-23T11:30:00Z in 2 window(s), 2 stored, 0 empty, 0 skipped; 3 export(s) asked for, 0 reused, 1 failed; 35 new, 0 updated, 0 unchanged; the copy is complete through 2026-11-23T11:30:00Z.");
    }
}
