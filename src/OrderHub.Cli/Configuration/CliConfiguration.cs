using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OrderHub.Cli.Configuration;

/// <summary>
/// Where <c>orderhub</c> reads its settings, and how it composes the library from them. Settings are the library's own
/// vocabulary (<c>OrderHub:Sources:&lt;name&gt;:...</c>), from, lowest first: an appsettings-style JSON file
/// (<c>--config</c> or <c>ORDERHUB_CONFIG</c>), the <c>ORDERHUB_*</c> shortcuts for one account of each provider, and
/// environment variables (<c>OrderHub__Sources__sp-eu__ClientId</c>).
/// </summary>
internal static class CliConfiguration
{
    /// <summary>The shortcuts: an environment variable (or top-level key of the file) to the setting it stands for.</summary>
    public static IReadOnlyList<(string Variable, string Setting, string Meaning)> Shortcuts { get; } =
    [
        ("ORDERHUB_LWA_CLIENT_ID", "OrderHub:Sources:sp-api:ClientId", "LWA client id (with the secret and refresh token: a Selling Partner source named sp-api)"),
        ("ORDERHUB_LWA_CLIENT_SECRET", "OrderHub:Sources:sp-api:ClientSecret", "LWA client secret"),
        ("ORDERHUB_LWA_REFRESH_TOKEN", "OrderHub:Sources:sp-api:RefreshToken", "the selling partner's LWA refresh token"),
        ("ORDERHUB_LWA_ENDPOINT", "OrderHub:Sources:sp-api:LwaEndpoint", "Login with Amazon token endpoint"),
        ("ORDERHUB_SP_ENDPOINT", "OrderHub:Sources:sp-api:Endpoint", "Selling Partner API base URL (overrides the region's host)"),
        ("ORDERHUB_SP_REGION", "OrderHub:Sources:sp-api:Region", "na (default), eu or fe"),
        ("ORDERHUB_SP_ORDERS_API", "OrderHub:Sources:sp-api:OrdersApiVersion", "2026-01-01 (default) or v0"),
        ("AWS_REGION", "OrderHub:Sources:outposts:Region", "AWS region (an Outposts source named outposts; credentials as the AWS SDKs find them)"),
        ("AWS_DEFAULT_REGION", "OrderHub:Sources:outposts:Region", "AWS region, when AWS_REGION is not set"),
        ("ORDERHUB_REDIS", "OrderHub:RateLimits:Redis", "share rate limits across machines through this Redis (a StackExchange.Redis configuration string)"),
        ("ORDERHUB_REDIS_PASSWORD", "OrderHub:RateLimits:RedisPassword", "the Redis password, apart from ORDERHUB_REDIS (any character, commas included; never shown)"),
        ("ORDERHUB_RATE_LIMITS", "OrderHub:RateLimits:Store", "machine (default: every process of this user shares them), redis or process"),
        ("ORDERHUB_RATE_LIMITS_FILE", "OrderHub:RateLimits:File", "the machine-wide rate-limit file (default: OrderHub/rate-limits.db in the user's local data folder)"),
        ("ORDERHUB_DB", OrderStoreSetting.Setting, "the database of sync and serve: a SQLite file (default orderhub.db), or a PostgreSQL connection string or postgresql:// URI"),
    ];

    /// <summary>The shortcut for the lookup API's keys: <c>key1,key2:pii,key3:refresh</c>, as <c>OrderHub:Api:ApiKeys</c>.</summary>
    public const string ApiKeysShortcut = "ORDERHUB_API_KEYS";

    /// <summary>The shortcut for the sp-api source's marketplaces, separated by commas, as <c>OrderHub:Sources:sp-api:MarketplaceIds</c> (order reports need them).</summary>
    public const string MarketplacesShortcut = "ORDERHUB_SP_MARKETPLACES";

    /// <summary>What the lookup tells a user who gives an id of a marketplace with no configured source: the shortcuts to set.</summary>
    public static IReadOnlyList<OrderSourceConfigurationHint> ConfigurationHints { get; } =
    [
        new("Amazon Selling Partner", KnownOrderIdFormats.AmazonOrderId, "set ORDERHUB_LWA_CLIENT_ID, ORDERHUB_LWA_CLIENT_SECRET and ORDERHUB_LWA_REFRESH_TOKEN, or describe sources under OrderHub:Sources:<name> in a --config file"),
        new("AWS Outposts", KnownOrderIdFormats.OutpostsOrderId, "set AWS_REGION (and credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE), or describe sources under OrderHub:Sources:<name> in a --config file"),
    ];

    /// <summary>Adds the CLI's settings to a configuration, lowest first.</summary>
    /// <param name="configuration">The configuration (a host builder's).</param>
    /// <param name="configFile">The <c>--config</c> file, if given.</param>
    /// <param name="settings">Settings that win over everything (the demo points the sources at its emulator).</param>
    public static void Apply(IConfigurationManager configuration, string? configFile, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var path = configFile ?? Environment.GetEnvironmentVariable("ORDERHUB_CONFIG");
        if (!string.IsNullOrEmpty(path))
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"The config file '{path}' does not exist. Expected an appsettings-style JSON file, such as {{\"OrderHub\": {{\"Sources\": {{\"sp-eu\": {{\"Provider\": \"SellingPartner\", ...}}}}}}}}.");
            }

            try
            {
                // Opened here so that a file the user may not read is named in one line, not the configuration's exception.
                File.OpenRead(path).Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"The config file '{path}' cannot be read ({e.Message}). Expected a readable appsettings-style JSON file.", e);
            }

            configuration.AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddInMemoryCollection(ShortcutSettings(configuration));
        configuration.AddEnvironmentVariables(); // the library's own names win over the shortcuts
        if (settings is not null)
        {
            configuration.AddInMemoryCollection(settings);
        }
    }

    /// <summary>Registers what every command uses, through the library's own registrations.</summary>
    /// <param name="services">The services.</param>
    /// <param name="telemetry">Adds to the telemetry pipelines (<c>serve</c>'s instrumentation and Prometheus exporter); they are then built even without OTLP.</param>
    public static void AddServices(IServiceCollection services, Action<OpenTelemetryBuilder>? telemetry = null)
    {
        services.AddLogging(logging =>
        {
            // Warnings (a deprecated API, authentication turned off) go to standard error, never mixed into the output.
            logging.ClearProviders();
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            logging.SetMinimumLevel(LogLevel.Warning);
        });
        services.AddOrderHub().AddRedisRateLimits().AddSellingPartnerSources().AddAwsOutpostsSources();
        foreach (var hint in ConfigurationHints)
        {
            services.AddSingleton(hint);
        }

        AddTelemetry(services, telemetry);
    }

    /// <summary>Gets a value indicating whether telemetry is exported: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static bool ExportsTelemetry => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    /// <summary>
    /// Subscribes OpenTelemetry to OrderHub's traces, metrics and logs (and to the outgoing HTTP calls under them), exported
    /// over OTLP, when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise no pipeline is built at all,
    /// so a command that exports nothing pays nothing.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds to the pipelines (an exporter of the caller's; <c>serve</c>'s Prometheus metrics); builds the metrics pipeline even with no OTLP endpoint, and the traces only with one.</param>
    public static void AddTelemetry(IServiceCollection services, Action<OpenTelemetryBuilder>? configure = null)
    {
        if (!ExportsTelemetry && configure is null)
        {
            return;
        }

        // The library's own subscription, as a user's application would make it: OrderHub's spans, meters and the
        // redaction of order ids from every span and log record exported.
        var telemetry = services.AddOpenTelemetry();
        telemetry.AddOrderHubInstrumentation();
        telemetry.WithMetrics(metrics => metrics.AddHttpClientInstrumentation());

        // Spans cost every request an activity: a tracer provider is built only when something exports spans (OTLP, or
        // a caller's own exporter); whichever builds it gets OrderHub's spans and the HTTP calls under them.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddHttpClientInstrumentation());
        if (ExportsTelemetry)
        {
            telemetry.WithTracing();
            if (OtlpOverHttp(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"), Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL")) is { } collector)
            {
                telemetry.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf, collector);
            }
            else
            {
                telemetry.UseOtlpExporter();
            }
        }

        configure?.Invoke(telemetry);
    }

    /// <summary>
    /// The collector to reach over OTLP/HTTP when only an endpoint on port 4318 (OTLP/HTTP's own) is set: the exporter's
    /// default protocol is gRPC (port 4317), which such a collector would refuse. <see langword="null"/> when the
    /// protocol is set, or the port is another: the exporter then reads the standard variables itself.
    /// </summary>
    internal static Uri? OtlpOverHttp(string? endpoint, string? protocol) =>
        string.IsNullOrEmpty(protocol) && Uri.TryCreate(endpoint, UriKind.Absolute, out var url) && url.Port == 4318 ? url : null;

    // The shortcuts, read from the file's top level and the environment, as the settings they stand for.
    private static Dictionary<string, string?> ShortcutSettings(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, setting, _) in Shortcuts)
        {
            if (configuration[variable] is { Length: > 0 } value && !values.ContainsKey(setting))
            {
                values[setting] = value;
            }
        }

        if (configuration[MarketplacesShortcut] is { Length: > 0 } marketplaces)
        {
            var index = 0;
            foreach (var marketplace in marketplaces.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                values[string.Create(CultureInfo.InvariantCulture, $"OrderHub:Sources:sp-api:MarketplaceIds:{index++}")] = marketplace;
            }
        }

        if (configuration[ApiKeysShortcut] is { Length: > 0 } keys)
        {
            var index = 0;
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

                var at = $"{OrderHub.Api.OrderApiOptions.SectionName}:ApiKeys:{index++}:";
                values[at + nameof(OrderHub.Api.ApiKey.Key)] = key;
                values[at + nameof(OrderHub.Api.ApiKey.AllowPersonalData)] = personal ? "true" : "false";
                values[at + nameof(OrderHub.Api.ApiKey.AllowRefresh)] = refresh ? "true" : "false";
            }
        }

        if (values.Keys.Any(k => k.StartsWith("OrderHub:Sources:sp-api:", StringComparison.OrdinalIgnoreCase)))
        {
            values["OrderHub:Sources:sp-api:Provider"] = SellingPartnerOrderHubBuilderExtensions.ProviderName;
        }

        if (values.ContainsKey("OrderHub:Sources:outposts:Region"))
        {
            values["OrderHub:Sources:outposts:Provider"] = OutpostsOrderHubBuilderExtensions.ProviderName;
        }

        return values;
    }
}
