using System.Globalization;
using System.Text;
using OrderHub.Json;
using OrderHub.SellingPartner;
using Spectre.Console;

namespace OrderHub.Cli.Output;

/// <summary>How the CLI shows orders: tables for people, the unified JSON for scripts.</summary>
internal static class Render
{
    public static void Order(Order order, bool json)
    {
        if (json)
        {
            Json(order);
        }
        else
        {
            Table(order);
        }
    }

    public static void Json(Order order) => Console.Out.WriteLine(Encoding.UTF8.GetString(OrderJson.SerializeToUtf8Bytes(order, indented: true)));

    public static void Json(OrderSummary summary) => Console.Out.WriteLine(Encoding.UTF8.GetString(OrderJson.SerializeToUtf8Bytes(summary)));

    public static void Table(Order order)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("Field").NoWrap()).AddColumn("Value");
        void Row(string name, object? value)
        {
            if (value is not null)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
            }
        }

        Row("Source", order.Source);
        Row("Order id", order.OrderId);
        Row("Seller order id", order.SellerOrderId);
        Row("Account", order.AccountId);
        Row("Status", $"{order.Status.Value} ({order.Status.Raw})");
        Row("Type", order.Type is { } type ? $"{type.Value} ({type.Raw})" : null);
        Row("Created", order.CreatedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("Last updated", order.LastUpdatedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("Fulfilled", order.FulfilledAt?.ToString("u", CultureInfo.InvariantCulture));
        Row("Total", order.Total);
        Row("Payment", order.Payment is { } p ? string.Join(", ", new[] { p.Option?.Raw, p.Term?.Raw, p.Method?.Raw }.Where(x => x is not null)) : null);
        Row("Ship service", order.Shipping?.ServiceLevel);
        Row("Replaces order", order.ReplacesOrderId);
        Row("Quote", order.QuoteId is null ? null : $"{order.QuoteId} / {order.QuoteOptionId}");

        // Present only when asked for (get --personal-data): the order reads without them otherwise.
        Row("Ship to", order.Shipping?.Address is { } address ? Joined(address.Name, address.CompanyName, address.AddressLine1, address.AddressLine2, address.AddressLine3, address.City, address.StateOrRegion, address.PostalCode, address.CountryCode) : null);
        Row("Buyer", order.GetProviderDetails<SellingPartnerOrderDetails>()?.Buyer is { } buyer ? Joined(buyer.Name, buyer.Email, buyer.CompanyLegalName) : null);
        Row("Personal data", order.PersonalDataWithheld is { } withheld ? $"withheld ({withheld.Reason}): {withheld.Detail}" : null);
        foreach (var (line, i) in order.Lines.Select((l, i) => (l, i)))
        {
            Row($"Line {i + 1}", $"{line.CatalogItemId ?? line.Sku} × {line.Quantity} — {line.Status?.Raw}{(line.Shipment is { } s ? $" — {s.Carrier?.Raw} {s.TrackingNumber}" : string.Empty)}");
        }

        AnsiConsole.Write(table);
    }

    private static string? Joined(params string?[] parts) =>
        parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray() is { Length: > 0 } given ? string.Join(", ", given) : null;

    public static Table SummaryTable(IEnumerable<OrderSummary> summaries)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn(new TableColumn("Order id").NoWrap())
            .AddColumn(new TableColumn("Account").NoWrap())
            .AddColumns("Status", "Type", "Submitted", "Lines by status");
        foreach (var s in summaries)
        {
            table.AddRow(
                Markup.Escape(s.OrderId),
                Markup.Escape(s.AccountId ?? string.Empty),
                Markup.Escape($"{s.Status.Value} ({s.Status.Raw})"),
                Markup.Escape(s.Type?.Raw ?? string.Empty),
                Markup.Escape(s.CreatedAt?.ToString("u", CultureInfo.InvariantCulture) ?? string.Empty),
                Markup.Escape(string.Join(", ", s.LineCountsByStatus.Select(kv => $"{kv.Key}: {kv.Value}"))));
        }

        return table;
    }

    /// <summary>Writes order summaries as CSV (RFC 4180), a header line first.</summary>
    public static void Csv(IEnumerable<OrderSummary> summaries)
    {
        // Through the CSV library, as every CSV OrderHub writes: quoting is never hand-made.
        using var output = Console.OpenStandardOutput();
        using var csv = CsvHelper.CsvWriter.Create(output, CsvHelper.CsvWriterOptions.Default, leaveOpen: true);
        foreach (var name in (string[])["source", "orderId", "accountId", "status", "statusRaw", "type", "createdAt"])
        {
            csv.WriteField(name);
        }

        csv.EndRecord();
        foreach (var s in summaries)
        {
            foreach (var field in (string?[])[
                s.Source, s.OrderId, s.AccountId, s.Status.Value.ToString(), s.Status.Raw, s.Type?.Raw,
                s.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)])
            {
                csv.WriteField(field ?? string.Empty);
            }

            csv.EndRecord();
        }
    }

    public static void Error(Exception error)
    {
        var details = error switch
        {
            OrderHubException { RequestId: { } requestId } => $" (request id {requestId})",
            InvalidDataException { InnerException: { } cause } => $" {cause.Message}",
            _ => string.Empty,
        };
        Console.Error.WriteLine($"error: {error.Message}{details}");
    }
}
