using System.CommandLine;
using System.Globalization;
using OrderHub.Cli.Output;
using OrderHub.Outposts;
using Spectre.Console;

namespace OrderHub.Cli.Commands;

/// <summary><c>get</c>, <c>list</c>, <c>create</c> and <c>cancel</c>.</summary>
internal static class OrderCommands
{
    private static readonly TimeSpan WaitingNoticeAfter = TimeSpan.FromSeconds(2);

    public static Command Get(CliContext cli)
    {
        var id = new Argument<string>("order-id") { Description = "The order id: 3-7-7 digits (Selling Partner) or oo- and 17 hex digits (Outposts)." };
        var source = new Option<string?>("--source") { Description = "The configured source to read from (for example sp-eu); by default recognized from the id, trying each seller in turn." };
        var command = new Command("get", "Read one order from any source.") { id, source, cli.JsonOption };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = cli.Host(parse);
            var lookup = host.Lookup;
            var orderId = parse.GetRequiredValue(id);
            var name = parse.GetValue(source);
            if (name is null)
            {
                CliContext.RequireConfiguredFor(lookup, orderId);
            }

            var candidates = name is { } named ? [lookup.GetSource(named)] : lookup.ResolveSources(orderId);
            candidates[0].OrderIdFormat.Validate(orderId, candidates[0].Name);
            var call = name is null ? lookup.GetOrderAsync(orderId, OrderReadOptions.Default, cancel) : lookup.GetOrderAsync(name, orderId, cancel);
            if (await Task.WhenAny(call, Task.Delay(WaitingNoticeAfter, cancel)) != call)
            {
                // Say what is being waited for, rather than sit silent until the call's budget runs out.
                Console.Error.WriteLine($"waiting for {string.Join(" or ", candidates.Select(c => c.Name))} to answer for order {orderId} (the call gives up after 60 s; Ctrl+C stops it)...");
            }

            var order = await call;
            Render.Order(order, parse.GetValue(cli.JsonOption));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command List(CliContext cli)
    {
        var source = new Option<string?>("--source") { Description = "The source to list (one that can list its orders, such as an Outposts source); by default the only one." };
        var outpost = new Option<string?>("--outpost") { Description = "Only the orders of this Outpost (op- id or ARN)." };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (a header line, then one order per line) instead of a table." };
        var command = new Command("list", "List the orders of a source that can enumerate them.") { source, outpost, csv, cli.JsonOption };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = cli.Host(parse);
            var enumerator = CliContext.RequireCapable<IOrderEnumerator>(host.Lookup, parse.GetValue(source), "list its orders");
            var summaries = new List<OrderSummary>();
            await foreach (var summary in enumerator.ListOrdersAsync(new OrderListQuery { AccountId = parse.GetValue(outpost) }, cancel))
            {
                if (parse.GetValue(cli.JsonOption))
                {
                    Render.Json(summary);
                }
                else
                {
                    summaries.Add(summary);
                }
            }

            if (parse.GetValue(csv))
            {
                Render.Csv(summaries);
            }
            else if (!parse.GetValue(cli.JsonOption))
            {
                AnsiConsole.Write(Render.SummaryTable(summaries));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Create(CliContext cli)
    {
        var outpost = new Option<string>("--outpost") { Description = "The Outpost (op- id or ARN).", Required = true };
        var items = new Option<string[]>("--item") { Description = "A catalog item and quantity, as OR-XXXXXXX=2; repeat for more lines.", AllowMultipleArgumentsPerToken = false };
        var quote = new Option<string?>("--quote") { Description = "Order from this quote (oq- id or ARN)." };
        var quoteOption = new Option<string?>("--quote-option") { Description = "The quote option (oqo- id)." };
        var paymentOption = new Option<string>("--payment-option") { Description = "ALL_UPFRONT, NO_UPFRONT or PARTIAL_UPFRONT.", Required = true };
        paymentOption.AcceptOnlyFromAmong("ALL_UPFRONT", "NO_UPFRONT", "PARTIAL_UPFRONT");
        var paymentTerm = new Option<string?>("--payment-term") { Description = "ONE_YEAR, THREE_YEARS or FIVE_YEARS." };
        paymentTerm.AcceptOnlyFromAmong("ONE_YEAR", "THREE_YEARS", "FIVE_YEARS");
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation." };
        var source = new Option<string?>("--source") { Description = "The Outposts source to order through; by default the only one." };
        var command = new Command("create", "Create an AWS Outposts order (it buys hardware: asks first unless --yes).") { outpost, items, quote, quoteOption, paymentOption, paymentTerm, yes, source, cli.JsonOption };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var lines = (parse.GetValue(items) ?? []).Select(ParseItem).ToArray();
            if (lines.Length > 0 && parse.GetValue(quote) is not null)
            {
                throw new InvalidOrderRequestException("Give either --item lines or --quote with --quote-option, not both.");
            }

            var request = new CreateOrderRequest
            {
                AccountId = parse.GetRequiredValue(outpost),
                Lines = lines,
                QuoteId = parse.GetValue(quote),
                QuoteOptionId = parse.GetValue(quoteOption),
                PaymentOption = parse.GetRequiredValue(paymentOption) switch
                {
                    "ALL_UPFRONT" => PaymentOption.AllUpfront,
                    "NO_UPFRONT" => PaymentOption.NoUpfront,
                    _ => PaymentOption.PartialUpfront,
                },
                PaymentTerm = parse.GetValue(paymentTerm) switch
                {
                    "ONE_YEAR" => PaymentTerm.OneYear,
                    "THREE_YEARS" => PaymentTerm.ThreeYears,
                    "FIVE_YEARS" => PaymentTerm.FiveYears,
                    _ => null,
                },
            };
            await using var host = cli.Host(parse);
            var creator = CliContext.RequireCapable<IOrderCreator>(host.Lookup, parse.GetValue(source), "create orders");
            if (creator is OutpostsOrderSource outposts)
            {
                // Refused before anyone is asked to confirm it.
                outposts.ValidateCreateOrder(request);
            }

            var what = lines.Length > 0 ? string.Join(", ", lines.Select(l => $"{l.Quantity} × {l.CatalogItemId}")) : $"quote {request.QuoteId}";
            if (!CliContext.Confirm($"Order {what} for {request.AccountId}?", parse.GetValue(yes)))
            {
                return ExitCodes.Declined;
            }

            var order = await creator.CreateOrderAsync(request, cancel);
            Render.Order(order, parse.GetValue(cli.JsonOption));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Cancel(CliContext cli)
    {
        var id = new Argument<string>("order-id") { Description = "The Outposts order id (oo- and 17 hex digits)." };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation." };
        var source = new Option<string?>("--source") { Description = "The Outposts source the order belongs to; by default the only one." };
        var command = new Command("cancel", "Cancel an AWS Outposts order.") { id, yes, source };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var orderId = parse.GetRequiredValue(id);
            KnownOrderIdFormats.OutpostsOrderId.Validate(orderId, parse.GetValue(source) ?? "outposts");
            await using var host = cli.Host(parse);
            var canceller = CliContext.RequireCapable<IOrderCanceller>(host.Lookup, parse.GetValue(source), "cancel orders");
            if (!CliContext.Confirm($"Cancel order {orderId}?", parse.GetValue(yes)))
            {
                return ExitCodes.Declined;
            }

            await canceller.CancelOrderAsync(orderId, cancel);
            Console.Out.WriteLine($"cancelled {orderId}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CreateOrderLine ParseItem(string text)
    {
        var parts = text.Split('=', 2);
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity)
            ? new CreateOrderLine(parts[0], quantity)
            : throw new InvalidOrderRequestException($"--item must be <catalog-item-id>=<quantity>, like OR-ABC1234=2; got '{text}'.");
    }
}
