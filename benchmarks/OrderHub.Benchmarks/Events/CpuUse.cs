using System.Diagnostics;
using System.Globalization;

namespace OrderHub.Benchmarks.Events;

/// <summary>
/// Cores kept busy over a span: by this process (its processor time), and by the whole machine (Linux's
/// <c>/proc/stat</c>: PostgreSQL's server and whatever else runs beside the benchmark).
/// </summary>
internal readonly record struct CpuUse(double ProcessCores, double MachineCores)
{
    public static Sample Take()
    {
        using var process = Process.GetCurrentProcess();
        var (busy, total) = MachineJiffies();
        return new Sample(Stopwatch.GetTimestamp(), process.TotalProcessorTime, busy, total);
    }

    public static CpuUse Between(Sample from, Sample to)
    {
        var wall = Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;
        var total = to.MachineTotal - from.MachineTotal;
        var machine = total <= 0 ? double.NaN : (double)(to.MachineBusy - from.MachineBusy) / total * Environment.ProcessorCount;
        return new CpuUse((to.ProcessTime - from.ProcessTime).TotalSeconds / wall, machine);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ProcessCores:0.00} cores in this process, {MachineCores:0.00} of {Environment.ProcessorCount} on the machine");

    // The first line of /proc/stat: user nice system idle iowait irq softirq steal ...; idle and iowait are not busy.
    private static (long Busy, long Total) MachineJiffies()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    public readonly record struct Sample(long At, TimeSpan ProcessTime, long MachineBusy, long MachineTotal);
}
