using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shouldly;
using Xunit;

namespace OrderHub.Hosting.Tests.Health;

/// <summary><c>orderhub-quota-store</c>: the store the rate limits are shared through answers, or the report says it does not.</summary>
public sealed class QuotaStoreHealthCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-quota-health-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<HealthReportEntry> CheckAsync(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOrderHubRateLimits();
        services.AddSingleton(new OrderLookup([]));
        services.AddHealthChecks().AddOrderHub();
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "orderhub-quota-store");
        return report.Entries["orderhub-quota-store"];
    }

    [Fact]
    public async Task AUsableRateLimitFile_IsHealthy_AndNamed()
    {
        var file = Path.Combine(_folder, "rate-limits.db");

        var entry = await CheckAsync(new() { ["OrderHub:RateLimits:File"] = file });

        entry.Status.ShouldBe(HealthStatus.Healthy, entry.Description);
        entry.Data["store"].ShouldBe($"the rate-limit file {file}");
    }

    [Fact]
    public async Task ARateLimitFileThatCannotBeOpened_IsDegraded_SayingWhatItIsAndWhatCallsDo()
    {
        // A directory where the file should be: the store cannot open it.
        var file = Directory.CreateDirectory(Path.Combine(_folder, "not-a-file")).FullName;

        var entry = await CheckAsync(new() { ["OrderHub:RateLimits:File"] = file });

        entry.Status.ShouldBe(HealthStatus.Degraded);
        entry.Description.ShouldNotBeNull().ShouldStartWith($"The quota store (the rate-limit file {file}) cannot be used: ");
        entry.Description.ShouldContain("OutageTolerance");
    }

    [Fact]
    public async Task RateLimitsKeptInThisProcess_HaveNothingToReach()
    {
        var entry = await CheckAsync(new() { ["OrderHub:RateLimits:Store"] = "Process" });

        entry.Status.ShouldBe(HealthStatus.Healthy);
        entry.Description.ShouldNotBeNull().ShouldContain("this process");
    }
}
