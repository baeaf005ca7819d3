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

    [Theory]
    [InlineData("2026-01-01")]
    [InlineData("v0")]
    public async Task ExportedSpans_NameNoOrderId_TheUrlsAreTemplated(string ordersApi)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 3 });
        var all = new List<Activity>();
        var spId = emulator.SellingPartner.Catalog.OrderIds[1];
        var outpostsId = emulator.Outposts.OrderIds[0];
        var settings = DemoCommand.SettingsFor(emulator).Append(new("OrderHub:Sources:sp-api:OrdersApiVersion", ordersApi));

        var trace = new Activity("cli-telemetry-ids-test") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        await using (var host = CliHost.Build(null, settings, services =>
            CliConfiguration.AddTelemetry(services, telemetry => telemetry.WithTracing(tracing => tracing.AddInMemoryExporter(all)))))
        {
            (await host.Lookup.GetOrderAsync(spId)).OrderId.ShouldBe(spId);
            (await host.Lookup.GetOrderAsync(outpostsId)).OrderId.ShouldBe(outpostsId);
            try
            {
                await ((IOrderCanceller)host.Lookup.GetSource("outposts")).CancelOrderAsync(outpostsId);
            }
            catch (OrderConflictException)
            {
                // An order past cancelling still makes its call: the span is what is looked at.
            }
        }

        trace.Stop();
        var exported = all.Where(a => a.TraceId == trace.TraceId).ToList();
        var urls = exported.Select(a => a.GetTagItem("url.full") as string).OfType<string>().ToList();
        urls.Count.ShouldBeGreaterThanOrEqualTo(3, "every HTTP call exports its URL");
        urls.ShouldContain(u => u.Contains("/orders/{orderId}"));
        foreach (var activity in exported)
        {
            var exportedText = string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(activity.DisplayName));
            exportedText.ShouldNotContain(spId);
            exportedText.ShouldNotContain(outpostsId);
        }
    }
}
