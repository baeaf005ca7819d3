using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>Databases the CLI cannot use end with exit code 10 and one line saying which file and why; never a stack trace.</summary>
public sealed class CliDatabaseErrorTests : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-cli-db-").FullName;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 5 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string IdsFile()
    {
        var path = Path.Combine(_folder, "ids.txt");
        File.WriteAllLines(path, _emulator.SellingPartner.OrderIds.Take(3));
        return path;
    }

    private static void ShouldBeAClearStoreError(CliProcess.Result result, string path, string cause)
    {
        result.ExitCode.ShouldBe(10, result.Error);
        result.Error.ShouldContain(path);
        result.Error.ShouldContain(cause);
        result.Error.ShouldNotContain("Unhandled exception");
        result.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task SyncsStartedTogether_OnADatabaseNotYetMade_AllOpenIt()
    {
        // Processes that start together on a new path each create the schema or find it made: the migrations take turns
        // inside write transactions. Before that, about one pair in three failed with 'table orders already exists'.
        var ids = IdsFile();
        for (var round = 0; round < 3; round++)
        {
            var path = Path.Combine(_folder, $"together-{round}.db");

            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", path)));

            foreach (var result in results)
            {
                result.ExitCode.ShouldBe(0, result.Error);
            }
        }
    }

    [Fact]
    public async Task Sync_IntoAFolder_SaysToGiveAFile()
    {
        var result = await CliProcess.RunAsync(_emulator, "sync", "--ids", IdsFile(), "--db", _folder);

        ShouldBeAClearStoreError(result, _folder, "is a folder");
    }

    [Fact]
    public async Task Sync_IntoACorruptFile_SaysItIsCorrupt()
    {
        var path = Path.Combine(_folder, "corrupt.db");
        await File.WriteAllBytesAsync(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(4096));

        var result = await CliProcess.RunAsync(_emulator, "sync", "--ids", IdsFile(), "--db", path);

        ShouldBeAClearStoreError(result, path, "corrupt");
    }

    [Fact]
    public async Task Sync_IntoAnotherApplicationsDatabase_RefusesItUntouched()
    {
        var path = Path.Combine(_folder, "other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY)";
            command.ExecuteNonQuery();
        }

        var before = await File.ReadAllBytesAsync(path);

        var result = await CliProcess.RunAsync(_emulator, "sync", "--ids", IdsFile(), "--db", path);

        ShouldBeAClearStoreError(result, path, "did not create");
        (await File.ReadAllBytesAsync(path)).ShouldBe(before);
    }

    [Fact]
    public async Task Serve_OnAnUnusableDatabase_ExitsWithTheStoreError()
    {
        var result = await CliProcess.RunAsync(_emulator, new Dictionary<string, string> { ["ORDERHUB_API_KEYS"] = "k" }, "serve", "--urls", "http://127.0.0.1:0", "--db", _folder);

        ShouldBeAClearStoreError(result, _folder, "is a folder");
    }

    [Fact]
    public async Task Sync_ThatFailsBeforeStoringAnything_LeavesNoDatabaseBehind()
    {
        var path = Path.Combine(_folder, "never.db");
        var ids = Path.Combine(_folder, "bad-ids.txt");
        await File.WriteAllLinesAsync(ids, ["not-an-id", "٩٠٢-٣١٥٩٨٩٦-١٣٩٠٩١٦"]);

        var result = await CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", path);

        result.ExitCode.ShouldBe(2, result.Error);
        result.Error.ShouldContain("3-7-7 digits");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task Get_IdWithNonAsciiDigits_IsAUsageErrorAndSendsNothing()
    {
        var result = await CliProcess.RunAsync(_emulator, "get", "９０２-３１５９８９６-１３９０９１６");

        result.ExitCode.ShouldBe(2, result.Error);
        result.Error.ShouldContain("3-7-7 digits");
        _emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }
}

/// <summary>A call to an upstream that never answers says what it waits for.</summary>
public sealed class CliWaitingTests
{
    [Fact]
    public async Task Get_AgainstAnEndpointThatNeverAnswers_SaysWhatItIsWaitingFor()
    {
        var line = await WaitingLineAsync(new Dictionary<string, string>());

        line.ShouldContain("sp-api");
        line.ShouldContain("gives up after 60 s");
    }

    [Fact]
    public async Task Get_AgainstAnEndpointThatNeverAnswers_NamesTheConfiguredCallBudget()
    {
        var line = await WaitingLineAsync(new Dictionary<string, string> { ["OrderHub__Sources__sp-api__CallTimeout"] = "00:00:45" });

        line.ShouldContain("gives up after 45 s");
    }

    private static async Task<string> WaitingLineAsync(IReadOnlyDictionary<string, string> environment)
    {
        await using var hung = await OrderHub.Testing.LoopbackServer.StartNeverAnsweringAsync();
        var info = CliProcess.StartInfo(null, ["get", "902-3159896-1390916"]);
        info.Environment["ORDERHUB_SP_ENDPOINT"] = hung.BaseAddress.AbsoluteUri;
        info.Environment["ORDERHUB_LWA_ENDPOINT"] = new Uri(hung.BaseAddress, "auth/o2/token").AbsoluteUri;
        info.Environment["ORDERHUB_LWA_CLIENT_ID"] = "client";
        info.Environment["ORDERHUB_LWA_CLIENT_SECRET"] = "secret";
        info.Environment["ORDERHUB_LWA_REFRESH_TOKEN"] = "Atzr|refresh";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a safety net, not an assertion
            string? line;
            do
            {
                line = await process.StandardError.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.StartsWith("waiting for", StringComparison.Ordinal));

            line.ShouldNotBeNull();
            return line;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}

/// <summary>Output fit for people and for pipes.</summary>
[Collection(InterruptCollection.Name)]
public sealed class CliOutputTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-cli-out-").FullName;
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 10 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Tables_WrittenToAPipe_HaveNoColourCodes_AndKeepIdsWhole()
    {
        var info = CliProcess.StartInfo(_emulator, ["list", "--source", "outposts"]);
        info.Environment.Remove("NO_COLOR");
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.ShouldBe(0);
        output.ShouldNotContain("\u001b[");
        foreach (var id in _emulator.Outposts.OrderIds)
        {
            output.ShouldContain(id);
        }
    }

    [Fact]
    public async Task List_Csv_WritesAHeaderAndOneLinePerOrder()
    {
        var result = await CliProcess.RunAsync(_emulator, "list", "--source", "outposts", "--csv");

        result.ExitCode.ShouldBe(0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].ShouldBe("source,orderId,accountId,status,statusRaw,type,createdAt");
        lines.Skip(1).Select(l => l.Split(',')[1]).ShouldBe(_emulator.Outposts.OrderIds, ignoreOrder: true);
    }

    [Fact]
    public async Task Sync_Refresh_ReadsAgainWhatTheRunAlreadyStored()
    {
        var ids = Path.Combine(_folder, "ids.txt");
        await File.WriteAllLinesAsync(ids, _emulator.SellingPartner.OrderIds.Take(4));
        var db = Path.Combine(_folder, "orders.db");

        var first = await CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", db, "--json");
        var again = await CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", db, "--json");
        var refreshed = await CliProcess.RunAsync(_emulator, "sync", "--ids", ids, "--db", db, "--json", "--refresh");

        System.Text.Json.JsonDocument.Parse(first.Out).RootElement.GetProperty("inserted").GetInt32().ShouldBe(4);
        System.Text.Json.JsonDocument.Parse(again.Out).RootElement.GetProperty("alreadyDone").GetInt32().ShouldBe(4, "a rerun resumes: nothing is read twice");
        refreshed.ExitCode.ShouldBe(0, refreshed.Error);
        System.Text.Json.JsonDocument.Parse(refreshed.Out).RootElement.GetProperty("unchanged").GetInt32().ShouldBe(4, "--refresh reads every order again");
        _emulator.SellingPartner.GetOrderRequests.ShouldBe(8);
    }

    [Fact]
    public async Task Sync_StoppedWithCtrlC_Exits130_SayingThatRerunningResumes()
    {
        await using var slow = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 0.5, SpGetOrderBurst = 1, SpOrderCount = 40 });
        var ids = Path.Combine(_folder, "slow.txt");
        await File.WriteAllLinesAsync(ids, slow.SellingPartner.OrderIds);
        var info = CliProcess.StartInfo(slow, ["sync", "--ids", ids, "--db", Path.Combine(_folder, "slow.db"), "--json"]);

        // The client told the emulator's plan, with a rate-limit file of its own: it waits for its own permits (which
        // Ctrl+C ends), never for another test's, and is never answered 429.
        info.Environment["OrderHub__Sources__sp-api__GetOrderPermitsPerSecond"] = "0.5";
        info.Environment["OrderHub__Sources__sp-api__GetOrderBurst"] = "1";
        info.Environment["ORDERHUB_RATE_LIMITS_FILE"] = Path.Combine(_folder, "slow-rate-limits.db");
        using var process = System.Diagnostics.Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();

        // Interrupted once the first order is read: the rest wait for permits, 2 s apart, far longer than a loaded
        // machine takes to deliver the interrupt.
        await Eventually.TrueAsync(() => slow.SellingPartner.GetOrderRequests > 0, "the first order is read", TimeSpan.FromSeconds(30), process);

        // What the process does with SIGINT (ignored, blocked, caught), for the message should it not stop.
        var signals = string.Join(" ", File.ReadAllLines($"/proc/{process.Id}/status").Where(l => l.StartsWith("Sig", StringComparison.Ordinal) || l.StartsWith("Shd", StringComparison.Ordinal)));
        using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
        await output;

        process.ExitCode.ShouldBe(130, $"the signal state of the process when it was interrupted: {signals}");
        (await error).ShouldContain("Run the same command again to resume");
    }
}
