using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderHub.Benchmarks.Query;

/// <summary>The <c>orderhub</c> program in processes of its own, as users run it: an export to a file, and the API.</summary>
internal static partial class CliProcesses
{
    public const string ApiKey = "bench-query-key";

    private const string Time = "/usr/bin/time";

    /// <summary>What one export did: its wall time (the process's start included), what it wrote, and its peak resident memory.</summary>
    public sealed record Export(TimeSpan Elapsed, long Orders, long Rows, long PeakRssKib, long FileBytes);

    /// <summary>
    /// Runs <c>orderhub export</c> to the end, under <c>/usr/bin/time -v</c> when it is there (the kernel's own peak of
    /// the process), else polling the process's VmHWM until it exits.
    /// </summary>
    public static async Task<Export> ExportAsync(string database, string format, string output, IEnumerable<string> filters)
    {
        string[] export = ["export", "--db", database, "--format", format, "--out", output, .. filters];
        var timed = File.Exists(Time);
        var info = new ProcessStartInfo(timed ? Time : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[.. timed ? ["-v", "dotnet"] : Array.Empty<string>(), Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), .. export])
        {
            info.ArgumentList.Add(arg);
        }

        Environment(info);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long polled = 0;
        while (!process.HasExited)
        {
            polled = Math.Max(polled, PeakOf(process.Id));
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(50));
        }

        await process.WaitForExitAsync();
        clock.Stop();
        var errors = await stderr;
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"orderhub export --format {format} exited with {process.ExitCode}: {errors}");
        }

        var result = Exported().Match(errors);
        var peak = timed && MaximumResident().Match(errors) is { Success: true } line ? long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture) : polled;
        var orders = long.Parse(result.Groups[1].Value, CultureInfo.InvariantCulture);
        var rows = result.Groups[2].Success ? long.Parse(result.Groups[2].Value, CultureInfo.InvariantCulture) : orders;
        return new Export(clock.Elapsed, orders, rows, peak, new FileInfo(output).Length);
    }

    /// <summary>Starts <c>orderhub serve</c> over a database, with the sources a configuration file names.</summary>
    public static Process StartServe(string database, int port, string configFile, IEnumerable<string> options)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), "serve", "--config", configFile, "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--db", database, .. options])
        {
            info.ArgumentList.Add(arg);
        }

        Environment(info);
        var process = Process.Start(info)!;
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        return process;
    }

    /// <summary>Until a probe answers with success; fails at once when the server exits, and after a minute of refused connections.</summary>
    public static async Task UntilServingAsync(HttpClient http, Uri probe, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {server.ExitCode} before serving.");
            }

            try
            {
                if ((await http.GetAsync(probe)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            await Task.Delay(100);
        }
    }

    // The API's key, and rate limits in the process: no machine-wide file is created for a benchmark.
    private static void Environment(ProcessStartInfo info)
    {
        info.Environment["ORDERHUB_API_KEYS"] = ApiKey;
        info.Environment["ORDERHUB_RATE_LIMITS"] = "process";
    }

    private static long PeakOf(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [GeneratedRegex(@"exported (\d+) order\(s\)(?: in (\d+) row\(s\))?")]
    private static partial Regex Exported();

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaximumResident();
}
