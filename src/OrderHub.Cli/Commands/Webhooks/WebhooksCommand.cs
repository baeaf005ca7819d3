using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Cli.Commands.Query;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;
using OrderHub.Events;
using OrderHub.Sync;
using Spectre.Console;

namespace OrderHub.Cli.Commands.Webhooks;

/// <summary><c>webhooks list|status|replay</c>: the configured subscriptions (<c>OrderHub:Webhooks</c>) and where each stands in the store's change log.</summary>
internal static class WebhooksCommand
{
    /// <summary>How many changes after a subscription's position <c>status</c> counts at most.</summary>
    private const int MostCounted = 10_000;

    public static Command Create(CliContext cli)
    {
        var command = new Command("webhooks", "The webhook subscriptions (OrderHub:Webhooks:<name>: Url, Secret, EventTypes, Sources, Accounts, Statuses) that 'orderhub serve' delivers, and where each stands.");
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Status(cli));
        command.Subcommands.Add(Replay(cli));
        return command;
    }

    private static Command List(CliContext cli)
    {
        var store = new StoredOrderOptions();
        var command = new Command("list", "List the subscriptions: receiver, what each selects, its position in the change log and whether it is failing.") { cli.JsonOption };
        store.AddDatabaseTo(command);
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = await store.HostAsync(cli, parse, services => services.AddOrderHubWebhooks());
            var (subscriptions, log) = Open(host);
            var consumers = (await log.GetConsumersAsync(cancel)).ToDictionary(c => c.Name, StringComparer.Ordinal);
            var rows = subscriptions.Subscriptions.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
                .Select(s => (Name: s.Key, Settings: (WebhookSubscriptionOptions?)s.Value, Consumer: consumers.GetValueOrDefault(WebhookOptions.ConsumerName(s.Key))))
                .ToList();

            // Positions stored for subscriptions no longer configured: kept, and said, so that nothing is forgotten silently.
            var configured = subscriptions.Subscriptions.Keys.Select(WebhookOptions.ConsumerName).ToHashSet(StringComparer.Ordinal);
            rows.AddRange(consumers.Values.Where(c => c.Name.StartsWith("webhook:", StringComparison.Ordinal) && !configured.Contains(c.Name))
                .Select(c => (Name: c.Name["webhook:".Length..], Settings: (WebhookSubscriptionOptions?)null, Consumer: (OrderChangeConsumer?)c)));
            if (parse.GetValue(cli.JsonOption))
            {
                foreach (var row in rows)
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["name"] = row.Name,
                        ["configured"] = row.Settings is not null,
                        ["receiver"] = row.Settings is { } s ? Receiver(s) : null,
                        ["selects"] = row.Settings is { } t ? Selection(t) : null,
                        ["position"] = row.Consumer?.Position,
                        ["failingSince"] = row.Consumer?.FailingSince,
                        ["failure"] = row.Consumer?.Failure,
                    }));
                }

                return ExitCodes.Ok;
            }

            if (rows.Count == 0)
            {
                Console.Error.WriteLine($"no webhook subscriptions: configure {WebhookOptions.SectionName}:<name>:Url and :Secret (in --config or the environment).");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("name", "receiver", "selects", "position", "state");
            foreach (var row in rows)
            {
                table.AddRow(
                    Markup.Escape(row.Name),
                    Markup.Escape(row.Settings is { } s ? Receiver(s) : "(no longer configured)"),
                    Markup.Escape(row.Settings is { } t ? Selection(t) : string.Empty),
                    row.Consumer?.Position.ToString(CultureInfo.InvariantCulture) ?? "not started",
                    Markup.Escape(State(row.Consumer)));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Status(CliContext cli)
    {
        var store = new StoredOrderOptions();
        var name = new Argument<string>("name") { Description = "The subscription's name (OrderHub:Webhooks:<name>)." };
        var command = new Command("status", "Show one subscription: its position, how many changes wait after it, and why it is failing, if it is.") { name };
        store.AddDatabaseTo(command);
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = await store.HostAsync(cli, parse, services => services.AddOrderHubWebhooks());
            var (subscriptions, log) = Open(host);
            var (subscription, settings) = Find(subscriptions, parse.GetValue(name)!);
            var consumer = (await log.GetConsumersAsync(cancel)).FirstOrDefault(c => c.Name == WebhookOptions.ConsumerName(subscription));
            Console.Out.WriteLine($"subscription  {subscription}");
            Console.Out.WriteLine($"receiver      {Receiver(settings)}");
            Console.Out.WriteLine($"selects       {Selection(settings)}");
            if (consumer is null)
            {
                Console.Out.WriteLine("position      not started: 'orderhub serve' starts it from the oldest change kept");
                return ExitCodes.Ok;
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"position      {consumer.Position} (stored {consumer.UpdatedAt:u})"));
            try
            {
                var (after, selected) = await CountAfterAsync(log, consumer.Position, settings, cancel);
                var more = after >= MostCounted ? " or more" : string.Empty;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waiting       {after}{more} changes after it, {selected}{more} of them selected"));
            }
            catch (OrderChangePositionExpiredException e)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waiting       unknown: changes through {e.PrunedThrough} were pruned, after the position; 'orderhub webhooks replay {subscription} --from {e.PrunedThrough + 1}' goes on from the oldest kept"));
            }

            Console.Out.WriteLine($"state         {State(consumer)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Replay(CliContext cli)
    {
        var store = new StoredOrderOptions();
        var name = new Argument<string>("name") { Description = "The subscription's name (OrderHub:Webhooks:<name>)." };
        var from = new Option<long>("--from") { Description = "The first position to deliver again: that change and every later one (positions are the events' ids; 'orderhub changes' prints them).", Required = true };
        var command = new Command("replay", "Deliver a subscription's changes again from a position, with their original webhook-id, and clear its failing mark. A running 'orderhub serve' takes it at its next page (within seconds when idle).") { name, from };
        store.AddDatabaseTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(from) < 1)
            {
                result.AddError("--from must be a position: a whole number, 1 or more.");
            }
        });
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = await store.HostAsync(cli, parse, services => services.AddOrderHubWebhooks());
            var (subscriptions, log) = Open(host);
            var (subscription, _) = Find(subscriptions, parse.GetValue(name)!);
            var position = parse.GetValue(from) - 1;
            try
            {
                await log.ReadAsync(position, 1, cancel);
            }
            catch (OrderChangePositionExpiredException e)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: the change log no longer keeps position {position + 1}: changes through {e.PrunedThrough} were pruned. The oldest a replay can start from is {e.PrunedThrough + 1}; read older orders with 'orderhub orders'."));
                return ExitCodes.For(e);
            }

            var consumer = WebhookOptions.ConsumerName(subscription);
            await log.SetConsumerPositionAsync(consumer, position, cancel);
            await log.SetConsumerFailureAsync(consumer, null, cancel);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webhook {subscription} delivers again from position {position + 1}, each change with its original webhook-id."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static (WebhookOptions Subscriptions, IOrderChangeLog Log) Open(CliHost host) =>
        (host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value,
         host.Services.GetService<IOrderChangeLog>() ?? throw new OrderStoreException("This store keeps no change log: webhooks are delivered from the SQLite and PostgreSQL stores."));

    private static (string Name, WebhookSubscriptionOptions Settings) Find(WebhookOptions subscriptions, string name) =>
        subscriptions.Subscriptions.FirstOrDefault(s => string.Equals(s.Key, name.Trim(), StringComparison.OrdinalIgnoreCase)) is { Value: not null } found
            ? (found.Key, found.Value)
            : throw new ArgumentException(subscriptions.Subscriptions.Count == 0
                ? $"No webhook subscription is configured: add {WebhookOptions.SectionName}:{name}:Url and :Secret (in --config or the environment)."
                : $"No webhook subscription is named '{name}'; configured: {string.Join(", ", subscriptions.Subscriptions.Keys.Order(StringComparer.OrdinalIgnoreCase))}.");

    /// <summary>The receiver's scheme, host and port: its path and query may hold a token, and are never shown.</summary>
    private static string Receiver(WebhookSubscriptionOptions settings) => settings.Url?.GetLeftPart(UriPartial.Authority) ?? "(no Url)";

    private static string Selection(WebhookSubscriptionOptions settings)
    {
        var parts = new List<string>
        {
            settings.EventTypes.Count == 0 ? "created, updated" : string.Join(", ", settings.EventTypes.Select(t => t == OrderChangeEvents.CreatedType ? "created" : "updated")),
        };
        if (settings.Sources.Count > 0)
        {
            parts.Add("sources " + string.Join(",", settings.Sources));
        }

        if (settings.Accounts.Count > 0)
        {
            parts.Add("accounts " + string.Join(",", settings.Accounts));
        }

        if (settings.Statuses.Count > 0)
        {
            parts.Add("statuses " + string.Join(",", settings.Statuses));
        }

        return string.Join("; ", parts);
    }

    private static string State(OrderChangeConsumer? consumer) => consumer switch
    {
        null => "not started",
        { FailingSince: { } since } => string.Create(CultureInfo.InvariantCulture, $"failing since {since:u}: {consumer.Failure}"),
        _ => "delivering",
    };

    private static async Task<(int After, int Selected)> CountAfterAsync(IOrderChangeLog log, long position, WebhookSubscriptionOptions settings, CancellationToken cancellationToken)
    {
        var (after, selected) = (0, 0);
        while (after < MostCounted)
        {
            var page = await log.ReadAsync(position, IOrderChangeLog.MaxReadLimit, cancellationToken);
            if (page.Changes.Count == 0)
            {
                break;
            }

            after += page.Changes.Count;
            selected += page.Changes.Count(settings.Selects);
            position = page.LastPosition;
        }

        return (after, selected);
    }
}
