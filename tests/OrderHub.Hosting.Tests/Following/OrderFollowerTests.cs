using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Emulator;
using OrderHub.Emulator.Hosting;
using OrderHub.Hosting;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Hosting.Tests.Following;

/// <summary>A Worker Service written as the README shows: sources, a store from one setting, the follower and health checks, against the emulator.</summary>
public sealed class OrderFollowerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-follower-").FullName;
    private EmulatorHost _emulator = null!;

    private string Database => Path.Combine(_folder, "orders.db");

    public async Task InitializeAsync() =>
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 20, SpSearchOrdersRate = 50, SpSearchOrdersBurst = 50, SpGetOrderRate = 100, SpGetOrderBurst = 100 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private IHost Worker(Dictionary<string, string?> settings, string? refreshToken = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Store:ConnectionString"] = Database,
            ["OrderHub:Follower:InitialLookback"] = "3650.00:00:00",
            ["OrderHub:Follower:PollInterval"] = "00:00:01",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOrderHub().AddSellingPartner("sp-na", o =>
        {
            o.Endpoint = _emulator.BaseAddress;
            o.LwaEndpoint = _emulator.LwaEndpoint;
            o.ClientId = _emulator.SellingPartner.Options.ClientId;
            o.ClientSecret = _emulator.SellingPartner.Options.ClientSecret;
            o.RefreshToken = refreshToken ?? _emulator.SellingPartner.Options.RefreshTokens[0];
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.SearchOrdersPermitsPerSecond = 50;
            o.SearchOrdersBurst = 50;
        }).UseInProcessRateLimits();
        builder.Services.AddOrderHubStore(builder.Configuration);
        builder.Services.AddOrderHubFollower();
        builder.Services.AddHealthChecks().AddOrderHub();
        return builder.Build();
    }

    [Fact]
    public async Task TheFollower_StoresTheSourcesOrders_AndTheHealthChecksSayHealthy()
    {
        using var host = Worker([]);
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IOrderQuery>();
        var follower = host.Services.GetRequiredService<OrderFollower>();

        await Eventually.TrueAsync(async () => (await store.QueryAsync(new OrderQuery { PageSize = 100 })).Items.Count == 20, "the emulator's 20 orders were stored", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => follower.Statuses.Single().State == OrderFollowerState.Following, "the follower reported a poll");

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        report.Status.ShouldBe(HealthStatus.Healthy, string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Description}")));
        report.Entries.Keys.ShouldBe(["orderhub-store", "orderhub-quota-store", "orderhub-sources", "orderhub-follower"], ignoreOrder: true);
        report.Entries["orderhub-sources"].Data["sp-na"].ShouldBe("accepted");
        report.Entries["orderhub-follower"].Data["sp-na"].ShouldBeOfType<double>().ShouldBeLessThan(TimeSpan.FromMinutes(15).TotalSeconds);
        await host.StopAsync();
        follower.Statuses.Single().State.ShouldBe(OrderFollowerState.Stopped);
    }

    [Fact]
    public async Task RefusedCredentials_RestartTheFollowerAfterAWait_AndMakeTheHealthChecksDegraded()
    {
        using var host = Worker(new() { ["OrderHub:Follower:RestartDelay"] = "01:00:00", ["OrderHub:Follower:MaxRestartDelay"] = "01:00:00" }, refreshToken: "Atzr|not-a-seller");
        await host.StartAsync();
        var follower = host.Services.GetRequiredService<OrderFollower>();

        await Eventually.TrueAsync(() => follower.Statuses.Single().State == OrderFollowerState.Restarting, "the follower stopped on the refused credentials", TimeSpan.FromSeconds(30));

        var status = follower.Statuses.Single();
        status.Restarts.ShouldBe(1);
        status.LastError.ShouldNotBeNull().ShouldStartWith(nameof(OrderSourceAuthenticationException));
        status.LastError.ShouldNotContain("not-a-seller");
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        report.Status.ShouldBe(HealthStatus.Degraded);
        report.Entries["orderhub-sources"].Status.ShouldBe(HealthStatus.Degraded);
        report.Entries["orderhub-sources"].Description.ShouldBe("The upstream refused the credentials of sp-na.");
        report.Entries["orderhub-follower"].Description!.ShouldContain("sp-na is restarting after OrderSourceAuthenticationException");
        report.Entries["orderhub-store"].Status.ShouldBe(HealthStatus.Healthy);
        await host.StopAsync();
    }

    [Fact]
    public async Task ASourceNamedThatIsNotConfigured_StopsTheHostAtStart_NamingIt()
    {
        using var host = Worker(new() { ["OrderHub:Follower:Sources:0"] = "sp-eu", ["OrderHub:Follower:MaxLag"] = "00:00:00" });

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync());

        error.Message.ShouldContain("OrderHub:Follower:Sources: 'sp-eu' is not a configured source; configured: sp-na.");
        error.Message.ShouldContain("OrderHub:Follower:MaxLag must be positive");
    }
}
