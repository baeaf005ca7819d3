using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrderHub.Cli.Commands;
using OrderHub.Cli.Configuration;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
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
        var id = emulator.SellingPartner.OrderIds[0];

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
        var spId = emulator.SellingPartner.OrderIds[1];
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

    [Fact]
    public async Task GetAndServe_ExportingOverOtlp_SendNoOrderId_AndKeepTheRoute()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        // Half the order reads fail at first: serve logs each retry, naming its order, at Information, and exports it.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 5, Faults = { ServerErrorRate = 0.5 } });
        var spId = emulator.SellingPartner.OrderIds[2];
        var outpostsId = emulator.Outposts.OrderIds[1];
        const string unknownId = "902-0000000-0000002";
        var otlp = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };

        var get = await CliProcess.RunAsync(emulator, otlp, "get", outpostsId);
        get.ExitCode.ShouldBe(0, get.Error);

        var folder = Directory.CreateTempSubdirectory("orderhub-otlp-").FullName;
        var port = LoopbackPorts.Free();
        var info = CliProcess.StartInfo(emulator, otlp, ["serve", "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(folder, "api.db")]);

        info.Environment["ORDERHUB_API_KEYS"] = "otlp-reader-key";
        using var serve = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await CliProcess.WaitUntilServingAsync(http, serve);
            http.DefaultRequestHeaders.Add("X-Api-Key", "otlp-reader-key");
            (await http.GetAsync($"orders/{spId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync($"orders/{unknownId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

            // serve exports on its own schedule: until its request spans and its 404's log line have arrived.
            await Eventually.TrueAsync(() => receiver.Holds("traces", "http.route") && receiver.Holds("logs", "answered"), "serve exported its spans and logs: " + receiver.Summary);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        receiver.Holds("traces", "/orders/{orderId}").ShouldBeTrue("the route, the url.path and the Outposts url.full, templated");
        receiver.Holds("traces", "/orders/2026-01-01/orders/{orderId}").ShouldBeTrue("serve's getOrder url.full, templated");
        receiver.Holds("logs", "Retrying").ShouldBeTrue("a retry was logged, naming its order, and exported");
        foreach (var id in new[] { spId, outpostsId, unknownId })
        {
            receiver.AnyHolds(id).ShouldBeFalse($"order id {id} was exported ({receiver.Summary})");
        }
    }

    [Theory]
    [InlineData("http://collector:4318", null, true)]
    [InlineData("http://collector:4318/", "", true)]
    [InlineData("http://collector:4318", "grpc", false)]
    [InlineData("http://collector:4317", null, false)]
    [InlineData("not a url", null, false)]
    public void AnEndpointOnPort4318_WithNoProtocolSet_IsReachedOverOtlpHttp(string endpoint, string? protocol, bool overHttp) =>
        (OrderHub.Cli.Configuration.CliConfiguration.OtlpOverHttp(endpoint, protocol) is not null).ShouldBe(overHttp);
}
