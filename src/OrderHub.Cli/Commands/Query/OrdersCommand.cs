using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using OrderHub.Cli.Output;
using OrderHub.Json;
using OrderHub.Sync;
using Spectre.Console;

namespace OrderHub.Cli.Commands.Query;

/// <summary><c>orders</c> and <c>orders summary</c>: the stored copy, across sources, read through <see cref="IOrderQuery"/>.</summary>
internal static class OrdersCommand
{
    /// <summary>How many orders <c>orders</c> shows without <c>--limit</c> or <c>--all</c>.</summary>
    public const int DefaultLimit = 50;

    public static Command Create(CliContext cli)
    {
        var filters = new StoredOrderOptions();
        var sort = new Option<string>("--sort") { Description = "updated, -updated (the default: the most recently updated first), created or -created.", DefaultValueFactory = _ => "-updated" };
        sort.AcceptOnlyFromAmong("updated", "-updated", "created", "-created");
        var limit = new Option<int?>("--limit") { Description = string.Create(CultureInfo.InvariantCulture, $"At most this many orders (default {DefaultLimit}); the output says where to continue.") };
        var all = new Option<bool>("--all") { Description = "Every order the filters select, read page by page." };
        var cursor = new Option<string?>("--cursor") { Description = "Continue where an earlier listing with the same filters and sort stopped (its nextCursor)." };
        var ndjson = new Option<bool>("--ndjson") { Description = "Write one order per line, its stored public JSON as it is stored." };
        var csv = new Option<bool>("--csv") { Description = "Write CSV: a header, then one row per order line (the order's columns repeated)." };
        var command = new Command("orders", "List the orders stored by sync, across sources: filtered, sorted, as a table, JSON, NDJSON or CSV.")
        {
            sort, limit, all, cursor, cli.JsonOption, ndjson, csv, Summary(cli),
        };
        filters.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(limit) is not null && result.GetValue(all))
            {
                result.AddError("Give either --limit <n> or --all, not both.");
            }
            else if (result.GetValue(limit) is < 1)
            {
                result.AddError("--limit must be at least 1 (or give --all for every order).");
            }

            if (new[] { result.GetValue(cli.JsonOption), result.GetValue(ndjson), result.GetValue(csv) }.Count(f => f) > 1)
            {
                result.AddError("Give one of --json, --ndjson or --csv.");
            }
        });
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var query = new OrderQuery
            {
                Filter = filters.Filter(parse, TimeProvider.System.GetUtcNow()),
                Sort = ParseSort(parse.GetRequiredValue(sort)),
                Cursor = parse.GetValue(cursor),
            };
            query.Validate(); // a cursor of another query is refused before the database is opened
            var format = parse.GetValue(cli.JsonOption) ? ListFormat.Json : parse.GetValue(ndjson) ? ListFormat.Ndjson : parse.GetValue(csv) ? ListFormat.Csv : ListFormat.Table;
            int? count = parse.GetValue(all) ? null : parse.GetValue(limit) ?? DefaultLimit;
            await using var host = await filters.HostAsync(cli, parse);
            using var output = Console.OpenStandardOutput();
            var next = await WriteAsync(StoredOrderOptions.Query(host), query, count, format, output, AnsiConsole.Console, cancel);
            if (next is not null && format is ListFormat.Table)
            {
                Console.Error.WriteLine($"more orders follow: --all for every one, or --cursor {next} for the next ones.");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    internal enum ListFormat
    {
        Table,
        Json,
        Ndjson,
        Csv,
    }

    internal static OrderSort ParseSort(string text) => text switch
    {
        "updated" => OrderSort.LastUpdatedAscending,
        "-updated" => OrderSort.LastUpdatedDescending,
        "created" => OrderSort.CreatedAscending,
        "-created" => OrderSort.CreatedDescending,
        _ => throw new InvalidOrderRequestException($"--sort '{text}' is not a sort; expected updated, -updated, created or -created.") { ParameterName = "--sort" },
    };

    /// <summary>
    /// Reads up to <paramref name="limit"/> orders (every one when <see langword="null"/>) a page at a time and writes
    /// them as they come, except the table, which needs every row to size its columns.
    /// </summary>
    /// <returns>The cursor after the last order written, or <see langword="null"/> when none follows.</returns>
    internal static async Task<string?> WriteAsync(IOrderQuery store, OrderQuery query, int? limit, ListFormat format, Stream output, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var csv = format is ListFormat.Csv ? CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true) : null;
        await using var json = format is ListFormat.Json ? new Utf8JsonWriter(output) : null;
        var table = format is ListFormat.Table ? OrdersTable() : null;
        json?.WriteStartObject();
        json?.WriteStartArray("orders");
        if (csv is not null)
        {
            OrderLineRows.WriteHeader(csv);
        }

        var remaining = limit;
        string? next = null;
        var page = query;
        do
        {
            var read = await store.QueryAsync(page with { PageSize = Math.Min(remaining ?? OrderQuery.MaxPageSize, OrderQuery.MaxPageSize) }, cancellationToken);
            for (var i = 0; i < read.Items.Count; i++)
            {
                switch (format)
                {
                    case ListFormat.Json:
                        json!.WriteRawValue(read.Items[i].PublicJson, skipInputValidation: true);
                        break;
                    case ListFormat.Ndjson:
                        await output.WriteAsync(read.Items[i].PublicJson, cancellationToken);
                        output.WriteByte((byte)'\n');
                        break;
                    case ListFormat.Csv:
                        OrderLineRows.WriteRows(csv!, read.Orders[i]);
                        break;
                    default:
                        AddRow(table!, read.Orders[i]);
                        break;
                }
            }

            if (json is not null)
            {
                await json.FlushAsync(cancellationToken);
            }

            remaining -= read.Items.Count;
            next = read.NextCursor;
            page = page with { Cursor = next };
        }
        while (next is not null && remaining is null or > 0);

        if (json is not null)
        {
            json.WriteEndArray();
            json.WriteString("nextCursor", next);
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
            output.WriteByte((byte)'\n');
        }

        if (csv is not null)
        {
            await csv.FlushAsync(cancellationToken);
        }

        if (table is not null)
        {
            console.Write(table);
        }

        await output.FlushAsync(cancellationToken);
        return next;
    }

    private static Table OrdersTable() => new Table().Border(TableBorder.Rounded)
        .AddColumn(new TableColumn("Source").NoWrap())
        .AddColumn(new TableColumn("Order id").NoWrap())
        .AddColumn(new TableColumn("Account").NoWrap())
        .AddColumns("Status", "Created", "Updated", "Total", "Lines");

    private static void AddRow(Table table, Order order) => table.AddRow(
        Markup.Escape(order.Source),
        Markup.Escape(order.OrderId),
        Markup.Escape(order.AccountId ?? string.Empty),
        Markup.Escape($"{order.Status.Value} ({order.Status.Raw})"),
        Markup.Escape(order.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty),
        Markup.Escape(order.LastUpdatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty),
        Markup.Escape(order.Total?.ToString() ?? string.Empty),
        order.Lines.Count.ToString(CultureInfo.InvariantCulture));

    private static Command Summary(CliContext cli)
    {
        var filters = new StoredOrderOptions();
        var by = new Option<string[]>("--by") { Description = "What to group by: any of source, account, status, and day or month (of creation), separated by commas; none for one total." };
        var command = new Command("summary", "Count the stored orders and total them per currency (never summed across currencies), by group.") { by, cli.JsonOption };
        filters.AddTo(command);
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var filter = filters.Filter(parse, TimeProvider.System.GetUtcNow());
            var groupBy = ParseGrouping(parse.GetValue(by) ?? []);
            await using var host = await filters.HostAsync(cli, parse);
            await WriteSummaryAsync(StoredOrderOptions.Query(host), filter, groupBy, parse.GetValue(cli.JsonOption), Console.Out, AnsiConsole.Console, cancel);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>Writes the summary: one JSON document, or a table with a column per grouping.</summary>
    internal static async Task WriteSummaryAsync(IOrderQuery store, OrderFilter filter, OrderGrouping groupBy, bool json, TextWriter output, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var groups = await store.SummarizeAsync(filter, groupBy, cancellationToken);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new SummaryDocument(groups), OrderJson.Options));
        }
        else
        {
            console.Write(SummaryTable(groups, groupBy));
        }
    }

    /// <summary>The JSON of <c>orders summary --json</c>: the groups, members not grouped by left out.</summary>
    internal sealed record SummaryDocument(IReadOnlyList<OrderGroupSummary> Groups);

    internal static OrderGrouping ParseGrouping(IEnumerable<string> values)
    {
        var grouping = OrderGrouping.None;
        foreach (var value in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)))
        {
            grouping |= value.ToLowerInvariant() switch
            {
                "source" => OrderGrouping.Source,
                "account" => OrderGrouping.Account,
                "status" => OrderGrouping.Status,
                "day" => OrderGrouping.CreatedDay,
                "month" => OrderGrouping.CreatedMonth,
                _ => throw new InvalidOrderRequestException($"--by '{value}' is not a grouping; expected any of source, account, status, and day or month, separated by commas.") { ParameterName = "--by" },
            };
        }

        if (grouping.HasFlag(OrderGrouping.CreatedDay) && grouping.HasFlag(OrderGrouping.CreatedMonth))
        {
            throw new InvalidOrderRequestException("--by takes day or month, not both.") { ParameterName = "--by" };
        }

        return grouping;
    }

    private static Table SummaryTable(IReadOnlyList<OrderGroupSummary> groups, OrderGrouping groupBy)
    {
        var columns = new List<(string Name, Func<OrderGroupSummary, string?> Value)>();
        if (groupBy.HasFlag(OrderGrouping.Source))
        {
            columns.Add(("Source", g => g.Source));
        }

        if (groupBy.HasFlag(OrderGrouping.Account))
        {
            columns.Add(("Account", g => g.AccountId));
        }

        if (groupBy.HasFlag(OrderGrouping.Status))
        {
            columns.Add(("Status", g => g.Status?.ToString()));
        }

        if (groupBy.HasFlag(OrderGrouping.CreatedDay) || groupBy.HasFlag(OrderGrouping.CreatedMonth))
        {
            var format = groupBy.HasFlag(OrderGrouping.CreatedMonth) ? "yyyy-MM" : "yyyy-MM-dd";
            columns.Add(("Created", g => g.CreatedOn?.ToString(format, CultureInfo.InvariantCulture)));
        }

        columns.Add(("Orders", g => g.Count.ToString(CultureInfo.InvariantCulture)));
        columns.Add(("Totals", g => string.Join(", ", g.Totals.Select(t => t.ToString()))));
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (name, _) in columns)
        {
            table.AddColumn(new TableColumn(name).NoWrap());
        }

        foreach (var group in groups)
        {
            table.AddRow([.. columns.Select(c => Markup.Escape(c.Value(group) ?? string.Empty))]);
        }

        return table;
    }
}
