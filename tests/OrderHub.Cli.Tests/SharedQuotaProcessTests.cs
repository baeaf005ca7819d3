using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// Several <c>orderhub sync</c> OS processes with one seller's credentials against an emulator whose getOrder quota
/// (10 per second, burst 5) is its own GCRA, independent of OrderHub's limiter: together they must stay inside it.
/// </summary>
public sealed class SharedQuotaProcessTests : IDisposable
{
    private const int OrdersPerProcess = 25;

    // The emulator runs inside this test process, beside the other test assemblies: half a second of its stalls is not
    // counted against the clients (5 permits; two processes with a bucket each go over by far more).
    private static readonly TimeSpan JitterTolerance = TimeSpan.FromMilliseconds(500);
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-shared-quota-").FullName;

    [Fact]
    public async Task TwoSyncs_OnOneMachine_ShareTheSellersQuota_WithNothingConfigured()
    {
        await using var emulator = await StartEmulatorAsync();
        var environment = new Dictionary<string, string> { ["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "rate-limits.db") };

        var results = await RunTwoSyncsAsync(emulator, environment);

        results.ShouldAllBe(r => r.ExitCode == 0);
        emulator.SellingPartner.Throttled.ShouldBe(0, "the two processes drew their permits from one bucket");
        emulator.SellingPartner.GetOrderRequests.ShouldBe(2 * OrdersPerProcess);

        var quota = await CliProcess.RunAsync(emulator, environment, "quota", "--json");
        quota.ExitCode.ShouldBe(0, quota.Error);
        var bucket = JsonDocument.Parse(quota.Out).RootElement.GetProperty("buckets").EnumerateArray()
            .Single(b => b.GetProperty("partition").GetString()!.Contains(emulator.BaseAddress.Authority, StringComparison.Ordinal));
        bucket.GetProperty("sources").EnumerateArray().Select(e => e.GetString()).ShouldBe(["sp-api"], "the bucket says which configured source draws from it");
        bucket.GetProperty("burst").GetInt32().ShouldBe(3);
        bucket.GetProperty("permitsPerSecond").GetDouble().ShouldBe(8 * 0.995, 1e-9);
        bucket.GetProperty("partition").GetString()!.ShouldNotContain(emulator.SellingPartner.Options.RefreshTokens[0], Case.Insensitive);
    }

    [Fact]
    public async Task TwoSyncs_WithBucketsPerProcess_ExceedTheQuota()
    {
        // The control: the same run with each process keeping its own bucket is throttled by the server. Its runs are
        // four times as long, so the two overlap however long each cold process takes to start on a loaded machine
        // (the quota is only exceeded while both are reading).
        await using var emulator = await StartEmulatorAsync(4 * OrdersPerProcess);

        await RunTwoSyncsAsync(emulator, new Dictionary<string, string> { ["ORDERHUB_RATE_LIMITS"] = "process" }, 4 * OrdersPerProcess);

        emulator.SellingPartner.Throttled.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task TwoSyncs_SharingRedis_ShareTheSellersQuota()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await StartEmulatorAsync();

        var results = await RunTwoSyncsAsync(emulator, new Dictionary<string, string> { ["ORDERHUB_REDIS"] = redis.Configuration });

        results.ShouldAllBe(r => r.ExitCode == 0);
        emulator.SellingPartner.Throttled.ShouldBe(0);
        emulator.SellingPartner.GetOrderRequests.ShouldBe(2 * OrdersPerProcess);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static Task<EmulatorHost> StartEmulatorAsync(int ordersPerProcess = OrdersPerProcess) =>
        EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 10, SpGetOrderBurst = 5, SpOrderCount = 2 * ordersPerProcess, SendRateLimitHeader = false, SpQuotaJitterTolerance = JitterTolerance });

    private async Task<CliProcess.Result[]> RunTwoSyncsAsync(EmulatorHost emulator, Dictionary<string, string> environment, int ordersPerProcess = OrdersPerProcess)
    {
        var runs = new List<Task<CliProcess.Result>>();
        foreach (var (half, index) in emulator.SellingPartner.OrderIds.Chunk(ordersPerProcess).Select((ids, i) => (ids, i)))
        {
            var ids = Path.Combine(_folder, $"ids-{index}.txt");
            await File.WriteAllLinesAsync(ids, half);
            var settings = new Dictionary<string, string>(environment)
            {
                // The client is told 80 % of the quota's rate and a burst two short of the server's: on a machine that
                // is also running the other test assemblies, cold processes take far longer than the default 50 ms
                // between a burst's permits and its arrival, and the in-process emulator itself stalls at times and
                // then judges queued requests as one burst; neither is what this test measures. Two processes with a
                // bucket each still send 1.6 times the quota (the control test).
                ["OrderHub__Sources__sp-api__GetOrderPermitsPerSecond"] = "8",
                ["OrderHub__Sources__sp-api__GetOrderBurst"] = "3",
                ["OrderHub__Sources__sp-api__BurstLatencyAllowance"] = "00:00:00.5",
            };
            runs.Add(CliProcess.RunAsync(emulator, settings, "sync", "--ids", ids, "--db", Path.Combine(_folder, $"orders-{index}-{Stopwatch.GetTimestamp()}.db"), "--json"));
        }

        return await Task.WhenAll(runs);
    }
}
