using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Api;
using OrderHub.Cli.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands;

/// <summary><c>serve</c>: the unified lookup as an HTTP API, until stopped, composed from the library's registrations.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback unless told otherwise).", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var db = new Option<string?>("--db") { Description = "The store read first: " + OrderStoreSetting.Description };
        var maxAge = new Option<int>("--max-age-seconds") { Description = "How old a stored order may be and still be served without an upstream read.", DefaultValueFactory = _ => 300 };
        var budget = new Option<int>("--wait-budget-seconds") { Description = "How long a request may wait for an upstream rate-limit permit before the API answers 429.", DefaultValueFactory = _ => 10 };
        var storeCache = new Option<int>("--store-cache-ms") { Description = "How long an order read from the store is answered again from memory; what a sync writes meanwhile shows this much later. 0 reads the store on every request.", DefaultValueFactory = _ => 1000 };
        var noAuth = new Option<bool>("--no-auth") { Description = "Accept requests without an API key (logs a warning)." };
        var metricsOpen = new Option<bool>("--metrics-open") { Description = "Serve the Prometheus /metrics endpoint without an API key (for a scraper inside a trusted network)." };
        var command = new Command("serve", "Serve the unified lookup over HTTP: GET /orders/{orderId}, GET /healthz, and Prometheus metrics at GET /metrics. Keys come from ORDERHUB_API_KEYS (key1,key2:pii,key3:refresh).") { urls, db, maxAge, budget, storeCache, noAuth, metricsOpen };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var builder = WebApplication.CreateSlimBuilder();
            CliConfiguration.Apply(builder.Configuration, parse.GetValue(cli.ConfigOption));
            // Metrics are always scraped from /metrics (Prometheus); traces and metrics also go over OTLP when configured.
            // Incoming requests are traced only then: a span per request costs a quarter of the store-hit throughput.
            CliConfiguration.AddServices(builder.Services, telemetry =>
            {
                telemetry.WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter());
                if (CliConfiguration.ExportsTelemetry)
                {
                    telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
                }
            });
            // A line per request answered with an error (method, route template, status) and OrderHub's own events; the framework's only from warnings.
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
            // Requests Kestrel rejects before the pipeline (a NUL in the path, HTTP/9.9) are answered problem+json too.
            builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.UseOrderApiRejectionProblems())).UseUrls(parse.GetRequiredValue(urls));
            builder.Services.AddOrderStore(OrderStoreSetting.Resolve(parse.GetValue(db)));
            var keys = builder.Configuration["ORDERHUB_API_KEYS"] ?? string.Empty;
            builder.Services.AddOrderHubApi(options =>
            {
                options.Urls = parse.GetRequiredValue(urls);
                options.AuthenticationDisabled = parse.GetValue(noAuth);
                options.MaxStoreAge = TimeSpan.FromSeconds(parse.GetValue(maxAge));
                options.UpstreamWaitBudget = TimeSpan.FromSeconds(parse.GetValue(budget));
                options.StoreCacheDuration = TimeSpan.FromMilliseconds(parse.GetValue(storeCache));
                foreach (var entry in keys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    // Permissions are suffixes in any order (key:pii:refresh); a key without one keeps reading as before.
                    var key = entry;
                    bool personal = false, refresh = false;
                    while (true)
                    {
                        if (key.EndsWith(":pii", StringComparison.Ordinal)) { personal = true; key = key[..^4]; }
                        else if (key.EndsWith(":refresh", StringComparison.Ordinal)) { refresh = true; key = key[..^8]; }
                        else { break; }
                    }

                    options.ApiKeys.Add(new ApiKey(key, personal) { AllowRefresh = refresh });
                }
            });
            await using var app = builder.Build();

            // The store and the sources are checked before listening: an unusable database or setting ends here, named.
            await app.Services.GetRequiredService<IOrderStore>().EnsureOpenAsync(cancel);
            _ = app.Services.GetRequiredService<OrderLookup>();
            app.UseOrderApiConventions();
            if (!parse.GetValue(metricsOpen))
            {
                app.UseOrderApiKeyFor("/metrics");
            }

            app.UseOpenTelemetryPrometheusScrapingEndpoint();
            app.MapOpenApi();
            app.MapOrderApi();
            await app.StartAsync(cancel);
            Console.Out.WriteLine($"OrderHub lookup API on {string.Join(", ", app.Urls)} (OpenAPI at /openapi/v1.json).");
            try
            {
                await app.WaitForShutdownAsync(cancel);
            }
            catch (OperationCanceledException)
            {
            }

            return Output.ExitCodes.Ok;
        }));
        return command;
    }
}
