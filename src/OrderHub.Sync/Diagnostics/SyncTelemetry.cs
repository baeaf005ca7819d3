using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderHub.Diagnostics;

namespace OrderHub.Sync;

/// <summary>
/// The sync's spans and metrics, under the name every OrderHub part uses (<c>OrderHub</c>): a span per run (and per
/// window of an incremental sync), and the orders stored by source and outcome. Names, counts and outcomes only.
/// </summary>
internal static class SyncTelemetry
{
    public static ActivitySource ActivitySource => OrderHubDiagnostics.ActivitySource;

    private static Meter Meter => OrderHubDiagnostics.Meter;

    /// <summary>Orders stored (or failed) by the sync, by source and outcome.</summary>
    public static Counter<long> Orders { get; } = Meter.CreateCounter<long>("orderhub.sync.orders", "{order}", "Orders the sync stored, by source and outcome (inserted, updated, unchanged, superseded: a newer copy was stored, lease_lost: another worker took the reference, failed).");

    public static void Record(string source, StoreOutcome outcome) =>
        Orders.Add(1, new TagList { { "orderhub.source", source }, { "orderhub.sync.outcome", OutcomeName(outcome) } });

    public static string OutcomeName(StoreOutcome outcome) => outcome switch
    {
        StoreOutcome.Inserted => "inserted",
        StoreOutcome.Updated => "updated",
        StoreOutcome.Unchanged => "unchanged",
        StoreOutcome.Superseded => "superseded",
        StoreOutcome.LeaseLost => "lease_lost",
        _ => "failed",
    };
}
