using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CsvHelper;
using OrderHub.Providers;
using OrderHub.SellingPartner.Mapping;

namespace OrderHub.SellingPartner.Reports;

/// <summary>
/// Reads an order report's flat file (tab-separated, a header row, then one row per order item) into partial orders,
/// streaming: a row is read, kept only until its order is complete, and dropped, so memory stays flat whatever the
/// file's size. Columns are found by their header names, so new or reordered columns change nothing; each order's rows
/// are its raw payload, every column kept. The rows of one order are consecutive in the file; an order id that comes
/// back after another order's rows is read as a second order with the same id (nothing of earlier orders is kept).
/// A row without an order id or with a malformed date is skipped and counted in <see cref="Summary"/>; an amount, a
/// quantity or a flag that cannot be read is left out and counted; an unknown status keeps its words. Nothing read
/// throws but a document that is not an order report at all.
/// </summary>
internal sealed class OrderReportReader
{
    private static readonly JsonWriterOptions RawJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>The longest row read, in bytes.</summary>
    public const int MaxRowBytes = 1024 * 1024;

    private readonly string _sourceName;

    /// <summary>Initializes a new instance of the <see cref="OrderReportReader"/> class.</summary>
    /// <param name="sourceName">The name the orders are read for (<see cref="Order.Source"/>).</param>
    public OrderReportReader(string sourceName) => _sourceName = sourceName;

    /// <summary>Gets what the reading so far met: rows, orders, and the rows skipped and values left out, by cause.</summary>
    public OrderReportSummary Summary { get; } = new();

    /// <summary>Reads the orders of a flat file.</summary>
    /// <param name="document">The document, decompressed; it is read once, forward, and disposed.</param>
    /// <param name="encoding">The document's encoding; <see langword="null"/> for UTF-8 (a byte order mark is honoured).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The orders, in the file's order.</returns>
    /// <exception cref="ReportDocumentException">The document is not an order report (no <c>amazon-order-id</c> or <c>purchase-date</c> column).</exception>
    public async IAsyncEnumerable<Order> ReadAsync(Stream document, Encoding? encoding, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var options = new CsvReaderOptions
        {
            Separator = '\t',

            // A flat file has no quoting: a quote in a product name is text.
            Mode = CsvMode.NoEscape,

            // A value never reaches an exception's message: it may be customer data.
            IncludeValuesInExceptions = false,
            PoolStrings = true,
            Encoding = encoding,

            // A row is a few hundred bytes: a "row" of a megabyte is not a report, and is not buffered further.
            MaxRecordSize = MaxRowBytes,
        };
        var csv = CsvReader.Create(document, options, leaveOpen: false);
        await using (csv.ConfigureAwait(false))
        {
            await csv.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            var header = csv.Headers;
            var columns = OrderReportColumns.Resolve(csv);
            if (columns.OrderId < 0 || columns.PurchaseDate < 0)
            {
                throw new ReportDocumentException(
                    string.Create(CultureInfo.InvariantCulture, $"its header ({header.Count} columns) has no {(columns.OrderId < 0 ? OrderReportColumns.AmazonOrderId : OrderReportColumns.PurchaseDateName)} column, so it is not an order report"));
            }

            var names = header.Select(h => JsonEncodedText.Encode(h, RawJson.Encoder)).ToArray();
            var raw = new ArrayBufferWriter<byte>(16 * 1024);
            var json = new Utf8JsonWriter(raw, RawJson);
            await using (json.ConfigureAwait(false))
            {
                var group = new OrderRows();
                while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    Summary.Rows++;
                    var orderId = Text(csv, columns.OrderId);
                    if (orderId is null)
                    {
                        Summary.Skip(OrderReportSkip.NoOrderId, csv.RowNumber);
                        continue;
                    }

                    if (!ProviderTimestamp.TryParseIso8601(Text(csv, columns.PurchaseDate), out var purchased)
                        || (Text(csv, columns.LastUpdatedDate) is { } updatedText && !ProviderTimestamp.TryParseIso8601(updatedText, out _)))
                    {
                        Summary.Skip(OrderReportSkip.MalformedDate, csv.RowNumber);
                        continue;
                    }

                    if (group.OrderId is not null && !string.Equals(group.OrderId, orderId, StringComparison.Ordinal))
                    {
                        yield return Complete(group, raw, json);
                    }

                    if (group.OrderId is null)
                    {
                        group.Start(orderId, purchased);
                        json.WriteStartArray();
                    }

                    WriteRaw(csv, names, json);
                    group.Rows.Add(ReadRow(csv, columns));
                }

                if (group.OrderId is not null)
                {
                    yield return Complete(group, raw, json);
                }
            }
        }
    }

    private Order Complete(OrderRows group, ArrayBufferWriter<byte> raw, Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.Flush();
        var payload = new RawPayload(raw.WrittenSpan.ToArray());
        raw.ResetWrittenCount();
        json.Reset(raw);
        var order = Map(group, payload);
        group.Clear();
        Summary.Orders++;
        return order;
    }

    // Every column of the header, as sent (empty values too). A value that is not UTF-8 goes through the reader's
    // decoding, which replaces what it cannot read.
    private static void WriteRaw(CsvReader csv, JsonEncodedText[] names, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        for (var i = 0; i < names.Length; i++)
        {
            json.WritePropertyName(names[i]);
            var value = csv.GetSpan(i);
            if (Utf8.IsValid(value))
            {
                json.WriteStringValue(value);
            }
            else
            {
                json.WriteStringValue(csv.GetString(i));
            }
        }

        json.WriteEndObject();
    }

    private ReportRow ReadRow(CsvReader csv, OrderReportColumns c)
    {
        var currency = Text(csv, c.Currency);
        return new ReportRow
        {
            SellerOrderId = Text(csv, c.MerchantOrderId),
            LastUpdated = ProviderTimestamp.TryParseIso8601(Text(csv, c.LastUpdatedDate), out var updated) ? updated : null,
            OrderStatus = Text(csv, c.OrderStatus),
            FulfillmentChannel = Text(csv, c.FulfillmentChannel),
            SalesChannel = Text(csv, c.SalesChannel),
            OrderChannel = Text(csv, c.OrderChannel),
            ShipServiceLevel = Text(csv, c.ShipServiceLevel),
            ProductName = Text(csv, c.ProductName),
            Sku = Text(csv, c.Sku),
            Asin = Text(csv, c.Asin),
            ItemStatus = Text(csv, c.ItemStatus),
            Quantity = Int(csv, c.Quantity),
            Currency = currency,
            Item = new SellingPartnerReportItem
            {
                ItemPrice = Amount(csv, c.ItemPrice, currency),
                ItemTax = Amount(csv, c.ItemTax, currency),
                ShippingPrice = Amount(csv, c.ShippingPrice, currency),
                ShippingTax = Amount(csv, c.ShippingTax, currency),
                GiftWrapPrice = Amount(csv, c.GiftWrapPrice, currency),
                GiftWrapTax = Amount(csv, c.GiftWrapTax, currency),
                ItemPromotionDiscount = Amount(csv, c.ItemPromotionDiscount, currency),
                ShipPromotionDiscount = Amount(csv, c.ShipPromotionDiscount, currency),
                PromotionIds = Text(csv, c.PromotionIds) is { } promotions
                    ? promotions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [],
                PriceDesignation = Text(csv, c.PriceDesignation),
                NumberOfItems = Int(csv, c.NumberOfItems),
                TaxCollectionModel = Text(csv, c.TaxCollectionModel),
                TaxCollectionResponsibleParty = Text(csv, c.TaxCollectionResponsibleParty),
            },
            IsBusinessOrder = Bool(csv, c.IsBusinessOrder),
            PurchaseOrderNumber = Text(csv, c.PurchaseOrderNumber),
            AddressType = Text(csv, c.AddressType),
            City = Text(csv, c.ShipCity),
            State = Text(csv, c.ShipState),
            PostalCode = Text(csv, c.ShipPostalCode),
            Country = Text(csv, c.ShipCountry),
        };
    }

    private Order Map(OrderRows group, RawPayload payload)
    {
        var first = group.Rows[0];
        var lastUpdated = group.Rows.Max(r => r.LastUpdated);
        var address = first.City ?? first.State ?? first.PostalCode ?? first.Country ?? first.AddressType;
        return new Order
        {
            Source = _sourceName,
            OrderId = group.OrderId!,
            SellerOrderId = first.SellerOrderId,
            Status = first.OrderStatus is { } status ? SellingPartnerValueMaps.ReportStatus(status) : new(OrderStatus.Unknown, string.Empty),
            CreatedAt = group.PurchaseDate,
            LastUpdatedAt = lastUpdated,
            Lines = [.. group.Rows.Select(MapLine)],
            Shipping = first.ShipServiceLevel is null && address is null
                ? null
                : new OrderShipping
                {
                    ServiceLevelCategory = first.ShipServiceLevel,

                    // What getOrder gives without a restricted data token: no name, no street, no phone. An address
                    // is personal data to the model as a whole, so WithoutPersonalData removes this too.
                    Address = address is null
                        ? null
                        : new PostalAddress
                        {
                            City = first.City,
                            StateOrRegion = first.State,
                            PostalCode = first.PostalCode,
                            CountryCode = first.Country,
                            AddressType = SellingPartnerValueMaps.AddressType.MapOptional(first.AddressType),
                        },
                },
            ProviderDetails = new SellingPartnerOrderDetails
            {
                ApiVersion = SellingPartnerOrderReports.ApiVersion,
                FulfillmentChannel = SellingPartnerValueMaps.FulfillmentChannel.MapOptional(first.FulfillmentChannel),
                SalesChannel = first.SalesChannel,
                OrderChannel = first.OrderChannel,
                IsBusinessOrder = first.IsBusinessOrder,
                Buyer = first.PurchaseOrderNumber is { } purchaseOrder ? new BuyerInfo { PurchaseOrderNumber = purchaseOrder } : null,
                ReportItems = [.. group.Rows.Select(r => r.Item)],
            },
            RawPayload = payload,
            Completeness = OrderCompleteness.Partial,
        };
    }

    private static OrderLine MapLine(ReportRow row) => new()
    {
        CatalogItemId = row.Asin,
        Sku = row.Sku,
        Title = row.ProductName,
        Quantity = row.Quantity,
        Status = SellingPartnerValueMaps.ReportItemStatus.MapOptional(row.ItemStatus),
        Price = UnitPrice(row.Item.ItemPrice, row.Quantity),
    };

    // A line's price is a unit price, as getOrder gives it; the report gives the price of the whole quantity. The
    // unit price is kept only when it divides exactly: the report's own amount is in ReportItems either way.
    private static Money? UnitPrice(Money? total, int? quantity)
    {
        if (total is not { } price || quantity is not > 0)
        {
            return null;
        }

        var unit = price.Amount / quantity.Value;
        return unit * quantity.Value == price.Amount ? price with { Amount = unit } : null;
    }

    private static string? Text(CsvReader csv, int index) => index < 0 || csv.IsEmpty(index) ? null : csv.GetString(index);

    private Money? Amount(CsvReader csv, int index, string? currency)
    {
        var text = Text(csv, index);
        if (text is null)
        {
            return null;
        }

        if (Money.TryParseAmount(text, out var amount))
        {
            return new Money(amount, currency);
        }

        Summary.LeaveOut(csv, index);
        return null;
    }

    private int? Int(CsvReader csv, int index)
    {
        var text = Text(csv, index);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Summary.LeaveOut(csv, index);
        return null;
    }

    private bool? Bool(CsvReader csv, int index)
    {
        var text = Text(csv, index);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text.Trim(), out var value))
        {
            return value;
        }

        Summary.LeaveOut(csv, index);
        return null;
    }

    // The rows of the order being read.
    private sealed class OrderRows
    {
        public string? OrderId { get; private set; }

        public DateTimeOffset PurchaseDate { get; private set; }

        public List<ReportRow> Rows { get; } = [];

        public void Start(string orderId, DateTimeOffset purchaseDate)
        {
            OrderId = orderId;
            PurchaseDate = purchaseDate;
        }

        public void Clear()
        {
            OrderId = null;
            Rows.Clear();
        }
    }

    private sealed record ReportRow
    {
        public string? SellerOrderId { get; init; }

        public DateTimeOffset? LastUpdated { get; init; }

        public string? OrderStatus { get; init; }

        public string? FulfillmentChannel { get; init; }

        public string? SalesChannel { get; init; }

        public string? OrderChannel { get; init; }

        public string? ShipServiceLevel { get; init; }

        public string? ProductName { get; init; }

        public string? Sku { get; init; }

        public string? Asin { get; init; }

        public string? ItemStatus { get; init; }

        public int? Quantity { get; init; }

        public string? Currency { get; init; }

        public required SellingPartnerReportItem Item { get; init; }

        public bool? IsBusinessOrder { get; init; }

        public string? PurchaseOrderNumber { get; init; }

        public string? AddressType { get; init; }

        public string? City { get; init; }

        public string? State { get; init; }

        public string? PostalCode { get; init; }

        public string? Country { get; init; }
    }
}
