using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Emulator.Hosting;
using OrderHub.SellingPartner;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// The README's configuration of two sellers in two regions and one AWS account, against the emulator (where each
/// seller has its own orders), used from code, from <c>orderhub get</c> and <c>sync</c>, and from <c>orderhub serve</c>.
/// </summary>
public sealed class MultiAccountTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-accounts-").FullName;
    private EmulatorHost _emulator = null!;

    private string ConfigFile => Path.Combine(_folder, "appsettings.json");

    private string EuOrder => _emulator.SellingPartner.OrderIdsOf(0)[0];

    private string NaOrder => _emulator.SellingPartner.OrderIdsOf(1)[0];

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            SpGetOrderRate = 100,
            SpGetOrderBurst = 100,
            SpOrderCount = 20,
            RefreshTokens = ["Atzr|seller-eu", "Atzr|seller-na"],
        });
        JsonObject Seller(string region, string refreshToken) => new()
        {
            ["Provider"] = "SellingPartner",
            ["Region"] = region,
            ["ClientId"] = _emulator.SellingPartner.Options.ClientId,
            ["ClientSecret"] = _emulator.SellingPartner.Options.ClientSecret,
            ["RefreshToken"] = refreshToken,
            ["Endpoint"] = _emulator.BaseAddress.ToString(),
            ["LwaEndpoint"] = _emulator.LwaEndpoint.ToString(),
        };
        var settings = new JsonObject
        {
            ["OrderHub"] = new JsonObject
            {
                ["Sources"] = new JsonObject
                {
                    ["sp-eu"] = Seller("eu", "Atzr|seller-eu"),
                    ["sp-na"] = Seller("na", "Atzr|seller-na"),
                    ["aws-prod"] = new JsonObject
                    {
                        ["Provider"] = "AwsOutposts",
                        ["Region"] = _emulator.Outposts.Options.AwsRegion,
                        ["Endpoint"] = _emulator.BaseAddress.ToString(),
                        ["AccessKeyId"] = _emulator.Outposts.Options.AwsAccessKeyId,
                        ["SecretAccessKey"] = _emulator.Outposts.Options.AwsSecretAccessKey,
                    },
                },
            },
        };
        await File.WriteAllTextAsync(ConfigFile, settings.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task FromCode_EverySourceOfTheConfiguration_IsInTheLookup_AndAnIdFindsItsSeller()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddJsonFile(ConfigFile).Build());
        services.AddOrderHub().AddSellingPartnerSources().AddAwsOutpostsSources();
        await using var provider = services.BuildServiceProvider();
        var lookup = provider.GetRequiredService<OrderLookup>();

        lookup.Sources.Select(s => s.Name).ShouldBe(["sp-eu", "sp-na", "aws-prod"]);
        (await lookup.GetOrderAsync(EuOrder)).Source.ShouldBe("sp-eu");
        (await lookup.GetOrderAsync(NaOrder)).Source.ShouldBe("sp-na");
        (await lookup.GetOrderAsync(_emulator.Outposts.OrderIds[0])).Source.ShouldBe("aws-prod");
        var eu = (SellingPartnerOrderSource)lookup.GetSource("sp-eu");
        var na = (SellingPartnerOrderSource)lookup.GetSource("sp-na");
        eu.GetOrderRateLimit.ShouldNotBeSameAs(na.GetOrderRateLimit, "each seller has its own quota");
    }

    [Fact]
    public async Task FromCode_NamedRegistrations_AreKeyedServices_AndNamesMustDiffer()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddJsonFile(ConfigFile).Build());
        var builder = services.AddOrderHub().AddSellingPartner("sp-eu").AddSellingPartner("sp-na", o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(5));
        Should.Throw<ArgumentException>(() => builder.AddSellingPartner("sp-na")).Message.ShouldContain("'sp-na' is already registered");
        await using var provider = services.BuildServiceProvider();

        var na = provider.GetRequiredKeyedService<SellingPartnerOrderSource>("sp-na");

        (await na.GetOrderAsync(NaOrder)).Source.ShouldBe("sp-na");
        provider.GetRequiredKeyedService<SellingPartnerOrderSource>("sp-eu").Name.ShouldBe("sp-eu");
        await Should.ThrowAsync<OrderNotFoundException>(() => na.GetOrderAsync(EuOrder));
    }

    [Fact]
    public async Task FromTheCli_GetFindsEachSellersOrder_AndSyncStoresThemUnderTheirSources()
    {
        var na = await CliProcess.RunAsync(null, "get", NaOrder, "--config", ConfigFile, "--json");
        var outposts = await CliProcess.RunAsync(null, "get", _emulator.Outposts.OrderIds[1], "--config", ConfigFile, "--json");
        var euIds = Path.Combine(_folder, "eu.txt");
        await File.WriteAllLinesAsync(euIds, _emulator.SellingPartner.OrderIdsOf(0).Take(3));
        var db = Path.Combine(_folder, "orders.db");
        var sync = await CliProcess.RunAsync(null, "sync", "--ids", euIds, "--source", "sp-eu", "--config", ConfigFile, "--db", db, "--json");

        na.ExitCode.ShouldBe(0, na.Error);
        JsonDocument.Parse(na.Out).RootElement.GetProperty("source").GetString().ShouldBe("sp-na");
        outposts.ExitCode.ShouldBe(0, outposts.Error);
        JsonDocument.Parse(outposts.Out).RootElement.GetProperty("source").GetString().ShouldBe("aws-prod");
        sync.ExitCode.ShouldBe(0, sync.Error);
        JsonDocument.Parse(sync.Out).RootElement.GetProperty("inserted").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task FromTheCli_AnIdTwoSellersRecognize_WithoutSource_IsSkippedBySync_NamingThem()
    {
        var ids = Path.Combine(_folder, "ids.txt");
        await File.WriteAllLinesAsync(ids, [EuOrder]);

        var result = await CliProcess.RunAsync(null, "sync", "--ids", ids, "--config", ConfigFile, "--db", Path.Combine(_folder, "never.db"));

        result.ExitCode.ShouldBe(2, result.Error);
        result.Error.ShouldContain("sp-eu, sp-na");
    }

    [Fact]
    public async Task FromServe_EachSellersOrder_IsServedFromItsSource()
    {
        var port = OrderHub.Testing.LoopbackPorts.Free();
        var info = CliProcess.StartInfo(null, ["serve", "--config", ConfigFile, "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(_folder, "api.db")]);
        info.Environment["ORDERHUB_API_KEYS"] = "reader";
        using var process = System.Diagnostics.Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            http.DefaultRequestHeaders.Add("X-Api-Key", "reader");
            await CliProcess.WaitUntilServingAsync(http, process);

            var na = await http.GetAsync($"orders/{NaOrder}");
            var eu = await http.GetAsync($"orders/sp-eu/{EuOrder}");

            na.StatusCode.ShouldBe(HttpStatusCode.OK);
            JsonDocument.Parse(await na.Content.ReadAsStringAsync()).RootElement.GetProperty("source").GetString().ShouldBe("sp-na");
            JsonDocument.Parse(await eu.Content.ReadAsStringAsync()).RootElement.GetProperty("source").GetString().ShouldBe("sp-eu");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}

/// <summary>Configuration mistakes end with exit code 2 and a message naming the source, the setting and what is accepted.</summary>
public sealed class CliConfigurationErrorTests
{
    [Theory]
    [InlineData("""{ "OrderHub": { "Sources": { "sp-eu": { "Provider": "SellingPartner", "Region": "mars", "ClientId": "a", "ClientSecret": "b", "RefreshToken": "c" } } } }""", "na, eu or fe")]
    [InlineData("""{ "OrderHub": { "Sources": { "sp-eu": { "Provider": "SellingPartner", "ClientId": "a" } } } }""", "The ClientSecret field is required")]
    [InlineData("""{ "OrderHub": """, "appsettings.json")]
    public async Task Get_WithABadConfigFile_IsAUsageErrorSayingWhatToFix(string settings, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-config-").FullName;
        try
        {
            var file = Path.Combine(folder, "appsettings.json");
            await File.WriteAllTextAsync(file, settings);

            var result = await CliProcess.RunAsync(null, "get", "902-3159896-1390916", "--config", file);

            result.ExitCode.ShouldBe(2, result.Error);
            result.Error.ShouldContain(expected);
            result.Error.ShouldNotContain("   at ");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
