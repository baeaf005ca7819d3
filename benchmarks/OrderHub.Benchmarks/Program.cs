using System.Globalization;
using BenchmarkDotNet.Running;
using OrderHub.Benchmarks.Sync;

// Whole-run measurements: "sync-throttle" and "sync-unthrottled <orders>"; anything else goes to BenchmarkDotNet.
switch (args.FirstOrDefault())
{
    case "sync-throttle":
        await SyncMeasurements.ThrottleEfficiencyAsync();
        break;
    case "sync-unthrottled":
        await SyncMeasurements.UnthrottledAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(SyncMeasurements).Assembly).Run(args);
        break;
}
