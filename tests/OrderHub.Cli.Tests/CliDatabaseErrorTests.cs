using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
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
        File.WriteAllLines(path, _emulator.SellingPartner.Catalog.OrderIds.Take(3));
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
        await using var hung = await OrderHub.Testing.LoopbackServer.StartAsync(app =>
            Microsoft.AspNetCore.Builder.RunExtensions.Run(app, async http => await Task.Delay(Timeout.Infinite, http.RequestAborted)));
        var info = CliProcess.StartInfo(null, ["get", "902-3159896-1390916"]);
        info.Environment["ORDERHUB_SP_ENDPOINT"] = hung.BaseAddress.AbsoluteUri;
        info.Environment["ORDERHUB_LWA_ENDPOINT"] = new Uri(hung.BaseAddress, "auth/o2/token").AbsoluteUri;
        info.Environment["ORDERHUB_LWA_CLIENT_ID"] = "client";
        info.Environment["ORDERHUB_LWA_CLIENT_SECRET"] = "secret";
        info.Environment["ORDERHUB_LWA_REFRESH_TOKEN"] = "Atzr|refresh";
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
            line.ShouldContain("sp-api");
            line.ShouldContain("gives up after 60 s");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
