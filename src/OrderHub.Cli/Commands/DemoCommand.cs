using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Commands.Sync;
using OrderHub.Cli.Output;
using OrderHub.Emulator.Hosting;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using Spectre.Console;

namespace OrderHub.Cli.Commands;

/// <summary>
/// <c>demo</c>: with no account and no network, start the emulator in-process, sync a mixed set of Selling Partner
/// and Outposts orders into SQLite under the real getOrder limit (30 at once, then one every 2 s), look a few up
/// through the unified lookup, and summarize.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var db = new Option<string>("--db") { Description = "The SQLite file to sync into.", DefaultValueFactory = _ => "orderhub-demo.db" };
        var spOrders = new Option<int>("--sp-orders") { Description = "How many Selling Partner orders to sync (30 go at once, the rest one every 2 s).", DefaultValueFactory = _ => 40 };
        var command = new Command("demo", "Run a self-contained demo against the built-in emulator.") { db, spOrders };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var clock = Stopwatch.StartNew();
            var count = parse.GetValue(spOrders);
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = Math.Max(count, 1) }, cancellationToken: cancel);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "[bold]OrderHub demo[/]: emulator on {0} (Selling Partner getOrder: 0.5 req/s, burst 30).", emulator.BaseAddress);

            var path = parse.GetRequiredValue(db);
            await using var host = CliHost.Build(null, SettingsFor(emulator), services => services.AddSqliteOrderStore(path).AddOrderHubSync());
            var lookup = host.Lookup;
            var store = host.Services.GetRequiredService<SqliteOrderStore>();
            var sync = host.Services.GetRequiredService<OrderSync>();
            var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var spRun = $"demo-sp-{stamp}";
            var outpostsRun = $"demo-outposts-{stamp}";
            await sync.AddReferencesAsync(spRun, emulator.SellingPartner.OrderIds.Take(count).Select(id => new OrderReference("sp-api", id)), cancel);
            await sync.AddEnumerationAsync(outpostsRun, "outposts", cancellationToken: cancel);

            SyncProgress? sp = null, outposts = null;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var both = await Task.WhenAll(
                        SyncCommand.RunAsTaskAsync(context, sync, spRun, "sp-api  ", cancel),
                        SyncCommand.RunAsTaskAsync(context, sync, outpostsRun, "outposts", cancel));
                    (sp, outposts) = (both[0], both[1]);
                });

            AnsiConsole.MarkupLine("\n[bold]Looked up through the unified lookup[/] (the source recognized from the id):");
            foreach (var id in emulator.Outposts.OrderIds.Take(1).Concat(emulator.SellingPartner.OrderIds.Take(1)))
            {
                Render.Table(await lookup.GetOrderAsync(id, cancel));
            }

            var counts = await store.CountOrdersAsync(cancel);
            var summary = new Table().Border(TableBorder.Rounded).AddColumns("Source", "Synced now", "Failed", "In the database", "HTTP 429 received");
            summary.AddRow("sp-api", sp!.Done.ToString(CultureInfo.InvariantCulture), sp.Failed.ToString(CultureInfo.InvariantCulture), counts.GetValueOrDefault("sp-api").ToString(CultureInfo.InvariantCulture), emulator.SellingPartner.Throttled.ToString(CultureInfo.InvariantCulture));
            summary.AddRow("outposts", outposts!.Done.ToString(CultureInfo.InvariantCulture), outposts.Failed.ToString(CultureInfo.InvariantCulture), counts.GetValueOrDefault("outposts").ToString(CultureInfo.InvariantCulture), "-");
            AnsiConsole.Write(summary);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Done in {0:0.0} s; the orders are in {1}.", clock.Elapsed.TotalSeconds, Markup.Escape(Path.GetFullPath(path)));
            var shown = Markup.Escape(path);
            AnsiConsole.MarkupLine("\n[bold]Next[/]:");
            AnsiConsole.MarkupLine($"  orderhub orders --db {shown} --status Shipped         the stored copy, queried");
            AnsiConsole.MarkupLine($"  orderhub orders summary --db {shown} --by source,status");
            AnsiConsole.MarkupLine($"  orderhub changes --db {shown} --json                  each change as a CloudEvent");
            AnsiConsole.MarkupLine($"  orderhub serve --db {shown} --no-auth                  the same over HTTP (GET /orders, /changes)");
            AnsiConsole.MarkupLine("  orderhub emulator                                   an emulator to point sync --follow at, with its environment");
            return sp.Failed + outposts.Failed == 0 ? ExitCodes.Ok : ExitCodes.SyncHadFailures;
        }));
        return command;
    }

    /// <summary>The settings, in the library's vocabulary, that point a source of each provider at an emulator.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> SettingsFor(EmulatorHost emulator) =>
        PointedAt(emulator).Select(s => KeyValuePair.Create(s.Setting, (string?)s.Value));

    /// <summary>The environment (the ORDERHUB_* shortcuts and the AWS SDKs' variables) that points a separate orderhub process at an emulator.</summary>
    public static IEnumerable<(string Name, string Value)> EnvironmentFor(EmulatorHost emulator) =>
        PointedAt(emulator).Where(s => s.Variable is not null).Select(s => (s.Variable!, s.Value));

    // One table for both: each setting, and the variable that stands for it (none for a provider: the shortcuts imply it).
    private static IEnumerable<(string Setting, string? Variable, string Value)> PointedAt(EmulatorHost emulator) =>
    [
        ("OrderHub:Sources:sp-api:Provider", null, SellingPartnerOrderHubBuilderExtensions.ProviderName),
        ("OrderHub:Sources:sp-api:Endpoint", "ORDERHUB_SP_ENDPOINT", emulator.BaseAddress.ToString()),
        ("OrderHub:Sources:sp-api:LwaEndpoint", "ORDERHUB_LWA_ENDPOINT", emulator.LwaEndpoint.ToString()),
        ("OrderHub:Sources:sp-api:ClientId", "ORDERHUB_LWA_CLIENT_ID", emulator.SellingPartner.Options.ClientId),
        ("OrderHub:Sources:sp-api:ClientSecret", "ORDERHUB_LWA_CLIENT_SECRET", emulator.SellingPartner.Options.ClientSecret),
        ("OrderHub:Sources:sp-api:RefreshToken", "ORDERHUB_LWA_REFRESH_TOKEN", emulator.SellingPartner.Options.RefreshTokens[0]),
        ("OrderHub:Sources:outposts:Provider", null, OutpostsOrderHubBuilderExtensions.ProviderName),
        ("OrderHub:Sources:outposts:Region", "AWS_REGION", emulator.Outposts.Options.AwsRegion),
        ("OrderHub:Sources:outposts:Endpoint", "AWS_ENDPOINT_URL_OUTPOSTS", emulator.BaseAddress.ToString()),
        ("OrderHub:Sources:outposts:AccessKeyId", "AWS_ACCESS_KEY_ID", emulator.Outposts.Options.AwsAccessKeyId),
        ("OrderHub:Sources:outposts:SecretAccessKey", "AWS_SECRET_ACCESS_KEY", emulator.Outposts.Options.AwsSecretAccessKey),
    ];
}
