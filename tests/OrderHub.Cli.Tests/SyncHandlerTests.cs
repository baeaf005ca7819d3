using System.CommandLine;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Cli.Commands;
using OrderHub.Cli.Commands.Sync;
using OrderHub.Cli.Configuration;
using OrderHub.Emulator.Hosting;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>The handlers of <c>sync</c>'s three modes, in-process, over a SQLite file and the emulator.</summary>
public sealed class SyncHandlerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-sync-handlers-").FullName;
    private readonly StringWriter _log = new();
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 6 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    // The emulator's sources, with rate limits of this process only (not the user's machine-wide file).
    private IEnumerable<KeyValuePair<string, string?>> Settings() =>
        DemoCommand.SettingsFor(_emulator).Append(new("OrderHub:RateLimits:Store", "Process"));

    private CliHost Host(string db) => CliHost.Build(null, Settings(), services => services.AddOrderStore(db).AddOrderHubSync());

    private SyncRun Run(CliHost host) => new(
        host.Services.GetRequiredService<OrderSync>(),
        host.Services.GetRequiredService<IOrderStore>(),
        _log,
        (sync, runId, cancellationToken) => sync.RunAsync(runId, cancellationToken: cancellationToken));

    private async Task<OrderIdsFile> IdsAsync(params string[] lines)
    {
        var path = Path.Combine(_folder, $"ids-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(path, lines);
        return await OrderIdsFile.OpenAsync(path, CancellationToken.None);
    }

    [Fact]
    public async Task Ids_StoresEveryRecognizedId_SkipsTheRest_AndNamesTheRunAfterTheFile()
    {
        var ids = _emulator.SellingPartner.OrderIds.Take(4).Append(_emulator.Outposts.OrderIds[0]).Append("not-an-id").ToArray();
        await using var host = Host(Path.Combine(_folder, "ids.db"));
        using var file = await IdsAsync(ids);
        using var again = await IdsAsync(ids);

        var first = await new IdsSyncHandler(host.Lookup, Run(host), _log).RunAsync(file, null, null, refresh: false, CancellationToken.None);
        var second = await new IdsSyncHandler(host.Lookup, Run(host), _log).RunAsync(again, null, null, refresh: false, CancellationToken.None);

        first.Progress.Inserted.ShouldBe(5);
        first.Skipped.ShouldBe(1);
        first.ExitCode.ShouldBe(9, "a line was not an id");
        _log.ToString().ShouldContain("skipped: No order source recognizes the order id 'not-an-id'");
        second.RunId.ShouldBe(first.RunId, "the same file resumes the same run");
        second.Progress.AlreadyDone.ShouldBe(5);
    }

    [Fact]
    public async Task Ids_NoneOfThemAnIdOfAConfiguredSource_IsRefused_AndCreatesNoDatabase()
    {
        var db = Path.Combine(_folder, "never.db");
        await using var host = Host(db);
        using var file = await IdsAsync("not-an-id", "12345");

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => new IdsSyncHandler(host.Lookup, Run(host), _log).RunAsync(file, null, null, refresh: false, CancellationToken.None));

        error.Message.ShouldContain("the file held 2 line(s)");
        File.Exists(db).ShouldBeFalse();
    }

    [Fact]
    public async Task Ids_WithASourceNamed_ChecksEachIdAgainstItsFormat()
    {
        await using var host = Host(Path.Combine(_folder, "named.db"));
        using var file = await IdsAsync(_emulator.SellingPartner.OrderIds[0], _emulator.Outposts.OrderIds[0]);

        var report = await new IdsSyncHandler(host.Lookup, Run(host), _log).RunAsync(file, "outposts", null, refresh: false, CancellationToken.None);

        report.Progress.Inserted.ShouldBe(1);
        report.Skipped.ShouldBe(1);
        _log.ToString().ShouldContain("is not a valid outposts order id");
    }

    [Fact]
    public async Task All_StoresEveryListedOrder_InARunNamedAfterTheSourceAndTheDay()
    {
        await using var host = Host(Path.Combine(_folder, "all.db"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

        var report = await new EnumerationSyncHandler(host.Lookup, Run(host), clock).RunAsync("outposts", null, refresh: false, CancellationToken.None);

        report.RunId.ShouldBe("all-outposts-20261123");
        report.Progress.Inserted.ShouldBe(_emulator.Outposts.OrderIds.Count);
        report.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task All_ASourceThatCannotList_IsRefused_AndCreatesNoDatabase()
    {
        var db = Path.Combine(_folder, "cannot-list.db");
        await using var host = Host(db);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => new EnumerationSyncHandler(host.Lookup, Run(host), TimeProvider.System).RunAsync("sp-api", null, refresh: false, CancellationToken.None));

        error.Message.ShouldContain("cannot list its orders");
        File.Exists(db).ShouldBeFalse();
    }

    [Fact]
    public async Task Run_APassThatEndsWhileIdsAreStillBeingAdded_IsFollowedByAnother_AndTheReportCountsBoth()
    {
        await using var host = Host(Path.Combine(_folder, "passes.db"));
        var sync = host.Services.GetRequiredService<OrderSync>();
        var ids = _emulator.SellingPartner.OrderIds;
        var stillAdding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var passes = 0;
        var run = new SyncRun(sync, host.Services.GetRequiredService<IOrderStore>(), _log, async (s, runId, cancellationToken) =>
        {
            var pass = await s.RunAsync(runId, cancellationToken: cancellationToken);
            if (++passes == 1)
            {
                // The rest of the ids arrive after the first pass has read the first ones.
                await s.AddReferencesAsync(runId, ids.Skip(2).Select(id => new OrderReference("sp-api", id)), cancellationToken);
                stillAdding.SetResult();
            }

            return pass;
        });

        var report = await run.RunAsync(
            "two-passes",
            async cancel =>
            {
                await sync.AddReferencesAsync("two-passes", ids.Take(2).Select(id => new OrderReference("sp-api", id)), cancel);
                return stillAdding.Task;
            },
            refresh: false,
            skipped: 0,
            CancellationToken.None);

        passes.ShouldBe(2);
        report.Progress.Inserted.ShouldBe(ids.Count, "what both passes stored, not only the second's");
        report.Progress.AlreadyDone.ShouldBe(0, "nothing was stored before the invocation");
    }

    [Fact]
    public async Task Incremental_ARequestTheUpstreamWouldRefuse_IsRefusedBeforeTheDatabaseIsCreated()
    {
        var db = Path.Combine(_folder, "incremental.db");
        var config = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(Settings().ToDictionary(s => s.Key, s => s.Value)));
        var cli = new CliContext();
        var handler = new IncrementalSyncHandler();
        var command = new Command("sync") { cli.ConfigOption, cli.JsonOption };
        handler.AddTo(command);

        foreach (var args in new[] { new[] { "--since", "2099-01-01T00:00:00Z" }, ["--since", "7d", "--page-size", "0"], ["--since", "7d", "--fulfilled-by", "NOBODY"] })
        {
            var parse = command.Parse(["--config", config, "--json", .. args]);

            await Should.ThrowAsync<InvalidOrderRequestException>(() => handler.RunAsync(cli, parse, "sp-api", db, CancellationToken.None));

            File.Exists(db).ShouldBeFalse(string.Join(' ', args));
        }

        _emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }
}
