using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderHub.Benchmarks.Sync;

/// <summary>Drives an HTTP endpoint with <c>wrk</c> (a process of its own) and reads its rate and 99th percentile.</summary>
internal static partial class Wrk
{
    /// <summary>How long each run lasts unless told otherwise.</summary>
    public const int Seconds = 10;

    /// <summary>Runs wrk over 32 connections with one header, and returns requests per second and p99.</summary>
    public static async Task<(double Rate, string P99)> RunAsync(string url, string header, int threads = 2, int seconds = Seconds)
    {
        var info = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in (string[])[$"-t{threads.ToString(CultureInfo.InvariantCulture)}", "-c32", $"-d{seconds.ToString(CultureInfo.InvariantCulture)}s", "--latency", "-H", header, url])
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk could not be started: apt-get install wrk.");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rate = double.Parse(RateLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        return (rate, P99Line().Match(output).Groups[1].Value);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RateLine();

    // The latency distribution's own line ("     99%    2.75ms"): unanchored, the pattern also matched a thread-stats
    // percentage ending in 99 ("89.99%") and took the next line's "Req/Sec" for the p99.
    [GeneratedRegex(@"^\s+99%\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex P99Line();
}
