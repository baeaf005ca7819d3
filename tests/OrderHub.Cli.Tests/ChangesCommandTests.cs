using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.Data.Sqlite;
using OrderHub.Storage.Sqlite;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub changes</c> as a process over a real SQLite store written meanwhile.</summary>
public sealed class ChangesCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-changes-cli-").FullName;
    private SqliteOrderStore _store = null!;

    private string Database => Path.Combine(_folder, "orders.db");

    public async Task InitializeAsync() => _store = await SqliteOrderStore.OpenAsync(Database);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static Order Placed(int i) => OrderStoreContractTests.SampleOrder($"oo-{i:D17}");

    private static Order Shipped(int i) => Placed(i) with
    {
        Status = new ProviderValue<OrderStatus>(OrderStatus.Shipped, "SHIPPED"),
        LastUpdatedAt = Placed(i).LastUpdatedAt!.Value.AddHours(1),
    };

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Changes_PrintsEachChangeOldestFirst_AsLinesOrCloudEvents()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _store.UpsertAsync(Placed(i));
        }

        await _store.UpsertAsync(Shipped(2));

        var text = await CliProcess.RunAsync(null, "changes", "--db", Database);
        var json = await CliProcess.RunAsync(null, "changes", "--db", Database, "--json");

        text.ExitCode.ShouldBe(0, text.Error);
        var lines = Lines(text.Out);
        lines.Length.ShouldBe(4);
        lines[0].ShouldContain("created  outposts/oo-00000000000000001  Pending");
        lines[3].ShouldContain("updated  outposts/oo-00000000000000002  Pending -> Shipped");
        text.Error.ShouldContain("--after ");
        json.ExitCode.ShouldBe(0, json.Error);
        var events = Lines(json.Out).Select(l => new JsonEventFormatter().DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(l), new System.Net.Mime.ContentType("application/cloudevents+json"), null)).ToArray();
        events.Select(e => e.Type).ShouldBe(["orderhub.order.created", "orderhub.order.created", "orderhub.order.created", "orderhub.order.updated"]);
        events[3].Subject.ShouldBe("oo-00000000000000002");
        lines.Select(l => l.Split("  ")[0]).ShouldBe(events.Select(e => e.Id!), "a line starts with the position, the event's id");

        var after = await CliProcess.RunAsync(null, "changes", "--db", Database, "--after", events[1].Id!);
        Lines(after.Out).Length.ShouldBe(2);
    }

    [Fact]
    public async Task ANamedReader_GoesOnWhereItStopped()
    {
        await _store.UpsertAsync(Placed(1));
        await _store.UpsertAsync(Placed(2));

        var first = await CliProcess.RunAsync(null, "changes", "--db", Database, "--name", "erp");
        var again = await CliProcess.RunAsync(null, "changes", "--db", Database, "--name", "erp");
        await _store.UpsertAsync(Shipped(1));
        var later = await CliProcess.RunAsync(null, "changes", "--db", Database, "--name", "erp");
        var other = await CliProcess.RunAsync(null, "changes", "--db", Database, "--name", "warehouse");

        Lines(first.Out).Length.ShouldBe(2, first.Error);
        Lines(again.Out).ShouldBeEmpty("the reader's position was stored after what it printed");
        Lines(later.Out).ShouldHaveSingleItem().ShouldContain("updated  outposts/oo-00000000000000001");
        Lines(other.Out).Length.ShouldBe(3, "another name has a position of its own");
    }

    [Fact]
    public async Task Follow_PrintsChangesAsTheyAreStored()
    {
        await _store.UpsertAsync(Placed(1));
        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(CliProcess.StartInfo(null, ["changes", "--db", Database, "--follow"]))!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lines.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        try
        {
            await Eventually.TrueAsync(() => lines.Count == 1, "the stored change is printed first", whileRunning: process);
            await _store.UpsertAsync(Placed(2));
            await _store.UpsertAsync(Shipped(1));

            await Eventually.TrueAsync(() => lines.Count == 3, "each new change is printed as it is stored", whileRunning: process);
            lines.ElementAt(1).ShouldContain("created  outposts/oo-00000000000000002");
            lines.ElementAt(2).ShouldContain("updated  outposts/oo-00000000000000001  Pending -> Shipped");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task APrunedPosition_SaysToStartAgainFromTheOrders()
    {
        await _store.DisposeAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-30));
        await using (var old = await SqliteOrderStore.OpenAsync(Database, new SqliteOrderStoreOptions { ChangeLogRetention = TimeSpan.FromDays(7) }, clock))
        {
            await old.UpsertAsync(Placed(1));
            clock.Advance(TimeSpan.FromDays(20));
            await old.UpsertAsync(Placed(2));
            (await old.PruneAsync()).ShouldBeGreaterThan(0);
        }

        _store = await SqliteOrderStore.OpenAsync(Database);
        var expired = await CliProcess.RunAsync(null, "changes", "--db", Database, "--after", "0");
        var fresh = await CliProcess.RunAsync(null, "changes", "--db", Database);

        expired.ExitCode.ShouldBe(3);
        expired.Error.ShouldContain("orderhub orders");
        expired.Error.ShouldNotContain("   at ");
        Lines(fresh.Out).ShouldHaveSingleItem().ShouldContain("oo-00000000000000002");
    }
}
