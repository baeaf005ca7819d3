using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Emulator.Hosting;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// Every part of OrderHub (both providers, the sync) composed in one process, as the programs compose them, reports into
/// one activity source and one meter named <c>OrderHub</c>, with one instrument per name: a subscriber sees one metric
/// stream per instrument, whatever assemblies are loaded.
/// </summary>
public sealed class TelemetryIdentityTests
{
    [Fact]
    public async Task BothProvidersAndTheSync_ReportIntoOneSourceAndOneMeter_WithOneInstrumentPerName()
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-telemetry-").FullName;
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 4 });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:RateLimits:Store"] = "Process",
            ["OrderHub:Sources:sp:Provider"] = "SellingPartner",
            ["OrderHub:Sources:sp:ClientId"] = emulator.SellingPartner.Options.ClientId,
            ["OrderHub:Sources:sp:ClientSecret"] = emulator.SellingPartner.Options.ClientSecret,
            ["OrderHub:Sources:sp:RefreshToken"] = emulator.SellingPartner.Options.RefreshTokens[0],
            ["OrderHub:Sources:sp:Endpoint"] = emulator.BaseAddress.ToString(),
            ["OrderHub:Sources:sp:LwaEndpoint"] = emulator.LwaEndpoint.ToString(),
            ["OrderHub:Sources:aws:Provider"] = "AwsOutposts",
            ["OrderHub:Sources:aws:Region"] = emulator.Outposts.Options.AwsRegion,
            ["OrderHub:Sources:aws:Endpoint"] = emulator.BaseAddress.ToString(),
            ["OrderHub:Sources:aws:AccessKeyId"] = emulator.Outposts.Options.AwsAccessKeyId,
            ["OrderHub:Sources:aws:SecretAccessKey"] = emulator.Outposts.Options.AwsSecretAccessKey,
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOrderHub().AddSellingPartnerSources().AddAwsOutpostsSources();
        services.AddSqliteOrderStore(Path.Combine(folder, "orders.db")).AddOrderHubSync();
        try
        {
            await using (var provider = services.BuildServiceProvider())
            {
                var lookup = provider.GetRequiredService<OrderLookup>();
                await lookup.GetOrderAsync("aws", emulator.Outposts.OrderIds[0]);
                var sync = provider.GetRequiredService<OrderSync>();
                await sync.AddReferencesAsync("run", emulator.SellingPartner.OrderIds.Take(2).Select(id => new OrderReference("sp", id)));
                (await sync.RunAsync("run")).Inserted.ShouldBe(2);

                var instruments = new ConcurrentQueue<Instrument>();
                using (var meters = new MeterListener())
                {
                    meters.InstrumentPublished = (instrument, _) =>
                    {
                        if (instrument.Meter.Name == "OrderHub")
                        {
                            instruments.Enqueue(instrument);
                        }
                    };
                    meters.Start(); // publishes every instrument that exists now
                }

                var sources = new ConcurrentQueue<ActivitySource>();
                using (var listener = new ActivityListener { ShouldListenTo = s => { if (s.Name == "OrderHub") { sources.Enqueue(s); } return false; } })
                {
                    ActivitySource.AddActivityListener(listener);
                }

                instruments.Select(i => i.Name).ShouldContain("orderhub.upstream.requests");
                instruments.Select(i => i.Name).ShouldContain("orderhub.sync.orders");
                instruments.Select(i => i.Meter).Distinct().Count().ShouldBe(1, "one meter, in the core, whatever assemblies report into it");
                instruments.GroupBy(i => i.Name).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty("one instrument per name");
                sources.Distinct().Count().ShouldBe(1, "one activity source");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
