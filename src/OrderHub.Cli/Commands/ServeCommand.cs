using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Api;
using OrderHub.Cli.Configuration;
using OrderHub.Events;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands;

/// <summary><c>serve</c>: the unified lookup as an HTTP API, until stopped, composed from the library's registrations.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var flags = new ApiFlags();
        var db = new Option<string?>("--db") { Description = "The store read first: " + OrderStoreSetting.Description };
        var metricsOpen = new Option<bool>("--metrics-open") { Description = "Serve the Prometheus /metrics endpoint without an API key (for a scraper inside a trusted network)." };
        var command = new Command("serve", "Serve the unified lookup over HTTP: GET /orders/{orderId}, the stored copy at GET /orders and GET /orders/summary, GET /healthz, the change feed at GET /changes, and Prometheus metrics at GET /metrics; deliver the changes to the webhook subscriptions of OrderHub:Webhooks:<name>. Keys come from ORDERHUB_API_KEYS (key1,key2:pii,key3:refresh) or OrderHub:Api:ApiKeys.") { db, metricsOpen };
        flags.AddTo(command);
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var app = Build(parse.GetValue(cli.ConfigOption), parse.GetValue(db), options => flags.ApplyTo(parse, options));

            // The settings, the store and the sources are checked before listening: an unusable one ends here, named.
            var api = app.Services.GetRequiredService<OrderApiOptions>();
            var webhooks = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.Subscriptions;
            await app.Services.GetRequiredService<IOrderStore>().EnsureOpenAsync(cancel);
            _ = app.Services.GetRequiredService<OrderLookup>();
            foreach (var url in api.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                ThrowIfInUse(url);
                app.Urls.Add(url);
            }

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
            if (webhooks.Count > 0)
            {
                Console.Out.WriteLine($"Delivering changes to {webhooks.Count} webhook subscription(s): {string.Join(", ", webhooks.Keys.Order(StringComparer.OrdinalIgnoreCase))} ('orderhub webhooks list').");
            }
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

    /// <summary>
    /// Refuses an address another program listens on before the host starts, so that it is said in one line (the host
    /// would log its failure with a stack trace first). Only a literal IP address and port are checked.
    /// </summary>
    private static void ThrowIfInUse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Port == 0 || !System.Net.IPAddress.TryParse(address.DnsSafeHost, out var ip))
        {
            return;
        }

        var probe = new System.Net.Sockets.TcpListener(ip, address.Port);
        try
        {
            probe.Start();
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new IOException($"Failed to bind to address {url}: address already in use.", new Microsoft.AspNetCore.Connections.AddressInUseException(e.Message, e));
        }
        finally
        {
            probe.Stop();
        }
    }

    /// <summary>Composes the API from the CLI's settings and the library's registrations; nothing is opened yet.</summary>
    /// <param name="configFile">The <c>--config</c> file.</param>
    /// <param name="database">The <c>--db</c> option.</param>
    /// <param name="configure">What the command line sets of the API's options, after configuration.</param>
    internal static WebApplication Build(string? configFile, string? database, Action<OrderApiOptions> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        CliConfiguration.Apply(builder.Configuration, configFile);
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
        builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.UseOrderApiRejectionProblems()));
        builder.Services.AddOrderStore(OrderStoreSetting.Resolve(database, builder.Configuration));
        builder.Services.AddOrderHubApi(configure).AddOrderHubOpenApi();
        // The store's changes go to every subscription of OrderHub:Webhooks, from the position stored for it, while the API runs.
        builder.Services.AddOrderHubWebhooks();
        // With an OrderHub:Follower section, the API's host keeps the copies fresh too, and /healthz reports their lag.
        if (builder.Configuration.GetSection(OrderHub.Hosting.OrderFollowerOptions.SectionName).Exists())
        {
            builder.Services.AddOrderHubFollower();
        }
        return builder.Build();
    }

    /// <summary>The flags that set the lookup API's options; each one left out leaves its setting to configuration (<c>OrderHub:Api</c>) or the options' default.</summary>
    internal sealed class ApiFlags
    {
        // The options' own defaults, said in the help.
        private static readonly OrderApiOptions Defaults = new();

        private readonly Option<string?> _urls = new("--urls") { Description = $"Where to listen (default {Defaults.Urls}: loopback unless told otherwise; OrderHub:Api:Urls)." };
        private readonly Option<int?> _maxAge = new("--max-age-seconds") { Description = Invariant($"How old a stored order may be and still be served without an upstream read (default {Defaults.MaxStoreAge.TotalSeconds}; OrderHub:Api:MaxStoreAge).") };
        private readonly Option<int?> _budget = new("--wait-budget-seconds") { Description = Invariant($"How long a request may wait for an upstream rate-limit permit before the API answers 429 (default {Defaults.UpstreamWaitBudget.TotalSeconds}; OrderHub:Api:UpstreamWaitBudget).") };
        private readonly Option<int?> _storeCache = new("--store-cache-ms") { Description = Invariant($"How long an order read from the store is answered again from memory; what a sync writes meanwhile shows this much later. 0 reads the store on every request (default {Defaults.StoreCacheDuration.TotalMilliseconds}; OrderHub:Api:StoreCacheDuration).") };
        private readonly Option<bool> _noAuth = new("--no-auth") { Description = "Accept requests without an API key (logs a warning; OrderHub:Api:AuthenticationDisabled)." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _urls, _maxAge, _budget, _storeCache, _noAuth })
            {
                command.Options.Add(option);
            }
        }

        public void ApplyTo(ParseResult parse, OrderApiOptions options)
        {
            options.Urls = parse.GetValue(_urls) ?? options.Urls;
            options.AuthenticationDisabled |= parse.GetValue(_noAuth);
            options.MaxStoreAge = parse.GetValue(_maxAge) is { } age ? TimeSpan.FromSeconds(age) : options.MaxStoreAge;
            options.UpstreamWaitBudget = parse.GetValue(_budget) is { } wait ? TimeSpan.FromSeconds(wait) : options.UpstreamWaitBudget;
            options.StoreCacheDuration = parse.GetValue(_storeCache) is { } cache ? TimeSpan.FromMilliseconds(cache) : options.StoreCacheDuration;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
