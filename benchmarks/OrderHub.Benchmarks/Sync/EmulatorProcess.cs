using System.Diagnostics;
using System.Globalization;

namespace OrderHub.Benchmarks.Sync;

/// <summary>The emulator in a process of its own (<c>orderhub emulator</c>), as a real upstream would be.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<EmulatorProcess> StartAsync(IEnumerable<string> options)
    {
        var port = OrderHub.Testing.LoopbackPorts.Free();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), "emulator", "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", .. options])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        await process.StandardOutput.ReadLineAsync(); // it says where it listens once it does
        return new EmulatorProcess(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
    }

    /// <summary>
    /// An <c>orderhub</c> process pointed at this emulator as one seller (its refresh token), with the emulator's AWS
    /// keys and a rate-limit file of its own; its output left to the console unless <paramref name="redirect"/>.
    /// </summary>
    /// <param name="refreshToken">The seller's refresh token.</param>
    /// <param name="rateLimitsFile">The rate-limit file the process shares its quotas through.</param>
    /// <param name="redirect">Whether the caller reads its output (a pipe nobody reads would stall it).</param>
    /// <param name="args">The command line.</param>
    /// <returns>The start information.</returns>
    public ProcessStartInfo Cli(string refreshToken, string rateLimitsFile, bool redirect, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = redirect, RedirectStandardError = redirect };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), .. args])
        {
            info.ArgumentList.Add(arg);
        }

        var defaults = new OrderHub.Emulator.Hosting.EmulatorOptions();
        info.Environment["ORDERHUB_SP_ENDPOINT"] = BaseAddress.ToString();
        info.Environment["ORDERHUB_LWA_ENDPOINT"] = new Uri(BaseAddress, "auth/o2/token").ToString();
        info.Environment["ORDERHUB_LWA_CLIENT_ID"] = defaults.ClientId;
        info.Environment["ORDERHUB_LWA_CLIENT_SECRET"] = defaults.ClientSecret;
        info.Environment["ORDERHUB_LWA_REFRESH_TOKEN"] = refreshToken;
        info.Environment["AWS_ACCESS_KEY_ID"] = defaults.AwsAccessKeyId;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = defaults.AwsSecretAccessKey;
        info.Environment["AWS_REGION"] = defaults.AwsRegion;
        info.Environment["ORDERHUB_RATE_LIMITS_FILE"] = rateLimitsFile;
        info.Environment["NO_COLOR"] = "1";
        return info;
    }

    /// <summary>Gets the CPU time the emulator process has spent so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Reads how many 429s the emulator has sent, from its statistics endpoint.</summary>
    public async Task<int> ThrottledAsync() => (int)(await StatsAsync())["spThrottled"];

    /// <summary>Reads the emulator's statistics endpoint.</summary>
    public async Task<Dictionary<string, double>> StatsAsync()
    {
        using var http = new HttpClient();
        return System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(await http.GetStringAsync(new Uri(BaseAddress, "_emulator/stats")))!;
    }

    /// <summary>Reads the ids of the emulator's Selling Partner orders.</summary>
    public async Task<string[]> OrderIdsAsync()
    {
        using var http = new HttpClient();
        return (await http.GetStringAsync(new Uri(BaseAddress, "_emulator/sp-order-ids"))).Split('\n');
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
