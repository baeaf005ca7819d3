using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderHub.Emulator.SellingPartner.Reports;

/// <summary>
/// The flat file of an order report: tab-separated, a header row, then one row per order item (an order with three
/// items has three rows), with no item id and no customer-identifying data, values as the real reports write them.
/// </summary>
internal static class OrderReportFlatFile
{
    /// <summary>
    /// The columns, in the order of Amazon's documentation, with the four that real files also carry at the places they
    /// carry them (<c>number-of-items</c>, <c>tax-collection-model</c>, <c>tax-collection-responsible-party</c>,
    /// <c>address-type</c>); the by-order-date reports add <c>cpf</c> at the end.
    /// </summary>
    public static readonly string[] Columns =
    [
        "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel",
        "sales-channel", "order-channel", "ship-service-level", "product-name", "sku", "asin", "number-of-items", "item-status",
        "tax-collection-model", "tax-collection-responsible-party", "quantity", "currency", "item-price", "item-tax",
        "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
        "ship-promotion-discount", "address-type", "ship-city", "ship-state", "ship-postal-code", "ship-country",
        "promotion-ids", "is-business-order", "purchase-order-number", "price-designation",
    ];

    private static readonly IReadOnlySet<string> NoDatasets = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets the header of a report type.</summary>
    /// <param name="reportType">A served report type.</param>
    /// <returns>Its columns.</returns>
    public static IReadOnlyList<string> HeaderOf(string reportType) =>
        OrderReportTypes.ByPurchaseDate(reportType) ? [.. Columns, "cpf"] : Columns;

    /// <summary>Writes a report's flat file and compresses it with gzip.</summary>
    /// <param name="reportType">The report type.</param>
    /// <param name="orders">The orders the report holds.</param>
    /// <returns>The gzip-compressed UTF-8 document.</returns>
    public static byte[] WriteGzip(string reportType, IEnumerable<SpOrderRecord> orders)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            var header = HeaderOf(reportType);
            writer.Write(string.Join('\t', header));
            writer.Write('\n');
            foreach (var order in orders)
            {
                foreach (var row in Rows(order))
                {
                    writer.Write(string.Join('\t', header.Select(c => Clean(row.GetValueOrDefault(c, string.Empty)))));
                    writer.Write('\n');
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The rows of one order, each a column-to-value map: its items as getOrder 2026-01-01 serves them.</summary>
    /// <param name="record">The order.</param>
    /// <returns>One row per item.</returns>
    public static IEnumerable<Dictionary<string, string>> Rows(SpOrderRecord record)
    {
        var order = record.Order;
        var status = Text(order, "OrderStatus") ?? string.Empty;
        var pending = status is "Pending" or "PendingAvailability";
        var business = order["IsBusinessOrder"]?.GetValue<bool>() == true;
        var address = record.PersonalData["ShippingAddress"];
        var currency = Text(order["OrderTotal"], "CurrencyCode") ?? string.Empty;
        var items = Orders20260101View.Build(record, NoDatasets)["orderItems"]!.AsArray();
        var shipped = order["NumberOfItemsShipped"]?.GetValue<int>() ?? 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i]!;
            var product = item["product"]!;
            var quantity = item["quantityOrdered"]!.GetValue<int>();
            var unitPrice = decimal.Parse(Text(product["price"]?["unitPrice"], "amount") ?? "0", CultureInfo.InvariantCulture);
            string Money(decimal amount) => pending ? string.Empty : amount.ToString("0.00", CultureInfo.InvariantCulture);
            yield return new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["amazon-order-id"] = record.OrderId,
                ["merchant-order-id"] = Text(order, "SellerOrderId") ?? string.Empty,
                ["purchase-date"] = Date(Text(order, "PurchaseDate")),
                ["last-updated-date"] = Date(Text(order, "LastUpdateDate")),
                ["order-status"] = OrderStatus(status, Text(order, "EasyShipShipmentStatus")),
                ["fulfillment-channel"] = Text(order, "FulfillmentChannel") == "AFN" ? "Amazon" : "Merchant",
                ["sales-channel"] = Text(order, "SalesChannel") ?? string.Empty,
                ["order-channel"] = string.Empty,
                ["ship-service-level"] = Text(order, "ShipmentServiceLevelCategory") ?? string.Empty,
                ["product-name"] = Text(product, "title") ?? string.Empty,
                ["sku"] = Text(product, "sellerSku") ?? string.Empty,
                ["asin"] = Text(product, "asin") ?? string.Empty,
                ["number-of-items"] = quantity.ToString(CultureInfo.InvariantCulture),
                ["item-status"] = status == "Canceled" ? "Cancelled" : i < shipped ? "Shipped" : "Unshipped",
                ["tax-collection-model"] = "MarketplaceFacilitator",
                ["tax-collection-responsible-party"] = "Amazon Services LLC",
                ["quantity"] = quantity.ToString(CultureInfo.InvariantCulture),
                ["currency"] = currency,

                // The item's price for its whole quantity, not per unit.
                ["item-price"] = Money(unitPrice * quantity),
                ["item-tax"] = Money(0m),
                ["shipping-price"] = Money(0m),
                ["shipping-tax"] = Money(0m),
                ["gift-wrap-price"] = Money(0m),
                ["gift-wrap-tax"] = Money(0m),
                ["item-promotion-discount"] = Money(0m),
                ["ship-promotion-discount"] = Money(0m),
                ["address-type"] = Text(address, "AddressType") ?? string.Empty,
                ["ship-city"] = Text(address, "City") ?? string.Empty,
                ["ship-state"] = Text(address, "StateOrRegion") ?? string.Empty,
                ["ship-postal-code"] = Text(address, "PostalCode") ?? string.Empty,
                ["ship-country"] = Text(address, "CountryCode") ?? string.Empty,
                ["promotion-ids"] = string.Empty,
                ["is-business-order"] = business ? "true" : "false",
                ["purchase-order-number"] = business ? Text(record.PersonalData["BuyerInfo"], "PurchaseOrderNumber") ?? string.Empty : string.Empty,
                ["price-designation"] = business && Text(product["price"], "priceDesignation") == "BUSINESS_PRICE" ? "BusinessPrice" : string.Empty,
                ["cpf"] = string.Empty,
            };
        }
    }

    /// <summary>The report's <c>order-status</c> of an Orders API status: words, shipped ones with how the shipment ended.</summary>
    /// <param name="status">The Orders API v0 status.</param>
    /// <param name="easyShip">The order's Easy Ship status, which tells a delivered or returned shipment.</param>
    /// <returns>The report's value.</returns>
    public static string OrderStatus(string status, string? easyShip) => status switch
    {
        "Pending" or "PendingAvailability" => "Pending",
        "Unshipped" => "Unshipped",
        "PartiallyShipped" => "Shipping",
        "Shipped" or "InvoiceUnconfirmed" => easyShip switch
        {
            "Delivered" => "Shipped - Delivered to Buyer",
            "ReturnedToSeller" => "Shipped - Returned to Seller",
            _ => "Shipped",
        },
        "Canceled" => "Cancelled",
        _ => status,
    };

    // ISO 8601 with an offset, as the reports write dates.
    private static string Date(string? value) => value is null
        ? string.Empty
        : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    // A flat file has no quoting: a tab or a line break inside a value would end the field or the row.
    private static string Clean(string value) => value.AsSpan().IndexOfAny('\t', '\n', '\r') < 0
        ? value
        : value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    private static string? Text(JsonNode? node, string name) => node?[name]?.GetValue<string>();
}
