using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Cli.Output;
using OrderHub.Outposts;
using OrderHub.SellingPartner;
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
        var personalData = new Option<bool>("--personal-data") { Description = "Also read the buyer and the shipping address, which a source gives only when asked (Selling Partner: for an application Amazon approved for them, and only in the statuses that release them). Written to standard output only." };
        var command = new Command("get", "Read one order from any source.") { id, source, personalData, cli.JsonOption };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = cli.Host(parse);
            var lookup = host.Lookup;
            var orderId = parse.GetRequiredValue(id);
            var name = parse.GetValue(source);

            // The lookup routes the id, and the source checks it, before a byte is sent.
            var options = parse.GetValue(personalData) ? new OrderReadOptions { IncludePersonalData = true } : OrderReadOptions.Default;
            var call = name is null ? lookup.GetOrderAsync(orderId, options, cancel) : lookup.GetOrderAsync(name, orderId, options, cancel);
            if (await Task.WhenAny(call, Task.Delay(WaitingNoticeAfter, cancel)) != call)
            {
                // Say what is being waited for, rather than sit silent until the call's budget runs out. The call is
                // under way, so the id was routed: naming its sources again cannot fail.
                var candidates = name is null ? lookup.ResolveSources(orderId) : [lookup.GetSource(name)];
                Console.Error.WriteLine($"waiting for {string.Join(" or ", candidates.Select(c => c.Name))} to answer for order {orderId} ({DescribeBudget(host.Services, candidates)}Ctrl+C stops it)...");
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
            await using var host = cli.Host(parse);
            var canceller = CliContext.RequireCapable<IOrderCanceller>(host.Lookup, parse.GetValue(source), "cancel orders");

            // Refused before anyone is asked to confirm it.
            canceller.OrderIdFormat.Validate(orderId, canceller.Name);
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

    // How long the call may take: each source's own budget (CallTimeout), as configured.
    private static string DescribeBudget(IServiceProvider services, IReadOnlyList<IOrderSource> sources)
    {
        var budgets = sources
            .Select(s => (s.Name, Budget: s switch
            {
                SellingPartnerOrderSource => services.GetRequiredService<IOptionsMonitor<SellingPartnerOrderSourceOptions>>().Get(s.Name).CallTimeout,
                OutpostsOrderSource => services.GetRequiredService<IOptionsMonitor<OutpostsOrderSourceOptions>>().Get(s.Name).CallTimeout,
                _ => (TimeSpan?)null,
            }))
            .Where(b => b.Budget is not null)
            .ToArray();
        static string Seconds(TimeSpan? value) => string.Create(CultureInfo.InvariantCulture, $"{value!.Value.TotalSeconds:0.#} s");
        return budgets.Select(b => b.Budget).Distinct().Count() switch
        {
            0 => string.Empty,
            1 => $"the call gives up after {Seconds(budgets[0].Budget)}; ",
            _ => $"the calls give up after {string.Join(", ", budgets.Select(b => $"{Seconds(b.Budget)} ({b.Name})"))}; ",
        };
    }

    private static CreateOrderLine ParseItem(string text)
    {
        var parts = text.Split('=', 2);
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var quantity)
            ? new CreateOrderLine(parts[0], quantity)
            : throw new InvalidOrderRequestException($"--item must be <catalog-item-id>=<quantity>, like OR-ABC1234=2; got '{text}'.");
    }
}
