using System.Diagnostics;
using OrderHub.Sync;
using OrderHub.Testing;
using OrderHub.Tests.Sources;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync;

/// <summary>A sync run as an operator sees it: its start, each batch and its end in the logs, a span, and counts by outcome.</summary>
public sealed class SyncObservabilityTests
{
    [Fact]
    public async Task Run_LogsItsStartEachBatchAndItsEnd_LeavesASpan_AndCountsOrdersByOutcome()
    {
        var sourceName = "sync-observed-" + Guid.NewGuid().ToString("N")[..8];
        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var memory = new InMemoryOrderSource(sourceName, InMemoryOrderSource.ThreeSevenSeven).Add("100-0000000-0000001").Add("100-0000000-0000002").Add("100-0000000-0000003");
        var store = new InMemoryOrderStore();
        using var logs = new CapturingLoggerProvider();
        using var telemetry = new TelemetryCapture(sourceName);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "OrderHub",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Equals(a.GetTagItem("orderhub.sync.run_id"), runId))
                {
                    lock (spans)
                    {
                        spans.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var sync = new OrderSync(new OrderLookup([memory]), store, logger: logs.CreateLogger<OrderSync>());
        await sync.AddReferencesAsync(runId, [new(sourceName, "100-0000000-0000001"), new(sourceName, "100-0000000-0000002"), new(sourceName, "100-0000000-0000003"), new(sourceName, "100-0000000-0000009")]);

        await sync.RunAsync(runId, new OrderSyncOptions { BatchSize = 2 });

        var lines = logs.Lines.ToArray();
        lines.ShouldContain(l => l.Contains($"Sync run {runId} starts: 4 to read, 0 stored before"));
        lines.Count(l => l.Contains($"Sync run {runId} stored a batch of")).ShouldBeGreaterThanOrEqualTo(2, "batches of at most 2");
        lines.ShouldContain(l => l.Contains($"Sync run {runId} ends: 3 new, 0 updated, 0 unchanged, 1 failed"));
        var span = spans.ShouldHaveSingleItem();
        span.OperationName.ShouldBe("sync.run");
        span.GetTagItem("orderhub.sync.inserted").ShouldBe(3);
        span.GetTagItem("orderhub.sync.failed").ShouldBe(1);
        telemetry.Measurements.Where(m => m.Instrument == "orderhub.sync.orders")
            .GroupBy(m => m.Tags.Single(t => t.Key == "orderhub.sync.outcome").Value)
            .ToDictionary(g => (string)g.Key!, g => g.Count())
            .ShouldBe(new Dictionary<string, int> { ["inserted"] = 3, ["failed"] = 1 }, ignoreOrder: true);
    }
}
