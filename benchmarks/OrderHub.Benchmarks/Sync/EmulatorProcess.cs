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
