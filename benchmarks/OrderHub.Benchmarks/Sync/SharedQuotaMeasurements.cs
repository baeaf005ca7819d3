using System.Diagnostics;
using System.Globalization;
using OrderHub.Testing;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// One seller's quota spent by several <c>orderhub sync</c> OS processes at once, sharing their buckets through the
/// machine-wide file or Redis: the server's span from the first admitted getOrder to the last, against the quota's
/// theoretical minimum, and the 429s the emulator's own GCRA sent.
/// </summary>
internal static class SharedQuotaMeasurements
{
    private const int Orders = 1000;
    private const double Rate = 25;
    private const int Burst = 30;

    public static async Task SeveralProcessesAsync(int processes, string store)
    {
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "25", "--sp-burst", "30", "--sp-orders", Orders.ToString(CultureInfo.InvariantCulture)]);
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-shared-").FullName;
        await using var redis = store == "redis" ? await RedisServer.StartAsync() : null;
        var ids = await emulator.OrderIdsAsync();
        var environment = Environment(emulator.BaseAddress, folder);
        switch (store)
        {
            case "redis":
                environment["ORDERHUB_REDIS"] = redis!.Configuration;
                break;
            case "process":
                environment["ORDERHUB_RATE_LIMITS"] = "process";
                break;
        }

        var clock = Stopwatch.StartNew();
        var runs = ids.Chunk((int)Math.Ceiling(ids.Length / (double)processes)).Select(async (share, i) =>
        {
            var idFile = Path.Combine(folder, $"ids-{i}.txt");
            await File.WriteAllLinesAsync(idFile, share);
            using var process = StartSync(environment, ["--ids", idFile, "--db", Path.Combine(folder, $"orders-{i}.db")]);
            await process.WaitForExitAsync();
            return process.ExitCode;
        }).ToArray();
        var exitCodes = await Task.WhenAll(runs);
        clock.Stop();

        var stats = await emulator.StatsAsync();
        var minimum = (Orders - Burst) / Rate;
        var span = stats["spAdmittedGetOrderSeconds"];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"shared quota, {processes} process(es), {store}: {Orders} orders at {Rate} req/s burst {Burst}: server span {span:0.00} s, theoretical minimum {minimum:0.00} s, ratio {span / minimum:0.000}; wall {clock.Elapsed.TotalSeconds:0.00} s; 429s {stats["spThrottled"]}; getOrder requests {stats["spGetOrderRequests"]}; exit codes {string.Join(",", exitCodes)}"));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Three <c>orderhub sync</c> workers with one run name on one PostgreSQL database, sharing the quota through the
    /// machine file; the first is killed with SIGKILL 10 s in and started again. The server's span, its 429s, and how
    /// many orders were stored and read.
    /// </summary>
    public static Task PostgreSqlWorkersAsync() => PostgreSqlWorkersAsync(Orders, TimeSpan.FromSeconds(10), restart: true, leaseDuration: "00:00:05");

    /// <summary>
    /// A worker's death without a restart, at the default lease: 3 workers share a run, one is killed with SIGKILL a
    /// few seconds in, and the two left must take over its leased references when its connection drops, not when its
    /// leases expire.
    /// </summary>
    public static Task PostgreSqlFailoverAsync(int orders) => PostgreSqlWorkersAsync(orders, TimeSpan.FromSeconds(3), restart: false, leaseDuration: null);

    private static async Task PostgreSqlWorkersAsync(int orders, TimeSpan killAt, bool restart, string? leaseDuration)
    {
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "25", "--sp-burst", "30", "--sp-orders", orders.ToString(CultureInfo.InvariantCulture)]);
        await using var postgres = await PostgreSqlServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-workers-").FullName;
        var idFile = Path.Combine(folder, "ids.txt");
        await File.WriteAllLinesAsync(idFile, await emulator.OrderIdsAsync());
        var environment = Environment(emulator.BaseAddress, folder);
        if (leaseDuration is not null)
        {
            environment["OrderHub__Store__LeaseDuration"] = leaseDuration;
        }

        string[] args = ["--ids", idFile, "--db", database, "--run", "bench-shared"];

        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, 3).Select(_ => StartSync(environment, args)).ToList();
        await Task.Delay(killAt);
        workers[0].Kill();
        await workers[0].WaitForExitAsync();
        if (restart)
        {
            workers.Add(StartSync(environment, args));
        }

        foreach (var worker in workers)
        {
            await worker.WaitForExitAsync();
        }

        clock.Stop();
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT order_id) FROM orderhub_orders", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        var stats = await emulator.StatsAsync();
        var minimum = (orders - Burst) / Rate;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"3 workers on PostgreSQL, {orders} orders, one killed at {killAt.TotalSeconds:0} s{(restart ? " and restarted" : ", not restarted")}: {reader.GetInt64(0)} rows for {reader.GetInt64(1)} distinct orders; server span {stats["spAdmittedGetOrderSeconds"]:0.00} s, minimum {minimum:0.00} s, ratio {stats["spAdmittedGetOrderSeconds"] / minimum:0.000}; wall {clock.Elapsed.TotalSeconds:0.00} s; 429s {stats["spThrottled"]}; getOrder requests {stats["spGetOrderRequests"]}; exit codes {string.Join(",", workers.Skip(1).Select(w => w.ExitCode))}"));
        foreach (var worker in workers)
        {
            worker.Dispose();
        }

        Directory.Delete(folder, recursive: true);
    }

    private static Dictionary<string, string> Environment(Uri emulator, string folder) => new()
    {
        ["ORDERHUB_SP_ENDPOINT"] = emulator.ToString(),
        ["ORDERHUB_LWA_ENDPOINT"] = new Uri(emulator, "auth/o2/token").ToString(),
        ["ORDERHUB_LWA_CLIENT_ID"] = "emulator-client",
        ["ORDERHUB_LWA_CLIENT_SECRET"] = "emulator-secret",
        ["ORDERHUB_LWA_REFRESH_TOKEN"] = "Atzr|emulator-seller",
        ["OrderHub__Sources__sp-api__GetOrderPermitsPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
        ["OrderHub__Sources__sp-api__GetOrderBurst"] = Burst.ToString(CultureInfo.InvariantCulture),
        ["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(folder, "rate-limits.db"),
        ["NO_COLOR"] = "1",
    };

    private static Process StartSync(Dictionary<string, string> environment, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), "sync", .. args, "--json"])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
