using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>sync --ids</c> with a file of a million lines: read as a stream, not loaded whole.</summary>
public sealed class LargeIdsFileTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Lines = 1_000_000;
    private EmulatorHost _emulator = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-cli-ids-").FullName;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 20 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Sync_MillionLineIdsFile_StartsReadingOrdersBeforeTheWholeFileIsAdded_InBoundedMemory()
    {
        var ids = Path.Combine(_folder, "ids.txt");
        await using (var writer = new StreamWriter(ids))
        {
            for (var i = 0; i < Lines; i++)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{i % 1000:D3}-{i:D7}-{Lines - i:D7}"));
            }
        }

        var db = Path.Combine(_folder, "sync.db");
        var started = Stopwatch.StartNew();
        using var process = Process.Start(CliProcess.StartInfo(_emulator, ["sync", "--ids", ids, "--db", db, "--json"]))!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            // A cold process on a loaded machine: the bound is generous, what is asserted is what the store holds then.
            await Eventually.TrueAsync(() => _emulator.SellingPartner.GetOrderRequests > 0, "the sync reads its first order", TimeSpan.FromSeconds(90), process);
            var peak = PeakResidentBytes(process.Id);
            var queued = CountReferences(db);
            output.WriteLine($"first getOrder after {started.Elapsed.TotalSeconds:0.0} s, {queued} references added then, peak resident {peak / (1024 * 1024)} MiB");

            queued.ShouldBeLessThan(Lines, "the first orders are read while the rest of the file is still being added");
            peak.ShouldBeLessThan(250L * 1024 * 1024, "the ids are streamed, not held in memory (a million of them took 384 MiB)");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    // VmHWM: the most resident memory the process has had so far.
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static long CountReferences(string db)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM sync_items";
        return (long)count.ExecuteScalar()!;
    }
}
