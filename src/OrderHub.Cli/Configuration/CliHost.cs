using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderHub.Cli.Configuration;

/// <summary>The services of one <c>orderhub</c> command: a host built by <c>Host.CreateApplicationBuilder</c> over the library's registrations.</summary>
internal sealed class CliHost : IAsyncDisposable
{
    private readonly IHost _host;

    private CliHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public OrderLookup Lookup => _host.Services.GetRequiredService<OrderLookup>();

    /// <summary>Gets the settings the command's services were built from.</summary>
    public IConfiguration Configuration => _host.Services.GetRequiredService<IConfiguration>();

    /// <summary>Builds the host; nothing is validated or opened until a service is asked for.</summary>
    /// <param name="configFile">The <c>--config</c> file.</param>
    /// <param name="settings">Settings that win over everything.</param>
    /// <param name="services">More registrations (a store, the sync).</param>
    /// <param name="verbose">Whether to log from Information up (<c>--verbose</c>) rather than warnings only.</param>
    public static CliHost Build(string? configFile, IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? services = null, bool verbose = false) =>
        Build(configFile, settings, services is null ? null : (collection, _) => services(collection), verbose);

    /// <summary>Builds the host, with registrations that depend on the settings (the store <c>ORDERHUB_DB</c> names).</summary>
    /// <param name="configFile">The <c>--config</c> file.</param>
    /// <param name="settings">Settings that win over everything.</param>
    /// <param name="services">More registrations, given the settings.</param>
    /// <param name="verbose">Whether to log from Information up (<c>--verbose</c>) rather than warnings only.</param>
    public static CliHost Build(string? configFile, IEnumerable<KeyValuePair<string, string?>>? settings, Action<IServiceCollection, IConfiguration>? services, bool verbose = false)
    {
        Output.PermitWaitNotices.Subscribe();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        CliConfiguration.Apply(builder.Configuration, configFile, settings);
        CliConfiguration.AddServices(builder.Services);
        if (verbose)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        }

        services?.Invoke(builder.Services, builder.Configuration);
        var host = builder.Build();

        // A command does not start the host: the telemetry pipelines are built here so that they see the command's
        // calls, and flushed when the host is disposed.
        _ = host.Services.GetService<OpenTelemetry.Trace.TracerProvider>();
        _ = host.Services.GetService<OpenTelemetry.Metrics.MeterProvider>();
        return new CliHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
