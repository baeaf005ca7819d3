using System.Diagnostics;
using Npgsql;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// Three <c>orderhub sync</c> workers with one run name on one PostgreSQL database, against a throttled emulator, one of
/// them killed with SIGKILL mid-run and started again: every order stored once, the seller's quota never exceeded.
/// </summary>
/// <remarks>
/// The class runs alone in its assembly (<see cref="SharedRunWorkerCollection"/>): the emulator judges each request
/// when this process's thread pool runs its handler, not when it arrives, so a test running beside it that holds pool
/// threads (a blocking wait, a synchronous callback) delays the handlers, and the requests that queued meanwhile are
/// then judged as one burst and answered 429 although the workers sent them at the quota's pace.
/// </remarks>
[Collection(SharedRunWorkerCollection.Name)]
public sealed class SharedRunWorkerTests(PostgreSqlServerFixture postgres) : IClassFixture<PostgreSqlServerFixture>, IDisposable
{
    private const int Orders = 60;
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-workers-").FullName;

    [Fact]
    public async Task ThreeWorkers_OneKilledAndRestarted_StoreEveryOrderOnce_WithinTheQuota()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 10, SpGetOrderBurst = 5, SpOrderCount = Orders, SendRateLimitHeader = false, SpQuotaJitterTolerance = TimeSpan.FromMilliseconds(500) });
        var database = await postgres.Server.CreateDatabaseAsync();
        var ids = Path.Combine(_folder, "ids.txt");
        await File.WriteAllLinesAsync(ids, emulator.SellingPartner.OrderIds);
        string[] args = ["sync", "--ids", ids, "--db", database, "--run", "shared-run", "--json"];

        var workers = Enumerable.Range(0, 3).Select(_ => Start(emulator, args)).ToArray();
        try
        {
            await WaitUntilAsync(async () => await CountAsync(database, "SELECT COUNT(*) FROM orderhub_orders") >= 10);
            workers[0].Kill(); // SIGKILL: its leases are neither committed nor released
            await workers[0].WaitForExitAsync();
            var restarted = Start(emulator, args);
            foreach (var worker in workers.Skip(1).Append(restarted))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                await worker.WaitForExitAsync(timeout.Token);
                worker.ExitCode.ShouldBe(0, await worker.StandardError.ReadToEndAsync());
            }

            (await CountAsync(database, "SELECT COUNT(*) FROM orderhub_orders")).ShouldBe(Orders);
            (await CountAsync(database, "SELECT COUNT(*) FROM orderhub_sync_items WHERE run_id = 'shared-run' AND state = 1")).ShouldBe(Orders);
            emulator.SellingPartner.Throttled.ShouldBe(0, "the workers shared the seller's quota");
            emulator.SellingPartner.GetOrderRequests.ShouldBeLessThan(2 * Orders, "the workers split the run (without leases each would read all 60)");
        }
        finally
        {
            foreach (var worker in workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill();
                }

                worker.Dispose();
            }
        }
    }

    [Fact]
    public async Task TwoServeInstances_OnOneDatabase_ShareTheStore()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 3 });
        var database = await postgres.Server.CreateDatabaseAsync();
        var id = emulator.SellingPartner.OrderIds[0];
        var instances = new List<(Process Process, HttpClient Http)>();
        try
        {
            foreach (var _ in Enumerable.Range(0, 2))
            {
                var port = LoopbackPorts.Free();
                var info = CliProcess.StartInfo(emulator, ["serve", "--urls", $"http://127.0.0.1:{port}", "--db", database]);
                info.Environment["ORDERHUB_API_KEYS"] = "reader";
                var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
                http.DefaultRequestHeaders.Add("X-Api-Key", "reader");
                instances.Add((Process.Start(info)!, http));
                await CliProcess.WaitUntilServingAsync(http, instances[^1].Process);
            }

            var first = await instances[0].Http.GetAsync($"orders/{id}");
            var second = await instances[1].Http.GetAsync($"orders/{id}");

            first.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            second.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            emulator.SellingPartner.GetOrderRequests.ShouldBe(1, "the second instance served what the first stored");
            (await CountAsync(database, "SELECT COUNT(*) FROM orderhub_orders")).ShouldBe(1);
        }
        finally
        {
            foreach (var (process, http) in instances)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                http.Dispose();
            }
        }
    }

    [Fact]
    public async Task Sync_UnreachablePostgreSql_ExitsWithTheStoreCode_NamingTheServerNotThePassword()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 3 });
        var ids = Path.Combine(_folder, "ids.txt");
        await File.WriteAllLinesAsync(ids, emulator.SellingPartner.OrderIds);

        var result = await CliProcess.RunAsync(emulator, "sync", "--ids", ids, "--db", "postgresql://shop:hunter2-secret@127.0.0.1:1/orders?Timeout=2");

        result.ExitCode.ShouldBe(10, result.Error);
        result.Error.ShouldContain("PostgreSQL database 'orders' on 127.0.0.1:1 cannot be reached");
        (result.Error + result.Out).ShouldNotContain("hunter2");
        result.Error.ShouldNotContain("   at ");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Process Start(EmulatorHost emulator, string[] args)
    {
        var info = CliProcess.StartInfo(emulator, args);
        info.Environment["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "rate-limits.db");
        // 80 % of the server's rate (which it does not announce, so the clients keep it) and a burst two short of its:
        // margin for three OS processes, a kill and a restart on a machine that is also running the other test
        // assemblies. Three workers with a bucket each would still send 24 per second.
        info.Environment["OrderHub__Sources__sp-api__GetOrderPermitsPerSecond"] = "8";
        info.Environment["OrderHub__Sources__sp-api__GetOrderBurst"] = "3";
        info.Environment["OrderHub__Sources__sp-api__BurstLatencyAllowance"] = "00:00:00.5";
        info.Environment["OrderHub__Store__LeaseDuration"] = "00:00:03";
        info.Environment["OrderHub__Store__IdlePollInterval"] = "00:00:00.2";
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('orderhub_orders') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync())!)
        {
            return 0;
        }

        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.TrueAsync(condition, "the workers have got that far", TimeSpan.FromSeconds(60));
}

/// <summary>
/// The collection <see cref="SharedRunWorkerTests"/> runs in, never in parallel with another: no other test of the
/// assembly shares the thread pool of the emulator whose 429s the test counts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedRunWorkerCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Shared run workers";
}
