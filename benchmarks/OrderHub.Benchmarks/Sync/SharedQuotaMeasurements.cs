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
        var environment = new Dictionary<string, string>
        {
            ["ORDERHUB_SP_ENDPOINT"] = emulator.BaseAddress.ToString(),
            ["ORDERHUB_LWA_ENDPOINT"] = new Uri(emulator.BaseAddress, "auth/o2/token").ToString(),
            ["ORDERHUB_LWA_CLIENT_ID"] = "emulator-client",
            ["ORDERHUB_LWA_CLIENT_SECRET"] = "emulator-secret",
            ["ORDERHUB_LWA_REFRESH_TOKEN"] = "Atzr|emulator-seller",
            ["OrderHub__Sources__sp-api__GetOrderPermitsPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
            ["OrderHub__Sources__sp-api__GetOrderBurst"] = Burst.ToString(CultureInfo.InvariantCulture),
            ["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(folder, "rate-limits.db"),
            ["NO_COLOR"] = "1",
        };
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
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), "sync", "--ids", idFile, "--db", Path.Combine(folder, $"orders-{i}.db"), "--json" })
            {
                info.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            await Task.WhenAll(output, error);
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
}
