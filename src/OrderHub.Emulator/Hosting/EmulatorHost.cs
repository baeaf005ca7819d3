using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Emulator.Outposts;
using OrderHub.Emulator.SellingPartner;
using OrderHub.Emulator.Sts;

namespace OrderHub.Emulator.Hosting;

/// <summary>A running emulator: its address and its state, for tests, the demo and the CLI.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseAddress, SpEmulatorState sellingPartner, OutpostsEmulatorState outposts, StsEmulatorState sts)
    {
        _app = app;
        BaseAddress = baseAddress;
        SellingPartner = sellingPartner;
        Outposts = outposts;
        Sts = sts;
    }

    /// <summary>Gets the address the emulator listens on, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets Login with Amazon's token endpoint on this emulator.</summary>
    public Uri LwaEndpoint => new(BaseAddress, "auth/o2/token");

    /// <summary>Gets the Selling Partner half's state.</summary>
    public SpEmulatorState SellingPartner { get; }

    /// <summary>Gets the Outposts half's state.</summary>
    public OutpostsEmulatorState Outposts { get; }

    /// <summary>Gets AWS STS's endpoint on this emulator (<c>POST /</c>), for <c>AWS_ENDPOINT_URL_STS</c>.</summary>
    public Uri StsEndpoint => BaseAddress;

    /// <summary>Gets the STS state: the temporary credentials it issued, which the Outposts endpoints accept.</summary>
    public StsEmulatorState Sts { get; }

    /// <summary>Starts an emulator.</summary>
    /// <param name="options">Its behaviour; <see langword="null"/> for the defaults.</param>
    /// <param name="url">Where to listen. The default is a free port on 127.0.0.1.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator.</returns>
    public static async Task<EmulatorHost> StartAsync(EmulatorOptions? options = null, string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls(url);

        // Embedded in another program (a test, orderhub demo), the emulator leaves Ctrl+C and SIGTERM to that program:
        // the default console lifetime would take them over and stop the emulator under it.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        var app = builder.Build();
        var sellingPartner = new SpEmulatorState(options);
        SpEndpoints.Map(app, sellingPartner);
        var sts = new StsEmulatorState(options);
        StsEndpoints.Map(app, sts);
        var outposts = new OutpostsEmulatorState(options, sts);
        OutpostsEndpoints.Map(app, outposts);
        app.MapGet("/_emulator/sp-order-ids", () => Results.Text(string.Join('\n', sellingPartner.Catalog.OrderIds)));
        app.MapGet("/_emulator/stats", () => Results.Json(new Dictionary<string, double>
        {
            ["spAdmittedGetOrderSeconds"] = sellingPartner.AdmittedGetOrderSpan.TotalSeconds,
            ["spTokenRequests"] = sellingPartner.TokenRequests,
            ["spGetOrderRequests"] = sellingPartner.GetOrderRequests,
            ["spThrottled"] = sellingPartner.Throttled,
            ["spPageRequests"] = sellingPartner.PageRequests,
            ["spPagesAdmitted"] = sellingPartner.PagesAdmitted,
            ["spFaultsInjected"] = sellingPartner.Faults.Injected,
            ["spReportRequests"] = sellingPartner.ReportRequests,
            ["spReportDocumentDownloads"] = sellingPartner.ReportDocumentDownloads,
            ["spReportDocumentDownloadsRefused"] = sellingPartner.ReportDocumentDownloadsRefused,
            ["spReportDocumentDownloadsWithAccessToken"] = sellingPartner.ReportDocumentDownloadsWithAccessToken,
            ["outpostsRequests"] = outposts.Requests,
            ["outpostsFaultsInjected"] = outposts.Faults.Injected,
            ["stsRequests"] = sts.Requests,
            ["stsCredentialsIssued"] = sts.IssuedAccessKeyIds.Count,
        }));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new EmulatorHost(app, new Uri(address.TrimEnd('/') + "/"), sellingPartner, outposts, sts);
    }

    /// <summary>Waits until the emulator is stopped.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes at shutdown.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A host lifetime that registers no signal handler: whoever embeds the emulator stops it.</summary>
    private sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
