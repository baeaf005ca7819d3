using System.CommandLine;
using System.Text.Json;
using OrderHub.Cli.Output;
using OrderHub.SellingPartner;
using OrderHub.SellingPartner.Notifications;

namespace OrderHub.Cli.Commands.Notifications;

/// <summary>
/// <c>notifications setup|list|remove</c>: a Selling Partner seller's <c>ORDER_CHANGE</c> notifications to an SQS queue,
/// through the Notifications API (its destination with the application's grantless token, the seller's subscription).
/// </summary>
internal static class NotificationsCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext cli)
    {
        var command = new Command("notifications", "Set up, list or remove a Selling Partner seller's ORDER_CHANGE notifications to an Amazon SQS standard queue; 'orderhub sync --source <name> --follow --notifications <queue-url>' then consumes them.");
        command.Subcommands.Add(Setup(cli));
        command.Subcommands.Add(List(cli));
        command.Subcommands.Add(Remove(cli));
        return command;
    }

    private static Option<string> SourceOption() => new("--source") { Description = "The configured Selling Partner source (the seller).", Required = true };

    private static Command Setup(CliContext cli)
    {
        var source = SourceOption();
        var queueArn = new Option<string>("--queue-arn") { Description = "The ARN of the SQS standard queue to deliver to (arn:aws:sqs:REGION:ACCOUNT:NAME).", Required = true };
        var marketplaces = new Option<string[]>("--marketplace") { Description = "Only changes of orders in this marketplace id; repeat for more (default: all)." };
        var changeTypes = new Option<string[]>("--change-types") { Description = $"Only these change types ({string.Join(", ", SellingPartnerNotifications.OrderChangeTypes)}); repeat or separate with commas (default: all).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("setup", "Find or create the queue's destination and the seller's ORDER_CHANGE subscription, and print the queue policy Amazon needs.")
        {
            source, queueArn, marketplaces, changeTypes, cli.JsonOption,
        };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var arn = parse.GetRequiredValue(queueArn);
            var policy = SellingPartnerNotifications.QueuePolicy(arn);
            var request = new OrderChangeSubscriptionRequest
            {
                QueueArn = arn,
                MarketplaceIds = parse.GetValue(marketplaces) ?? [],
                ChangeTypes = [.. (parse.GetValue(changeTypes) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
            };
            await using var host = cli.Host(parse);
            var seller = SellerOf(host.Lookup, parse.GetRequiredValue(source));
            var setup = await seller.Notifications.SetUpOrderChangesAsync(request, cancel);
            if (parse.GetValue(cli.JsonOption))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new { source = seller.Name, setup.Destination, setup.Subscription, setup.DestinationCreated, setup.SubscriptionCreated, setup.DeliversElsewhere, queuePolicy = JsonDocument.Parse(policy).RootElement }, JsonOptions));
            }
            else
            {
                Console.Out.WriteLine($"destination {setup.Destination.DestinationId} ({setup.Destination.Name}) for {arn}: {(setup.DestinationCreated ? "created" : "found")}.");
                Console.Out.WriteLine($"{seller.Name}'s ORDER_CHANGE subscription {setup.Subscription.SubscriptionId}: {(setup.SubscriptionCreated ? "created" : "found")}; {Filter(setup.Subscription)}.");
                Console.Out.WriteLine();
                Console.Out.WriteLine("The queue's access policy must let Amazon deliver to it (set it as the queue's Policy, or merge its statement):");
                Console.Out.WriteLine(policy);
                Console.Out.WriteLine();
                Console.Out.WriteLine($"Next: orderhub sync --source {seller.Name} --follow --notifications <the queue's URL>");
            }

            if (setup.DeliversElsewhere)
            {
                Console.Error.WriteLine($"error: the seller's ORDER_CHANGE subscription delivers to destination {setup.Subscription.DestinationId}, not to this queue's ({setup.Destination.DestinationId}). A seller has one subscription per type: run 'orderhub notifications remove --source {seller.Name}' first to move it here.");
                return ExitCodes.Conflict;
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliContext cli)
    {
        var source = SourceOption();
        var command = new Command("list", "List the application's destinations and the seller's ORDER_CHANGE subscription.") { source, cli.JsonOption };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = cli.Host(parse);
            var seller = SellerOf(host.Lookup, parse.GetRequiredValue(source));
            var destinations = await seller.Notifications.GetDestinationsAsync(cancel);
            var subscription = await seller.Notifications.GetSubscriptionAsync(cancel);
            if (parse.GetValue(cli.JsonOption))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new { source = seller.Name, destinations, subscription }, JsonOptions));
                return ExitCodes.Ok;
            }

            foreach (var destination in destinations)
            {
                Console.Out.WriteLine($"destination {destination.DestinationId} ({destination.Name}): {destination.QueueArn ?? "not an SQS queue"}");
            }

            if (destinations.Count == 0)
            {
                Console.Out.WriteLine("no destinations.");
            }

            Console.Out.WriteLine(subscription is null
                ? $"{seller.Name} has no ORDER_CHANGE subscription."
                : $"{seller.Name}'s ORDER_CHANGE subscription {subscription.SubscriptionId} to destination {subscription.DestinationId}; {Filter(subscription)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var source = SourceOption();
        var destination = new Option<bool>("--destination") { Description = "Delete the subscription's destination too (other subscriptions of the application may use it)." };
        var command = new Command("remove", "Remove the seller's ORDER_CHANGE subscription (and, with --destination, its destination).") { source, destination };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = cli.Host(parse);
            var seller = SellerOf(host.Lookup, parse.GetRequiredValue(source));
            var removed = await seller.Notifications.RemoveOrderChangesAsync(parse.GetValue(destination), cancel);
            Console.Out.WriteLine(removed is null
                ? $"{seller.Name} has no ORDER_CHANGE subscription: nothing to remove."
                : $"removed {seller.Name}'s ORDER_CHANGE subscription {removed.SubscriptionId}{(parse.GetValue(destination) ? $" and destination {removed.DestinationId}" : string.Empty)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The named source, which must be a Selling Partner one: only it sends ORDER_CHANGE notifications.</summary>
    internal static SellingPartnerOrderSource SellerOf(OrderLookup lookup, string sourceName) =>
        lookup.GetSource(sourceName) as SellingPartnerOrderSource
        ?? throw new InvalidOrderRequestException($"The source '{sourceName}' is not a Selling Partner source: only Selling Partner sellers send ORDER_CHANGE notifications ({string.Join(", ", lookup.Sources.OfType<SellingPartnerOrderSource>().Select(s => s.Name).DefaultIfEmpty("none configured"))}).") { ParameterName = "--source" };

    private static string Filter(NotificationSubscription subscription) =>
        (subscription.MarketplaceIds.Count, subscription.ChangeTypes.Count) switch
        {
            (0, 0) => "every change",
            _ => $"marketplaces {(subscription.MarketplaceIds.Count == 0 ? "all" : string.Join(", ", subscription.MarketplaceIds))}, change types {(subscription.ChangeTypes.Count == 0 ? "all" : string.Join(", ", subscription.ChangeTypes))}",
        };
}
