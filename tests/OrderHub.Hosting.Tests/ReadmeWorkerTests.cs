using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OrderHub.Emulator.Hosting;
using OrderHub.Hosting.Tests.Readme;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Hosting.Tests;

/// <summary>
/// The README's Worker Service, compiled from the README at build time (see the test project), configured only by its
/// command line as a deployment would: the emulator's orders reach the store through the follower, and a webhook
/// receiver through the change log, while the health checks say healthy.
/// </summary>
public sealed class ReadmeWorkerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-readme-worker-").FullName;
    private EmulatorHost _emulator = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 15, SpSearchOrdersRate = 50, SpSearchOrdersBurst = 50 });
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task TheWorkerAsWritten_KeepsTheCopy_TellsTheReceiver_AndIsHealthy()
    {
        string[] args =
        [
            $"--OrderHub:Store:ConnectionString={Path.Combine(_folder, "orders.db")}",
            "--OrderHub:RateLimits:Store=Process",
            "--OrderHub:Sources:sp-na:Provider=SellingPartner",
            "--OrderHub:Sources:sp-na:Region=na",
            $"--OrderHub:Sources:sp-na:Endpoint={_emulator.BaseAddress}",
            $"--OrderHub:Sources:sp-na:LwaEndpoint={_emulator.LwaEndpoint}",
            $"--OrderHub:Sources:sp-na:ClientId={_emulator.SellingPartner.Options.ClientId}",
            $"--OrderHub:Sources:sp-na:ClientSecret={_emulator.SellingPartner.Options.ClientSecret}",
            $"--OrderHub:Sources:sp-na:RefreshToken={_emulator.SellingPartner.Options.RefreshTokens[0]}",
            "--OrderHub:Sources:sp-na:SearchOrdersPermitsPerSecond=50",
            "--OrderHub:Sources:sp-na:SearchOrdersBurst=50",
            "--OrderHub:Follower:InitialLookback=3650.00:00:00",
            "--OrderHub:Follower:PollInterval=00:00:01",
            $"--OrderHub:Webhooks:erp:Url={_receiver.Url}",
            $"--OrderHub:Webhooks:erp:Secret={WebhookReceiver.Secret}",
        ];
        var builder = ReadmeWorker.Create(args);
        builder.Logging.ClearProviders();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var query = host.Services.GetRequiredService<IOrderQuery>();
            await Eventually.TrueAsync(async () => (await query.QueryAsync(new OrderQuery { PageSize = 100 })).Items.Count == 15, "the emulator's orders were stored", TimeSpan.FromSeconds(30));
            await Eventually.TrueAsync(() => _receiver.Accepted.Count == 15, "each stored order reached the receiver", TimeSpan.FromSeconds(30));

            _receiver.Accepted.ShouldAllBe(r => r.Type == "orderhub.order.created" && r.Source == "sp-na" && r.VerificationProblem == null);
            var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            report.Status.ShouldBe(HealthStatus.Healthy, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
