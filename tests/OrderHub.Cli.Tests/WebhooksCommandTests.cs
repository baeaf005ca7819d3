using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub serve</c> delivering webhooks, killed and started again, and <c>orderhub webhooks list|status|replay</c>, as processes over a real SQLite store.</summary>
public sealed class WebhooksCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-webhooks-cli-").FullName;
    private SqliteOrderStore _store = null!;
    private WebhookReceiver _receiver = null!;

    private string Database => Path.Combine(_folder, "orders.db");

    private string ConfigFile => Path.Combine(_folder, "appsettings.json");

    public async Task InitializeAsync()
    {
        _store = await SqliteOrderStore.OpenAsync(Database);
        _receiver = await WebhookReceiver.StartAsync();
        await File.WriteAllTextAsync(ConfigFile, $$"""
            {
              "OrderHub": {
                "Webhooks": {
                  "erp": { "Url": "{{_receiver.Url}}", "Secret": "{{WebhookReceiver.Secret}}" },
                  "shipped": { "Url": "https://wms.example.com/hooks/secret-path", "Secret": "{{WebhookReceiver.Secret}}", "Statuses": [ "Shipped" ], "EventTypes": [ "orderhub.order.updated" ] }
                }
              }
            }
            """);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static Order Placed(int i, OrderStatus status = OrderStatus.Pending) => OrderStoreContractTests.SampleOrder($"oo-{i:D17}") with
    {
        Status = new ProviderValue<OrderStatus>(status, status.ToString().ToUpperInvariant()),
        LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes((int)status),
    };

    private Process StartServe()
    {
        var info = CliProcess.StartInfo(null, ["serve", "--config", ConfigFile, "--db", Database, "--no-auth", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}"]);
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true); // SIGKILL: nothing runs after it
        await process.WaitForExitAsync();
    }

    [Fact]
    public async Task Serve_KilledMidDelivery_AndStartedAgain_LeavesTheReceiverWithEveryChangeInOrder_RepeatsOnlyWithTheirIds()
    {
        // The 40th request is held until the process that sent it is gone: the kill lands mid-delivery.
        using var killed = new ManualResetEventSlim();
        _receiver.Answer = r =>
        {
            if (r.Index == 39)
            {
                killed.Wait(TimeSpan.FromSeconds(30));
            }

            return 200;
        };
        for (var i = 1; i <= 60; i++)
        {
            await _store.UpsertAsync(Placed(i));
        }

        var serve = StartServe();
        try
        {
            await Eventually.TrueAsync(() => _receiver.Received.Count >= 39, "serve delivered the first changes", TimeSpan.FromSeconds(60), serve);
            for (var i = 1; i <= 30; i++)
            {
                await _store.UpsertAsync(Placed(i, OrderStatus.Shipped));
            }

            await KillAsync(serve);
            killed.Set();
            for (var i = 31; i <= 45; i++)
            {
                await _store.UpsertAsync(Placed(i, OrderStatus.Cancelled));
            }

            serve = StartServe();
            var log = await _store.ReadAsync(0, 1000);
            log.Changes.Count.ShouldBe(105);
            await Eventually.TrueAsync(() => _receiver.Accepted.Count == log.Changes.Count, "every change reached the receiver after the restart", TimeSpan.FromSeconds(60), serve);
        }
        finally
        {
            await KillAsync(serve);
        }

        var changes = (await _store.ReadAsync(0, 1000)).Changes;
        var accepted = _receiver.Accepted;
        accepted.Select(r => r.Id).ShouldBe(changes.Select(c => $"msg_{c.Position}"), "each change once, in the log's order, when repeats are dropped by id");
        accepted.ShouldAllBe(r => r.VerificationProblem == null);
        _receiver.Received.Count.ShouldBeGreaterThanOrEqualTo(accepted.Count);
        _receiver.Received.GroupBy(r => r.Id).ShouldAllBe(g => g.Select(r => r.Subject + " " + r.Type + " " + r.Position).Distinct().Count() == 1, "a repeat carries the same change as its first delivery");

        // A receiver that keeps the latest event of each order holds exactly the store's orders.
        var latest = accepted.GroupBy(r => r.Subject).ToDictionary(g => g.Key, g => g.Last().OrderStatus);
        latest.Count.ShouldBe(60);
        for (var i = 1; i <= 60; i++)
        {
            var stored = await _store.GetAsync("outposts", $"oo-{i:D17}");
            latest[$"oo-{i:D17}"].ShouldBe(System.Text.Json.JsonSerializer.Deserialize<Order>(stored!.Json, OrderHub.Json.OrderJson.Options)!.Status.Value.ToString());
        }
    }

    [Fact]
    public async Task List_Status_AndReplay_ShowWhereEachSubscriptionStands_AndNeverTheSecretOrTheUrlsPath()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _store.UpsertAsync(Placed(i));
        }

        await _store.UpsertAsync(Placed(2, OrderStatus.Shipped));
        var positions = (await _store.ReadAsync(0, 10)).Changes.Select(c => c.Position).ToArray();
        await _store.SetConsumerPositionAsync("webhook:erp", positions[1]);
        await _store.SetConsumerFailureAsync("webhook:erp", "change 3 undelivered to 127.0.0.1 since 2026-12-04 10:00:00Z: answered 503");
        await _store.SetConsumerPositionAsync("webhook:retired", positions[0]);

        var list = await CliProcess.RunAsync(null, "webhooks", "list", "--config", ConfigFile, "--db", Database);
        var status = await CliProcess.RunAsync(null, "webhooks", "status", "erp", "--config", ConfigFile, "--db", Database);
        var shipped = await CliProcess.RunAsync(null, "webhooks", "status", "shipped", "--config", ConfigFile, "--db", Database);

        list.ExitCode.ShouldBe(0, list.Error);
        var rows = list.Out.Split('\n');
        rows.ShouldContain(l => l.Contains("erp", StringComparison.Ordinal) && l.Contains(_receiver.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) && l.Contains("failing since", StringComparison.Ordinal));
        rows.ShouldContain(l => l.Contains("shipped", StringComparison.Ordinal) && l.Contains("https://wms.example.com", StringComparison.Ordinal) && l.Contains("not started", StringComparison.Ordinal) && l.Contains("statuses Shipped", StringComparison.Ordinal));
        rows.ShouldContain(l => l.Contains("retired", StringComparison.Ordinal) && l.Contains("no longer configured", StringComparison.Ordinal));
        status.ExitCode.ShouldBe(0, status.Error);
        status.Out.ShouldContain($"position      {positions[1]}");
        status.Out.ShouldContain("waiting       2 changes after it, 2 of them selected");
        status.Out.ShouldContain("state         failing since ");
        status.Out.ShouldContain("Z: change 3 undelivered to 127.0.0.1 since 2026-12-04 10:00:00Z: answered 503");
        shipped.Out.ShouldContain("not started");
        foreach (var output in new[] { list, status, shipped })
        {
            (output.Out + output.Error).ShouldNotContain(WebhookReceiver.Secret["whsec_".Length..]);
            (output.Out + output.Error).ShouldNotContain("secret-path");
            (output.Out + output.Error).ShouldNotContain("do-not-log-me");
        }

        var replay = await CliProcess.RunAsync(null, "webhooks", "replay", "erp", "--from", positions[0].ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", ConfigFile, "--db", Database);

        replay.ExitCode.ShouldBe(0, replay.Error);
        replay.Out.ShouldContain($"delivers again from position {positions[0]}");
        var erp = (await _store.GetConsumersAsync()).Single(c => c.Name == "webhook:erp");
        erp.Position.ShouldBe(positions[0] - 1);
        erp.FailingSince.ShouldBeNull("a replay clears the failing mark");
    }

    [Fact]
    public async Task Replay_RefusesAnUnknownSubscription_AndAPositionBelowOne_NamingWhatIsExpected()
    {
        await _store.UpsertAsync(Placed(1));

        var unknown = await CliProcess.RunAsync(null, "webhooks", "replay", "crm", "--from", "1", "--config", ConfigFile, "--db", Database);
        var zero = await CliProcess.RunAsync(null, "webhooks", "replay", "erp", "--from", "0", "--config", ConfigFile, "--db", Database);

        unknown.ExitCode.ShouldNotBe(0);
        unknown.Error.ShouldContain("No webhook subscription is named 'crm'; configured: erp, shipped.");
        zero.ExitCode.ShouldBe(2);
        zero.Error.ShouldContain("--from must be a position: a whole number, 1 or more.");
        (await _store.GetConsumersAsync()).ShouldBeEmpty("nothing was stored by a refused replay");
    }

    [Fact]
    public async Task Serve_WithAnUnusableSubscription_StopsAtStart_NamingTheSetting()
    {
        await File.WriteAllTextAsync(ConfigFile, """{ "OrderHub": { "Webhooks": { "erp": { "Url": "http://erp.example.com/hooks", "Secret": "not-a-secret" } } } }""");

        var result = await CliProcess.RunAsync(null, new Dictionary<string, string> { ["ORDERHUB_API_KEYS"] = "k" }, "serve", "--config", ConfigFile, "--db", Database, "--urls", "http://127.0.0.1:0");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("OrderHub:Webhooks:erp:Url must use https");
        result.Error.ShouldContain("OrderHub:Webhooks:erp:Secret must be 'whsec_'");
        result.Error.ShouldNotContain("not-a-secret");
        result.Error.ShouldNotContain("   at ", Case.Sensitive, "a message, not a stack trace");
    }
}
