using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>A sync killed with SIGKILL at an arbitrary moment, then started again.</summary>
public sealed class CliResumeTests
{
    [Fact]
    public async Task Sync_KilledMidRun_ThenRerun_StoresEveryOrderExactlyOnce()
    {
        // At 5 reads a second the 45 orders after the first 15 take 9 s: the kill lands mid-run even on a busy machine.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 5, SpGetOrderBurst = 5, SpOrderCount = 60 });
        var folder = Directory.CreateTempSubdirectory("orderhub-kill-").FullName;
        var ids = Path.Combine(folder, "ids.txt");
        var db = Path.Combine(folder, "kill.db");
        await File.WriteAllLinesAsync(ids, emulator.SellingPartner.OrderIds);
        try
        {
            using (var process = Process.Start(CliProcess.StartInfo(emulator, ["sync", "--ids", ids, "--db", db, "--json"]))!)
            {
                await Eventually.TrueAsync(async () => await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders") >= 15, "15 orders are stored", TimeSpan.FromSeconds(30), process);

                process.Kill(); // SIGKILL: no cleanup runs in the child
                await process.WaitForExitAsync();
            }

            var storedAtKill = await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders");
            storedAtKill.ShouldBeLessThan(60);
            (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM sync_items WHERE state = 1")).ShouldBe(storedAtKill, "an order is stored exactly when its item is marked done");

            var rerun = await CliProcess.RunAsync(emulator, "sync", "--ids", ids, "--db", db, "--json");

            rerun.ExitCode.ShouldBe(0, rerun.Error);
            (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders")).ShouldBe(60);
            (await CliProcess.CountAsync(db, "SELECT COUNT(DISTINCT order_id) FROM orders")).ShouldBe(60);
            (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM sync_items WHERE state = 1")).ShouldBe(60);
            (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM sync_items")).ShouldBe(60);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
