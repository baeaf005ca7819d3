using System.Net;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using OrderHub.Api;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>
/// What leaves over OTLP from an application of the user's own that serves the API and reads both upstreams, captured
/// as the bytes the real exporter sent to a receiver on loopback: no order id in any span or log record, the route kept.
/// </summary>
public sealed class OrderApiTelemetryExportTests : IDisposable
{
    // Only this test's own requests are traced: instrumentations listen to every host of the process (the emulator's,
    // other tests' APIs), whose spans are no business of this test.
    private const string MarkerHeader = "X-Telemetry-Test";

    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-otlp-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task SpansAndLogs_ExportedOverOtlp_NameNoOrderId_AndKeepTheRoute()
    {
        await using var receiver = await OtlpReceiver.StartAsync();

        // Half the order reads fail at first: the retries log the order they are about, and those records are exported.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 5, Faults = { ServerErrorRate = 0.5 } });
        var spId = emulator.SellingPartner.OrderIds[1];
        var outpostsId = emulator.Outposts.OrderIds[0];
        const string unknownId = "902-0000000-0000001";

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        AddSources(builder.Services, emulator);
        builder.Services.AddSqliteOrderStore(Path.Combine(_folder, "app.db"));
        builder.Services.AddOrderHubApi(o => o.ApiKeys.Add(new ApiKey("k", AllowPersonalData: false)));
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Headers.ContainsKey(MarkerHeader))
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => request.RequestUri?.Port == emulator.BaseAddress.Port)

                // Exported at once, in the span's end: OrderHub's instrumentation is added after the exporter on purpose,
                // and must still have run before it.
                .AddOtlpExporter(o => Export(o, receiver, "traces"))
                .AddOrderHubInstrumentation())
            .WithLogging(
                logging => logging.AddOtlpExporter(o => Export(o, receiver, "logs")).AddOrderHubInstrumentation(),
                options => options.IncludeFormattedMessage = true);
        await using (var app = builder.Build())
        {
            app.UseOrderApiConventions();
            app.MapOrderApi();
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Add("X-Api-Key", "k");
            http.DefaultRequestHeaders.Add(MarkerHeader, "1");

            (await http.GetAsync($"/orders/{spId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var outposts = await http.GetAsync($"/orders/outposts/{outpostsId}");
            outposts.StatusCode.ShouldBe(HttpStatusCode.OK, await outposts.Content.ReadAsStringAsync());
            (await http.GetAsync($"/orders/{unknownId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            await app.StopAsync();
        }

        receiver.Holds("traces", "http.route").ShouldBeTrue(receiver.Summary);
        receiver.Holds("traces", "/orders/{orderId}").ShouldBeTrue("the route of GET /orders/{orderId}");
        receiver.Holds("traces", "/orders/{source}/{orderId}").ShouldBeTrue("the route of GET /orders/{source}/{orderId}");
        receiver.Holds("traces", "/orders/2026-01-01/orders/{orderId}").ShouldBeTrue("the outgoing getOrder's url.full, templated");
        receiver.Holds("logs", "Retrying").ShouldBeTrue("a retry was logged, naming its order, and exported");
        foreach (var id in new[] { spId, outpostsId, unknownId })
        {
            receiver.AnyHolds(id).ShouldBeFalse($"order id {id} was exported");
        }
    }

    [Fact]
    public async Task ApiRequestSpans_NameTheRouteAsTheirPath_EvenWithoutOrderHubsInstrumentation()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 5 });
        var spId = emulator.SellingPartner.OrderIds[2];

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        AddSources(builder.Services, emulator);
        builder.Services.AddSqliteOrderStore(Path.Combine(_folder, "plain.db"));
        builder.Services.AddOrderHubApi(o => o.ApiKeys.Add(new ApiKey("k", AllowPersonalData: false)));
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Headers.ContainsKey(MarkerHeader))
            .AddOtlpExporter(o => Export(o, receiver, "traces")));
        await using (var app = builder.Build())
        {
            app.MapOrderApi();
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Add(MarkerHeader, "1");

            (await http.GetAsync($"/orders/{spId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "refused, and traced all the same");
            http.DefaultRequestHeaders.Add("X-Api-Key", "k");
            (await http.GetAsync($"/orders/{spId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await app.StopAsync();
        }

        receiver.Holds("traces", "url.path").ShouldBeTrue(receiver.Summary);
        receiver.Holds("traces", "/orders/{orderId}").ShouldBeTrue();
        receiver.AnyHolds(spId).ShouldBeFalse("the API's own endpoints never expose the id in their span");
    }

    [Fact]
    public async Task QuerySpans_HoldNoQueryValue_EvenWithTheInstrumentationsQueryRedactionOff()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 1 });
        const string SellerOrderId = "SELLER-ORDER-7f3a";

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();

        // An operator may turn the instrumentation's own redaction of query values off.
        builder.Configuration["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true";
        AddSources(builder.Services, emulator);
        builder.Services.AddSqliteOrderStore(Path.Combine(_folder, "query.db"));
        builder.Services.AddOrderHubApi(o => o.ApiKeys.Add(new ApiKey("k", AllowPersonalData: false)));
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Headers.ContainsKey(MarkerHeader))
            .AddOtlpExporter(o => Export(o, receiver, "traces")));
        await using (var app = builder.Build())
        {
            app.MapOrderApi();
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            http.DefaultRequestHeaders.Add(MarkerHeader, "1");
            http.DefaultRequestHeaders.Add("X-Api-Key", "k");

            (await http.GetAsync($"/orders?sellerOrderId={SellerOrderId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync($"/orders/summary?sellerOrderId={SellerOrderId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await app.StopAsync();
        }

        receiver.Holds("traces", "/orders/summary").ShouldBeTrue(receiver.Summary);
        receiver.AnyHolds(SellerOrderId).ShouldBeFalse("a query's values are not in the span");
    }

    private static void AddSources(IServiceCollection services, EmulatorHost emulator) =>
        services.AddOrderHub()
            .AddSellingPartner(o =>
            {
                o.Endpoint = emulator.BaseAddress;
                o.LwaEndpoint = emulator.LwaEndpoint;
                o.ClientId = emulator.SellingPartner.Options.ClientId;
                o.ClientSecret = emulator.SellingPartner.Options.ClientSecret;
                o.RefreshToken = emulator.SellingPartner.Options.RefreshTokens[0];
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxRetryAttempts = 6;
            })
            .AddAwsOutposts(o =>
            {
                o.Region = "us-west-2";
                o.Endpoint = emulator.BaseAddress;
                o.Credentials = new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, emulator.Outposts.Options.AwsSecretAccessKey);
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxRetryAttempts = 6;
            });

    private static void Export(OtlpExporterOptions options, OtlpReceiver receiver, string signal)
    {
        options.Endpoint = receiver.EndpointOf(signal);
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.ExportProcessorType = ExportProcessorType.Simple;
    }
}
