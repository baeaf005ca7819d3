using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderHub.Benchmarks.Query;

/// <summary>
/// One <c>wrk</c> run that also reads what did not succeed: a slow endpoint (a query page over a million orders)
/// answers after wrk's default 2 s timeout, and its requests would otherwise vanish from the rate and the percentiles.
/// </summary>
internal static partial class WrkRun
{
    public const int Connections = 32;

    public const int Seconds = 10;

    public sealed record Result(double Rate, string P50, string P99, long Requests, long Timeouts, long Errors, long Non2xx);

    public static async Task<Result> RunAsync(string url, string header, int seconds = Seconds)
    {
        var info = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in (string[])["-t2", $"-c{Connections.ToString(CultureInfo.InvariantCulture)}", $"-d{seconds.ToString(CultureInfo.InvariantCulture)}s", "--timeout", "30s", "--latency", "-H", header, url])
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

    // The latency distribution's own lines ("     99%    2.75ms"), anchored so a thread-stats percentage is not taken.
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
