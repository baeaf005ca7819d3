using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// Drives an HTTP endpoint with <c>wrk</c> (a process of its own) over 32 connections and reads its rate, percentiles
/// and what did not succeed: a slow endpoint (a query page over a million orders) answers after wrk's timeout, and its
/// requests would otherwise vanish from the rate and the percentiles.
/// </summary>
internal static partial class Wrk
{
    /// <summary>How many connections each run keeps open.</summary>
    public const int Connections = 32;

    /// <summary>How long each run lasts unless told otherwise.</summary>
    public const int Seconds = 10;

    /// <summary>What one run measured: requests per second, p50 and p99 as wrk prints them, and the requests that failed.</summary>
    public sealed record Result(double Rate, string P50, string P99, long Requests, long Timeouts, long Errors, long Non2xx);

    /// <summary>Runs wrk with one header.</summary>
    /// <param name="url">The endpoint.</param>
    /// <param name="header">One request header (<c>Name: value</c>).</param>
    /// <param name="threads">wrk's threads.</param>
    /// <param name="seconds">How long the run lasts.</param>
    /// <param name="timeout">How long wrk waits for an answer before counting a timeout; wrk's own 2 s when not given.</param>
    public static async Task<Result> RunAsync(string url, string header, int threads = 2, int seconds = Seconds, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true };
        string[] waitFor = timeout is { } wait ? ["--timeout", $"{wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"] : [];
        foreach (var arg in (string[])[$"-t{threads.ToString(CultureInfo.InvariantCulture)}", $"-c{Connections.ToString(CultureInfo.InvariantCulture)}", $"-d{seconds.ToString(CultureInfo.InvariantCulture)}s", .. waitFor, "--latency", "-H", header, url])
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk could not be started: apt-get install wrk.");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        long Number(Match match, int group = 1) => match.Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var socket = SocketErrors().Match(output);
        return new Result(
            double.Parse(RateLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50"),
            Percentile(output, "99"),
            Number(RequestsLine().Match(output)),
            Number(socket, 4),
            Number(socket, 1) + Number(socket, 2) + Number(socket, 3),
            Number(Non2xxLine().Match(output)));
    }

    // The latency distribution's own lines ("     99%    2.75ms"), anchored: unanchored, the pattern also matched a
    // thread-stats percentage ending in 99 ("89.99%") and took the next line's "Req/Sec" for the p99.
    private static string Percentile(string output, string percent) =>
        Regex.Match(output, $@"^\s+{percent}%\s+(\S+)", RegexOptions.Multiline, TimeSpan.FromSeconds(1)) is { Success: true } match ? match.Groups[1].Value : "-";

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();
}
