using System.Text.Json;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>The CLI's commands, exit codes and JSON output, as a user runs them.</summary>
public sealed class CliCommandTests : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-cli-").FullName;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 20 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Get_Json_WritesTheUnifiedOrderWithStableNames()
    {
        var id = _emulator.SellingPartner.OrderIds[0];

        var result = await CliProcess.RunAsync(_emulator, "get", id, "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        root.GetProperty("source").GetString().ShouldBe("sp-api");
        root.GetProperty("orderId").GetString().ShouldBe(id);
        root.GetProperty("status").GetProperty("value").GetString().ShouldBe("Pending");
        root.GetProperty("status").GetProperty("raw").GetString().ShouldBe("PENDING", "new sources read through Orders API 2026-01-01");
        root.GetProperty("total").GetProperty("amount").ValueKind.ShouldBe(JsonValueKind.String);
        root.GetProperty("createdAt").GetString().ShouldEndWith("Z");
        root.GetProperty("providerDetails").GetProperty("isPrime").ValueKind.ShouldBe(JsonValueKind.False);
        root.TryGetProperty("rawPayload", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Get_PersonalData_AddsTheBuyerAndTheAddress_OnlyWhenAskedFor()
    {
        // An order whose status releases personal data, with the buyer and address as the emulator holds them.
        var (id, payload) = _emulator.SellingPartner.OrderIds
            .Select(i => (Id: i, Payload: _emulator.SellingPartner.GetOrderPayload(i, includePersonalData: true)!))
            .First(o => o.Payload["BuyerInfo"]?["BuyerEmail"] is not null);
        var email = payload["BuyerInfo"]!["BuyerEmail"]!.GetValue<string>();
        var city = payload["ShippingAddress"]!["City"]!.GetValue<string>();

        var asked = await CliProcess.RunAsync(_emulator, "get", id, "--personal-data", "--json");
        var table = await CliProcess.RunAsync(_emulator, "get", id, "--personal-data");
        var plain = await CliProcess.RunAsync(_emulator, "get", id, "--json");

        asked.ExitCode.ShouldBe(0, asked.Error);
        var root = JsonDocument.Parse(asked.Out).RootElement;
        root.GetProperty("providerDetails").GetProperty("buyer").GetProperty("email").GetString().ShouldBe(email);
        root.GetProperty("shipping").GetProperty("address").GetProperty("city").GetString().ShouldBe(city);
        table.ExitCode.ShouldBe(0, table.Error);
        table.Out.ShouldContain("Ship to");
        table.Out.ShouldContain(city);
        table.Out.ShouldContain(email);
        asked.Error.ShouldNotContain(email, customMessage: "personal data goes to standard output only");
        plain.ExitCode.ShouldBe(0, plain.Error);
        plain.Out.ShouldNotContain(email);
        plain.Out.ShouldNotContain("\"buyer\"");
    }

    [Fact]
    public async Task Get_ThroughOrdersApi20260101_WritesTheSameOrderWithItsLines()
    {
        var id = _emulator.SellingPartner.OrderIds[0];

        var result = await CliProcess.RunAsync(_emulator, new Dictionary<string, string> { ["ORDERHUB_SP_ORDERS_API"] = "2026-01-01" }, "get", id, "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        root.GetProperty("orderId").GetString().ShouldBe(id);
        root.GetProperty("status").GetProperty("value").GetString().ShouldBe("Pending");
        root.GetProperty("status").GetProperty("raw").GetString().ShouldBe("PENDING");
        root.GetProperty("lines").GetArrayLength().ShouldBe(2);
        root.GetProperty("providerDetails").GetProperty("apiVersion").GetString().ShouldBe("2026-01-01");
    }

    [Fact]
    public async Task Get_ThroughTheDeprecatedOrdersApiV0_WarnsOnStandardError_KeepingTheOutputClean()
    {
        var result = await CliProcess.RunAsync(_emulator, new Dictionary<string, string> { ["ORDERHUB_SP_ORDERS_API"] = "v0" }, "get", _emulator.SellingPartner.OrderIds[0], "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Error.ShouldContain("deprecated");
        result.Error.ShouldContain("27 March 2027");
        JsonDocument.Parse(result.Out).RootElement.GetProperty("status").GetProperty("raw").GetString().ShouldBe("Pending");
    }

    [Fact]
    public async Task Get_UnknownOrdersApiVersion_ExitsWithUsage_NamingTheVersions()
    {
        var result = await CliProcess.RunAsync(_emulator, new Dictionary<string, string> { ["ORDERHUB_SP_ORDERS_API"] = "v1" }, "get", _emulator.SellingPartner.OrderIds[0]);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("v0, 2026-01-01");
        _emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Get_OutpostsOrder_IsRecognizedFromItsId_AndShownAsATable()
    {
        var id = _emulator.Outposts.OrderIds[0];

        var result = await CliProcess.RunAsync(_emulator, "get", id);

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain(id);
        result.Out.ShouldContain("outposts");
    }

    [Fact]
    public async Task Get_InvalidId_ExitsWithUsage_NamingTheFormats_WithoutARequest()
    {
        var result = await CliProcess.RunAsync(_emulator, "get", "12345");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("3-7-7 digits");
        result.Error.ShouldContain("'oo-' and 17 lowercase hex digits");
        _emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Get_Missing_ExitsWithNotFound_AndTheRequestId()
    {
        var result = await CliProcess.RunAsync(_emulator, "get", "999-9999999-9999999");

        result.ExitCode.ShouldBe(3);
        result.Error.ShouldContain("request id");
    }

    [Fact]
    public async Task Get_UnconfiguredSource_ExitsWithUsage_NamingTheSettings()
    {
        var result = await CliProcess.RunAsync(null, "get", "902-3159896-1390916");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("ORDERHUB_LWA_REFRESH_TOKEN");
        result.Error.ShouldContain("no Amazon Selling Partner source is configured");
        result.Error.ShouldNotContain("AddSellingPartner", Case.Sensitive, "the CLI's settings, not the library's registrations");
    }

    [Fact]
    public async Task Sync_IdOfAnUnconfiguredMarketplace_IsSkipped_NamingTheSettings()
    {
        var ids = Path.Combine(_folder, "mixed.txt");
        await File.WriteAllLinesAsync(ids, [_emulator.Outposts.OrderIds[0], "902-3159896-1390916"]);

        var result = await CliProcess.RunAsync(_emulator, new Dictionary<string, string> { ["ORDERHUB_LWA_CLIENT_ID"] = string.Empty, ["ORDERHUB_LWA_CLIENT_SECRET"] = string.Empty, ["ORDERHUB_LWA_REFRESH_TOKEN"] = string.Empty, ["ORDERHUB_SP_ENDPOINT"] = string.Empty, ["ORDERHUB_LWA_ENDPOINT"] = string.Empty }, "sync", "--ids", ids, "--db", Path.Combine(_folder, "mixed.db"), "--json");

        result.ExitCode.ShouldBe(9, result.Error);
        result.Error.ShouldContain("skipped: ");
        result.Error.ShouldContain("ORDERHUB_LWA_REFRESH_TOKEN");
        JsonDocument.Parse(result.Out).RootElement.GetProperty("skipped").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task List_Json_WritesOneSummaryPerLine()
    {
        var result = await CliProcess.RunAsync(_emulator, "list", "--source", "outposts", "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(_emulator.Outposts.OrderIds.Count);
        JsonDocument.Parse(lines[0]).RootElement.GetProperty("lineCountsByStatus").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task Create_WithoutYes_AndNoTerminal_IsDeclined_AndBuysNothing()
    {
        var result = await CliProcess.RunAsync(_emulator, "create", "--outpost", _emulator.Outposts.OutpostIds[0], "--item", "OR-ABC1234=1", "--payment-option", "NO_UPFRONT");

        result.ExitCode.ShouldBe(8);
        _emulator.Outposts.CreateRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Create_ThenCancelTwice_ExitCodesTellWhatHappened()
    {
        var created = await CliProcess.RunAsync(_emulator, "create", "--outpost", _emulator.Outposts.OutpostIds[0], "--item", "OR-ABC1234=2", "--item", "OR-XYZ9876=1", "--payment-option", "ALL_UPFRONT", "--payment-term", "THREE_YEARS", "--yes", "--json");
        created.ExitCode.ShouldBe(0, created.Error);
        var id = JsonDocument.Parse(created.Out).RootElement.GetProperty("orderId").GetString()!;

        (await CliProcess.RunAsync(_emulator, "cancel", id, "--yes")).ExitCode.ShouldBe(0);
        var again = await CliProcess.RunAsync(_emulator, "cancel", id, "--yes");

        again.ExitCode.ShouldBe(7);
        again.Error.ShouldContain("CANCELLED");
    }

    [Theory]
    [InlineData("create", "--outpost", "op-0123456789abcdef0", "--item", "OR-ABC1234", "--payment-option", "NO_UPFRONT", "--yes")]
    [InlineData("create", "--outpost", "op-0123456789abcdef0", "--item", "XX=1", "--payment-option", "NO_UPFRONT", "--yes")]
    [InlineData("create", "--outpost", "op-0123456789abcdef0", "--item", "OR-ABC1234=1", "--payment-option", "SOMETIMES", "--yes")]
    [InlineData("sync")]
    [InlineData("list", "--source", "sp-api")]
    [InlineData("frobnicate")]
    public async Task BadArguments_ExitWithUsage_AndSayWhatWasExpected(params string[] args)
    {
        var result = await CliProcess.RunAsync(_emulator, args);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldNotBeNullOrWhiteSpace();
        _emulator.Outposts.CreateRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Sync_IdsFile_StoresThem_AndRunningItAgainResumesWithNothingToDo()
    {
        var ids = Path.Combine(_folder, "ids.txt");
        await File.WriteAllLinesAsync(ids, ["# a comment", .. _emulator.SellingPartner.OrderIds.Take(15), _emulator.Outposts.OrderIds[0], "not-an-id"]);
        var db = Path.Combine(_folder, "sync.db");

        var first = await CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", db, "--json");
        var second = await CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", db, "--json");

        first.ExitCode.ShouldBe(9, "one line was not an order id");
        var summary = JsonDocument.Parse(first.Out).RootElement;
        summary.GetProperty("inserted").GetInt32().ShouldBe(16);
        summary.GetProperty("skipped").GetInt32().ShouldBe(1);
        JsonDocument.Parse(second.Out).RootElement.GetProperty("alreadyDone").GetInt32().ShouldBe(16);
        JsonDocument.Parse(second.Out).RootElement.GetProperty("inserted").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Sync_AllOutposts_StoresEveryListedOrder()
    {
        var db = Path.Combine(_folder, "all.db");

        var result = await CliProcess.RunAsync(_emulator, "sync", "--source", "outposts", "--all", "--db", db, "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        JsonDocument.Parse(result.Out).RootElement.GetProperty("inserted").GetInt32().ShouldBe(_emulator.Outposts.OrderIds.Count);
    }

    [Theory]
    [InlineData("emulator")]
    [InlineData("serve")]
    public async Task ABusyPort_IsOneLine_AndExitCode2(string command)
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("orderhub-busy-port-").FullName;
        try
        {
            string[] args = command == "serve"
                ? [command, "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(folder, "busy.db")]
                : [command, "--urls", $"http://127.0.0.1:{port}"];
            var result = await CliProcess.RunAsync(null, new Dictionary<string, string> { ["ORDERHUB_API_KEYS"] = "k" }, args);

            result.ExitCode.ShouldBe(2, result.Error);
            var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.ShouldHaveSingleItem().ShouldContain($"127.0.0.1:{port}");
            lines[0].ShouldContain("Choose another address with --urls.");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_SyncsBothSources_AndEndsWithTheNextSteps()
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-demo-").FullName;
        try
        {
            var db = Path.Combine(folder, "demo.db");

            var result = await CliProcess.RunAsync(null, "demo", "--db", db, "--sp-orders", "3");

            result.ExitCode.ShouldBe(0, result.Error);
            result.Out.ShouldContain("Done in ");
            result.Out.ShouldContain($"orderhub orders --db {db} --status Shipped");
            result.Out.ShouldContain($"orderhub changes --db {db} --json");
            (await CliProcess.CountAsync(db, "SELECT COUNT(*) FROM orders WHERE source = 'sp-api'")).ShouldBe(3);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
