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
using OrderHub.Emulator.Sqs;
using OrderHub.Emulator.Sts;

namespace OrderHub.Emulator.Hosting;

/// <summary>A running emulator: its address and its state, for tests, the demo and the CLI.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ITimer? _changes;

    private EmulatorHost(WebApplication app, Uri baseAddress, SpEmulatorState sellingPartner, OutpostsEmulatorState outposts, StsEmulatorState sts, SqsEmulatorState sqs, ITimer? changes)
    {
        _app = app;
        BaseAddress = baseAddress;
        SellingPartner = sellingPartner;
        Outposts = outposts;
        Sts = sts;
        Sqs = sqs;
        _changes = changes;
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

    /// <summary>Gets Amazon SQS's endpoint on this emulator (AWS JSON 1.0 on any path), for <c>AWS_ENDPOINT_URL_SQS</c> or an SQS client's <c>ServiceURL</c>.</summary>
    public Uri SqsEndpoint => BaseAddress;

    /// <summary>Gets the SQS state: the queues that <c>ORDER_CHANGE</c> notifications are delivered to.</summary>
    public SqsEmulatorState Sqs { get; }

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
        var sts = new StsEmulatorState(options);

        // SQS answers by its X-Amz-Target header on any path, ahead of the routes (STS shares POST /).
        var sqs = new SqsEmulatorState(options, sts);
        SqsEndpoints.Map(app, sqs);
        var sellingPartner = new SpEmulatorState(options);
        sellingPartner.Notifications.Attach(sqs);
        SpEndpoints.Map(app, sellingPartner);
        StsEndpoints.Map(app, sts);
        var outposts = new OutpostsEmulatorState(options, sts);
        OutpostsEndpoints.Map(app, outposts);
        app.MapGet("/_emulator/sp-order-ids", () => Results.Text(string.Join('\n', sellingPartner.Catalog.OrderIds)));
        app.MapGet("/_emulator/sp-changes", () => Results.Text(string.Concat(sellingPartner.Notifications.Changes.Select(c => FormattableString.Invariant($"{c.AppliedAt:O}\t{c.OrderId}\t{c.LastUpdate:O}\n")))));
        app.MapPost("/_emulator/sqs-outage", (bool on) =>
        {
            sqs.Unavailable = on;
            return Results.Text(on ? "SQS is out of service\n" : "SQS is back\n");
        });
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
            ["spReportsCreated"] = sellingPartner.ReportsCreated,
            ["spReportsFatal"] = sellingPartner.ReportsFatal,
            ["spReportDocumentDownloads"] = sellingPartner.ReportDocumentDownloads,
            ["spReportDocumentDownloadsRefused"] = sellingPartner.ReportDocumentDownloadsRefused,
            ["spReportDocumentDownloadsWithAccessToken"] = sellingPartner.ReportDocumentDownloadsWithAccessToken,
            ["outpostsRequests"] = outposts.Requests,
            ["outpostsFaultsInjected"] = outposts.Faults.Injected,
            ["stsRequests"] = sts.Requests,
            ["stsCredentialsIssued"] = sts.IssuedAccessKeyIds.Count,
            ["sqsRequests"] = sqs.Requests,
            ["spNotificationRequests"] = sellingPartner.Notifications.Requests,
            ["spNotificationsPublished"] = sellingPartner.Notifications.Published,
        }));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

        // The orders change on the emulator's clock whether or not a request arrives, so their notifications go out on time.
        return new EmulatorHost(app, new Uri(address.TrimEnd('/') + "/"), sellingPartner, outposts, sts, sqs, sellingPartner.StartChanging());
    }

    /// <summary>Waits until the emulator is stopped.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes at shutdown.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _changes?.Dispose();
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
