using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OrderHub.Benchmarks.Query;
using OrderHub.Testing;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// The lookup API's store hits beside a bare Kestrel endpoint that serves the same bytes, each in a process of its own,
/// driven by <c>wrk</c> in the same run, alternately: requests per second and p99, and their ratio. The API runs twice
/// over one database: as served by default (store answers kept in memory for a second) and reading the store on every
/// request (<c>--store-cache-ms 0</c>).
/// </summary>
internal static class LookupMeasurements
{
    private const string Key = "bench-lookup-key";

    public static async Task CompareWithBareKestrelAsync(int rounds)
    {
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "1000", "--sp-burst", "1000", "--sp-orders", "20"]);
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-lookup-").FullName;
        var servePort = LoopbackPorts.Free();
        var uncachedPort = LoopbackPorts.Free();
        using var serve = Start(["serve", "--urls", $"http://127.0.0.1:{servePort}", "--db", Path.Combine(folder, "api.db")], emulator.BaseAddress);
        using var uncached = Start(["serve", "--urls", $"http://127.0.0.1:{uncachedPort}", "--db", Path.Combine(folder, "api.db"), "--store-cache-ms", "0"], emulator.BaseAddress);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        await CliProcesses.UntilServingAsync(http, new Uri($"http://127.0.0.1:{servePort}/healthz"), serve);
        await CliProcesses.UntilServingAsync(http, new Uri($"http://127.0.0.1:{uncachedPort}/healthz"), uncached);
        var orderId = (await emulator.OrderIdsAsync())[0];
        var orderUrl = $"http://127.0.0.1:{servePort}/orders/{orderId}";
        var uncachedUrl = $"http://127.0.0.1:{uncachedPort}/orders/{orderId}";
        var body = await http.GetByteArrayAsync(orderUrl); // read through once: every request after it is a store hit
        if (!(await http.GetByteArrayAsync(uncachedUrl)).AsSpan().SequenceEqual(body))
        {
            throw new InvalidOperationException("The two API processes answered different bytes for one stored order.");
        }
        var bodyFile = Path.Combine(folder, "body.json");
        await File.WriteAllBytesAsync(bodyFile, body);

        var barePort = LoopbackPorts.Free();
        using var bare = Start(["bare-kestrel-server", barePort.ToString(CultureInfo.InvariantCulture), bodyFile], null, benchmarkItself: true);
        await CliProcesses.UntilServingAsync(http, new Uri($"http://127.0.0.1:{barePort}/orders/x"), bare);

        // Both servers are driven for a few seconds first, unmeasured: the rounds compare them at their steady pace, not
        // while the just-started processes are still compiling their code.
        await Wrk.RunAsync(orderUrl, $"X-Api-Key: {Key}", seconds: 5);
        await Wrk.RunAsync(uncachedUrl, $"X-Api-Key: {Key}", seconds: 5);
        await Wrk.RunAsync($"http://127.0.0.1:{barePort}/orders/x", $"X-Api-Key: {Key}", seconds: 5);
        for (var round = 1; round <= rounds; round++)
        {
            var api = await Wrk.RunAsync(orderUrl, $"X-Api-Key: {Key}");
            var everyTime = await Wrk.RunAsync(uncachedUrl, $"X-Api-Key: {Key}");
            var kestrel = await Wrk.RunAsync($"http://127.0.0.1:{barePort}/orders/x", $"X-Api-Key: {Key}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: lookup API store hits {api.Rate:0} req/s (p99 {api.P99}); the same reading the store every time {everyTime.Rate:0} req/s (p99 {everyTime.P99}); bare Kestrel, same {body.Length} bytes, {kestrel.Rate:0} req/s (p99 {kestrel.P99}); ratios {api.Rate / kestrel.Rate:0.00} and {everyTime.Rate / kestrel.Rate:0.00}"));
        }

        serve.Kill(entireProcessTree: true);
        uncached.Kill(entireProcessTree: true);
        bare.Kill(entireProcessTree: true);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The bare endpoint: Kestrel, one route, the bytes from a file, nothing else.</summary>
    public static async Task ServeBareAsync(int port, string bodyFile)
    {
        var body = await File.ReadAllBytesAsync(bodyFile);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/orders/{orderId}", () => Results.Bytes(body, "application/json"));
        await app.RunAsync();
    }

    private static Process Start(IEnumerable<string> args, Uri? emulator, bool benchmarkItself = false)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, benchmarkItself ? "OrderHub.Benchmarks.dll" : "OrderHub.Cli.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (emulator is not null)
        {
            info.Environment["ORDERHUB_SP_ENDPOINT"] = emulator.ToString();
            info.Environment["ORDERHUB_LWA_ENDPOINT"] = new Uri(emulator, "auth/o2/token").ToString();
            info.Environment["ORDERHUB_LWA_CLIENT_ID"] = "emulator-client";
            info.Environment["ORDERHUB_LWA_CLIENT_SECRET"] = "emulator-secret";
            info.Environment["ORDERHUB_LWA_REFRESH_TOKEN"] = "Atzr|emulator-seller";
            info.Environment["ORDERHUB_RATE_LIMITS"] = "process";
            info.Environment["ORDERHUB_API_KEYS"] = Key;
        }

        var process = Process.Start(info)!;
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        return process;
    }

}
