using System.CommandLine;
using OrderHub.Api;
using OrderHub.Api.Hosting;
using OrderHub.Cli.Configuration;
using OrderHub.Storage.Sqlite;

namespace OrderHub.Cli.Commands;

/// <summary><c>serve</c>: the unified lookup as an HTTP API, until stopped.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext cli)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback unless told otherwise).", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var db = new Option<string?>("--db") { Description = "The SQLite store read first (default: ORDERHUB_DB, else orderhub.db)." };
        var maxAge = new Option<int>("--max-age-seconds") { Description = "How old a stored order may be and still be served without an upstream read.", DefaultValueFactory = _ => 300 };
        var budget = new Option<int>("--wait-budget-seconds") { Description = "How long a request may wait for an upstream rate-limit permit before the API answers 429.", DefaultValueFactory = _ => 10 };
        var noAuth = new Option<bool>("--no-auth") { Description = "Accept requests without an API key (logs a warning)." };
        var command = new Command("serve", "Serve the unified lookup over HTTP: GET /orders/{orderId}. Keys come from ORDERHUB_API_KEYS (key1,key2:pii).") { urls, db, maxAge, budget, noAuth };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var settings = cli.Settings(parse);
            using var factory = new SourceFactory(settings);
            var options = new OrderApiOptions
            {
                Urls = parse.GetRequiredValue(urls),
                AuthenticationDisabled = parse.GetValue(noAuth),
                MaxStoreAge = TimeSpan.FromSeconds(parse.GetValue(maxAge)),
                UpstreamWaitBudget = TimeSpan.FromSeconds(parse.GetValue(budget)),
            };
            foreach (var entry in (settings["ORDERHUB_API_KEYS"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var personal = entry.EndsWith(":pii", StringComparison.Ordinal);
                options.ApiKeys.Add(new ApiKey(personal ? entry[..^4] : entry, personal));
            }

            await using var store = await SqliteOrderStore.OpenAsync(parse.GetValue(db) ?? settings["ORDERHUB_DB"] ?? "orderhub.db", cancellationToken: cancel);
            await using var host = await OrderApiHost.StartAsync(options, factory.CreateLookup(), store, cancellationToken: cancel);
            Console.Out.WriteLine($"OrderHub lookup API on {host.BaseAddress} (OpenAPI at {host.BaseAddress}openapi/v1.json).");
            try
            {
                await host.WaitForShutdownAsync(cancel);
            }
            catch (OperationCanceledException)
            {
            }

            return Output.ExitCodes.Ok;
        }));
        return command;
    }
}
