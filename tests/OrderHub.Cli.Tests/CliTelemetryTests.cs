using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrderHub.Cli.Commands;
using OrderHub.Cli.Configuration;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>The CLI's composition subscribes OpenTelemetry to OrderHub's spans and to the HTTP calls under them.</summary>
public sealed class CliTelemetryTests
{
    [Fact]
    public async Task Lookup_ThroughTheCliComposition_ExportsTheOrderHubSpanAndItsHttpCalls()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 3 });
        var all = new List<Activity>();
        var id = emulator.SellingPartner.Catalog.OrderIds[0];

        // Listeners are process-wide and other test classes run lookups at the same time: this test's spans are those
        // of its own trace.
        var trace = new Activity("cli-telemetry-test") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        await using (var host = CliHost.Build(null, DemoCommand.SettingsFor(emulator), services =>
            CliConfiguration.AddTelemetry(services, telemetry => telemetry.WithTracing(tracing => tracing.AddInMemoryExporter(all)))))
        {
            (await host.Lookup.GetOrderAsync(id)).OrderId.ShouldBe(id);
        }

        trace.Stop();
        var exported = all.Where(a => a.TraceId == trace.TraceId).ToList();
        exported.Where(a => a.Source.Name == "OrderHub").Select(a => a.OperationName).ShouldBe(["refreshAccessToken", "getOrder@2026-01-01"]);
        var call = exported.Single(a => a.OperationName == "getOrder@2026-01-01");
        exported.ShouldContain(a => a.Kind == ActivityKind.Client && a.Source.Name != "OrderHub" && a.ParentSpanId == call.SpanId, "the HTTP call is traced under OrderHub's span");
    }
}
