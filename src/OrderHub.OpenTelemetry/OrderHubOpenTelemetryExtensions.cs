using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderHub.Telemetry.Logs;
using OrderHub.Telemetry.Trace;

namespace OrderHub;

/// <summary>
/// Subscribes OpenTelemetry to OrderHub's traces, metrics and logs, with every order id taken out of what is exported:
/// the URLs of the HTTP spans under OrderHub's calls (<c>url.full</c>, <c>url.path</c>; <c>http.route</c> is kept) and
/// the log records that name an order. Order ids are customer data; OrderHub's requests carry them in their paths, and
/// the HTTP instrumentations copy those paths into their spans.
/// </summary>
/// <remarks>
/// The redaction runs before every exporter of the pipeline, wherever in the builder chain it is added: exporters added
/// with <c>UseOtlpExporter()</c> always come last, and a processor added here is put first among the others, so an
/// exporter added with <c>AddOtlpExporter()</c> before it still sees no id.
/// </remarks>
public static class OrderHubOpenTelemetryExtensions
{
    /// <summary>The name of OrderHub's activity source and meter.</summary>
    internal const string TelemetryName = OrderHub.Diagnostics.OrderHubDiagnostics.Name;

    /// <summary>The meter of Polly's resilience telemetry (each source's retries, attempts and durations).</summary>
    internal const string PollyMeterName = "Polly";

    /// <summary>
    /// Adds OrderHub's instrumentation to every signal the application builds: its spans (source <c>OrderHub</c>), its
    /// metrics (meters <c>OrderHub</c> and <c>Polly</c>), and the redaction of order ids from every span and log record
    /// exported. Builds no pipeline by itself: a signal is exported once the application turns it on
    /// (<c>WithTracing()</c>, <c>UseOtlpExporter()</c>...).
    /// </summary>
    /// <param name="builder">The builder <c>services.AddOpenTelemetry()</c> returns.</param>
    /// <returns>The builder.</returns>
    public static IOpenTelemetryBuilder AddOrderHubInstrumentation(this IOpenTelemetryBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddOrderHubInstrumentation());
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddOrderHubInstrumentation());
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddOrderHubInstrumentation());
        return builder;
    }

    /// <summary>
    /// Subscribes to OrderHub's spans (source <c>OrderHub</c>: a span per upstream call, per sync run and window) and
    /// takes every order id out of every span before any exporter sees it: tags such as the HTTP client's
    /// <c>url.full</c> (<c>.../orders/v0/orders/{orderId}</c>) and a server's <c>url.path</c>, names and status
    /// descriptions; <c>http.route</c> is a template and stays. Add the HTTP instrumentations as usual
    /// (<c>AddHttpClientInstrumentation()</c>, <c>AddAspNetCoreInstrumentation()</c>): their spans are redacted too.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder.</returns>
    public static TracerProviderBuilder AddOrderHubInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSource(TelemetryName);
        return builder.ConfigureServices(services => First(services, () =>
            services.ConfigureOpenTelemetryTracerProvider((_, tracing) => tracing.AddProcessor(new OrderIdRedactingActivityProcessor()))));
    }

    /// <summary>
    /// Subscribes to OrderHub's metrics (meter <c>OrderHub</c>: upstream requests, durations, 429s, retries, rate-limit
    /// waits and permits, sync and lookup counts) and to Polly's (meter <c>Polly</c>: each source's resilience pipeline).
    /// No measurement carries an order id.
    /// </summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder.</returns>
    public static MeterProviderBuilder AddOrderHubInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(TelemetryName, PollyMeterName);
    }

    /// <summary>
    /// Takes every order id out of every log record before any exporter sees it: attributes (OrderHub's
    /// <c>OrderId</c>, an HTTP client's <c>Uri</c>), the formatted message and the body. OrderHub's logs name the order
    /// a retry or a failure is about for whoever reads them where they are written; exported, they carry
    /// <c>{orderId}</c> instead. Log scopes are exported as they are (ASP.NET Core's <c>RequestPath</c> scope holds the
    /// path): leave <c>IncludeScopes</c> off, as it is by default.
    /// </summary>
    /// <param name="builder">The logger provider builder.</param>
    /// <returns>The builder.</returns>
    public static LoggerProviderBuilder AddOrderHubInstrumentation(this LoggerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services => First(services, () =>
            services.ConfigureOpenTelemetryLoggerProvider((_, logging) => logging.AddProcessor(new OrderIdRedactingLogProcessor()))));
    }

    // Processors run in the order their registrations were made, and an exporter is a processor: a redaction registered
    // after an exporter added with AddOtlpExporter() would run after that exporter had sent the record (at once with a
    // simple export processor). What the registration adds is moved to the front, so that it runs first.
    private static void First(IServiceCollection services, Action register)
    {
        var before = services.Count;
        register();
        var added = services.Skip(before).ToList();
        for (var i = services.Count - 1; i >= before; i--)
        {
            services.RemoveAt(i);
        }

        for (var i = 0; i < added.Count; i++)
        {
            services.Insert(i, added[i]);
        }
    }
}
