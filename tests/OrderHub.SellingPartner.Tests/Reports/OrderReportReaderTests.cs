using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using OrderHub.SellingPartner.Reports;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Reports;

/// <summary>The order report's flat file read into partial orders, against hand-written reports.</summary>
public sealed class OrderReportReaderTests
{
    // Columns out of the documented order, one Amazon may add ("delivery-window") and the by-order-date "cpf"; an order
    // with one item listed twice, a pending order without prices, an order with a status no table knows, a row without
    // an order id and one with a malformed date, and an order that comes back after another's rows.
    private const string Report =
        "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tis-business-order\tpurchase-order-number\tprice-designation\tdelivery-window\tcpf\n"
        + "028-1111111-0000001\tM-1\t2026-03-01T10:00:00+01:00\t2026-03-02T08:00:00+00:00\tShipped - Delivered to Buyer\tAmazon\tAmazon.de\t\tStandard\tKaffee \"Espresso\" 1kg\tSKU-A\tB000000001\tShipped\t3\tEUR\t59.97\t9.57\t4.99\t0.95\t\t\t-5.00\t\tBerlin\tBE\t10115\tDE\tPROMO-1, PROMO-2\tfalse\t\t\tmorning\t\n"
        + "028-1111111-0000001\tM-1\t2026-03-01T10:00:00+01:00\t2026-03-02T09:30:00+00:00\tShipped - Delivered to Buyer\tAmazon\tAmazon.de\t\tStandard\tKaffee \"Espresso\" 1kg\tSKU-A\tB000000001\tShipped\t3\tEUR\t59.97\t9.57\t4.99\t0.95\t\t\t-5.00\t\tBerlin\tBE\t10115\tDE\tPROMO-1, PROMO-2\tfalse\t\t\tmorning\t\n"
        + "028-1111111-0000002\t\t2026-03-01T11:00:00+00:00\t2026-03-01T11:00:00+00:00\tPending\tMerchant\tAmazon.de\t\tExpedited\tTee\tSKU-B\tB000000002\tUnshipped\t1\tEUR\t\t\t\t\t\t\t\t\t\t\t\t\t\ttrue\tPO-77\tBusinessPrice\t\t\n"
        + "\tM-9\t2026-03-01T12:00:00+00:00\t2026-03-01T12:00:00+00:00\tShipped\tAmazon\tAmazon.de\t\tStandard\tLost\tSKU-X\tB000000009\tShipped\t1\tEUR\t1.00\t\t\t\t\t\t\t\t\t\t\t\t\tfalse\t\t\t\t\n"
        + "028-1111111-0000003\t\tyesterday\t2026-03-01T12:00:00+00:00\tShipped\tAmazon\tAmazon.de\t\tStandard\tBad date\tSKU-Y\tB000000010\tShipped\t1\tEUR\t1.00\t\t\t\t\t\t\t\t\t\t\t\t\tfalse\t\t\t\t\n"
        + "028-1111111-0000004\t\t2026-03-01T13:00:00+00:00\t2026-03-01T13:00:00+00:00\tTeleported\tAmazon\tAmazon.de\t\tStandard\tMug\tSKU-C\tB000000003\tBeamed\tthree\tEUR\t10.00\tabc\t\t\t\t\t\t\t\t\t\t\t\tmaybe\t\t\t\t\n"
        + "028-1111111-0000001\tM-1\t2026-03-01T10:00:00+01:00\t2026-03-02T10:00:00+00:00\tShipped - Delivered to Buyer\tAmazon\tAmazon.de\t\tStandard\tFilter\tSKU-D\tB000000004\tShipped\t3\tEUR\t10.00\t\t\t\t\t\t\t\t\t\t\t\t\tfalse\t\t\t\t\n";

    private static async Task<(List<Order> Orders, OrderReportSummary Summary)> ReadAsync(string text)
    {
        var reader = new OrderReportReader("sp-eu");
        var orders = new List<Order>();
        await foreach (var order in reader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), encoding: null))
        {
            orders.Add(order);
        }

        return (orders, reader.Summary);
    }

    [Fact]
    public async Task ReadAsync_ConsecutiveRowsOfOneOrder_AreOneOrder_AndARepeatedRowIsASecondLine()
    {
        var (orders, _) = await ReadAsync(Report);

        orders.Select(o => o.OrderId).ShouldBe(["028-1111111-0000001", "028-1111111-0000002", "028-1111111-0000004", "028-1111111-0000001"]);
        var first = orders[0];
        first.Lines.Count.ShouldBe(2, "the flat file has no item id: the same item listed twice is two lines");
        first.Lines.ShouldAllBe(l => l.Sku == "SKU-A" && l.CatalogItemId == "B000000001" && l.Title == "Kaffee \"Espresso\" 1kg" && l.Quantity == 3 && l.LineId == null);
        first.SellerOrderId.ShouldBe("M-1");
        first.CreatedAt.ShouldBe(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        first.LastUpdatedAt.ShouldBe(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero), "the latest update of the order's rows");
        first.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Delivered, "Shipped - Delivered to Buyer"));
        first.Completeness.ShouldBe(OrderCompleteness.Partial);
        first.AccountId.ShouldBeNull("a report names the site, not the marketplace id");
        first.Total.ShouldBeNull("a report has no order total");
    }

    [Fact]
    public async Task ReadAsync_AnOrderIdThatComesBackLater_IsReadAsASecondOrderWithTheSameId()
    {
        var (orders, summary) = await ReadAsync(Report);

        var again = orders[3];
        again.OrderId.ShouldBe(orders[0].OrderId);
        again.Lines.ShouldHaveSingleItem().Sku.ShouldBe("SKU-D");
        summary.Orders.ShouldBe(4);
    }

    [Fact]
    public async Task ReadAsync_MapsChannelsPricesAndAddress_InTheRowsCurrency()
    {
        var (orders, _) = await ReadAsync(Report);

        var first = orders[0];
        var details = first.GetProviderDetails<SellingPartnerOrderDetails>().ShouldNotBeNull();
        details.ApiVersion.ShouldBe(SellingPartnerOrderReports.ApiVersion);
        details.FulfillmentChannel.ShouldBe(new ProviderValue<FulfillmentChannel>(FulfillmentChannel.Amazon, "Amazon"));
        details.SalesChannel.ShouldBe("Amazon.de");
        details.OrderChannel.ShouldBeNull();
        details.IsBusinessOrder.ShouldBe(false);
        var item = details.ReportItems[0];
        item.ItemPrice.ShouldBe(new Money(59.97m, "EUR"));
        item.ItemTax.ShouldBe(new Money(9.57m, "EUR"));
        item.ShippingPrice.ShouldBe(new Money(4.99m, "EUR"));
        item.ShippingTax.ShouldBe(new Money(0.95m, "EUR"));
        item.GiftWrapPrice.ShouldBeNull();
        item.ItemPromotionDiscount.ShouldBe(new Money(-5.00m, "EUR"));
        item.PromotionIds.ShouldBe(["PROMO-1", "PROMO-2"]);
        first.Lines[0].Price.ShouldBe(new Money(19.99m, "EUR"), "the line's price is a unit price: 59.97 for 3");
        first.Lines[0].Status.ShouldBe(new ProviderValue<OrderLineStatus>(OrderLineStatus.Shipped, "Shipped"));
        first.Shipping.ShouldNotBeNull().ServiceLevelCategory.ShouldBe("Standard");
        var address = first.Shipping.Address.ShouldNotBeNull();
        (address.City, address.StateOrRegion, address.PostalCode, address.CountryCode).ShouldBe(("Berlin", "BE", "10115", "DE"));
        (address.Name, address.AddressLine1, address.Phone).ShouldBe((null, null, null), "a report has no name, street or phone");
        first.WithoutPersonalData().Shipping!.Address.ShouldBeNull("an address is personal data to the model, as getOrder's is");
    }

    [Fact]
    public async Task ReadAsync_PendingOrderWithEmptyPrices_HasNoPrices_AndItsPurchaseOrderIsBuyerData()
    {
        var (orders, _) = await ReadAsync(Report);

        var pending = orders[1];
        pending.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Pending, "Pending"));
        pending.Lines.ShouldHaveSingleItem().Price.ShouldBeNull();
        var details = pending.GetProviderDetails<SellingPartnerOrderDetails>()!;
        details.ReportItems.ShouldHaveSingleItem().ItemPrice.ShouldBeNull();
        details.ReportItems[0].PriceDesignation.ShouldBe("BusinessPrice");
        details.FulfillmentChannel!.Value.Value.ShouldBe(FulfillmentChannel.Merchant);
        details.Buyer!.PurchaseOrderNumber.ShouldBe("PO-77");
        ((SellingPartnerOrderDetails)pending.WithoutPersonalData().ProviderDetails!).Buyer.ShouldBeNull();
        pending.Shipping!.Address.ShouldBeNull("no ship-city, state, postal code or country");
    }

    [Fact]
    public async Task ReadAsync_UnknownStatusAndUnreadableValues_NeverThrow_TheWordsAreKept_AndTheValuesCounted()
    {
        var (orders, summary) = await ReadAsync(Report);

        var odd = orders[2];
        odd.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Unknown, "Teleported"));
        var line = odd.Lines.ShouldHaveSingleItem();
        line.Status.ShouldBe(new ProviderValue<OrderLineStatus>(OrderLineStatus.Unknown, "Beamed"));
        line.Quantity.ShouldBeNull("'three' is not a quantity");
        line.Price.ShouldBeNull("no unit price without a quantity");
        var item = odd.GetProviderDetails<SellingPartnerOrderDetails>()!.ReportItems[0];
        item.ItemPrice.ShouldBe(new Money(10.00m, "EUR"));
        item.ItemTax.ShouldBeNull("'abc' is not an amount");
        odd.GetProviderDetails<SellingPartnerOrderDetails>()!.IsBusinessOrder.ShouldBeNull();
        summary.LeftOut.ShouldBe(new Dictionary<string, long> { ["is-business-order"] = 1, ["item-tax"] = 1, ["quantity"] = 1 }, ignoreOrder: true);
    }

    [Fact]
    public async Task ReadAsync_RowsWithoutOrderIdOrWithAMalformedDate_AreSkippedAndCounted()
    {
        var (orders, summary) = await ReadAsync(Report);

        orders.ShouldNotContain(o => o.OrderId == "028-1111111-0000003");
        orders.SelectMany(o => o.Lines).ShouldNotContain(l => l.Sku == "SKU-X" || l.Sku == "SKU-Y");
        summary.Rows.ShouldBe(7);
        summary.SkippedWithoutOrderId.ShouldBe(1);
        summary.SkippedMalformedDate.ShouldBe(1);
        summary.FirstSkippedRow.ShouldBe(4);
    }

    [Fact]
    public async Task ReadAsync_RawPayload_IsTheOrdersRows_EveryColumnKept_UnknownOnesToo()
    {
        var (orders, _) = await ReadAsync(Report);

        var rows = orders[0].RawPayload.ShouldNotBeNull().Element;
        rows.ValueKind.ShouldBe(JsonValueKind.Array);
        rows.GetArrayLength().ShouldBe(2);
        var row = rows[1];
        row.EnumerateObject().Count().ShouldBe(33, "every column of the header, in its order");
        row.GetProperty("delivery-window").GetString().ShouldBe("morning", "a column OrderHub does not know is kept");
        row.GetProperty("cpf").GetString().ShouldBe(string.Empty);
        row.GetProperty("last-updated-date").GetString().ShouldBe("2026-03-02T09:30:00+00:00");
        row.GetProperty("product-name").GetString().ShouldBe("Kaffee \"Espresso\" 1kg");
    }

    [Fact]
    public async Task ReadAsync_ColumnsFoundByName_InAnyOrder_WithoutTheOptionalOnes()
    {
        const string reordered = "sku\tquantity\tpurchase-date\tamazon-order-id\torder-status\n" + "SKU-Z\t2\t2026-03-01T10:00:00Z\t111-2222222-3333333\tShipped - Returned to Seller\n";

        var (orders, summary) = await ReadAsync(reordered);

        var order = orders.ShouldHaveSingleItem();
        order.OrderId.ShouldBe("111-2222222-3333333");
        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Shipped, "Shipped - Returned to Seller"), "a shipment's later fate is still a shipped order");
        order.Lines.ShouldHaveSingleItem().Quantity.ShouldBe(2);
        order.LastUpdatedAt.ShouldBeNull();
        order.Shipping.ShouldBeNull();
        summary.Skipped.ShouldBe(0);
    }

    [Fact]
    public async Task ReadAsync_ADocumentWithoutTheOrderIdColumn_IsNotAnOrderReport()
    {
        var error = await Should.ThrowAsync<ReportDocumentException>(() => ReadAsync("<html><body>Access denied</body></html>\n"));

        error.What.ShouldContain("amazon-order-id");
        error.Message.ShouldNotContain("Access denied", customMessage: "the document's content never reaches a message");
    }

    [Fact]
    public async Task OpenAsync_AGzipDocument_IsDecompressedAsItIsRead()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Gzip(Report)) };

        var body = await ReportDocumentDownload.OpenAsync(response, gzip: true, CancellationToken.None);
        var reader = new OrderReportReader("sp-eu");
        var count = 0;
        await foreach (var order in reader.ReadAsync(body, encoding: null))
        {
            order.Completeness.ShouldBe(OrderCompleteness.Partial);
            count++;
        }

        count.ShouldBe(4);
        body.ShouldBeOfType<GZipStream>();
    }

    [Fact]
    public async Task OpenAsync_SaidToBeGzipButAlreadyDecompressed_IsReadAsItIs()
    {
        // An HTTP handler that honours Content-Encoding: gzip hands over the text itself.
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Report)) };

        var body = await ReportDocumentDownload.OpenAsync(response, gzip: true, CancellationToken.None);
        var (orders, _) = await ReadAsync(await new StreamReader(body).ReadToEndAsync());

        orders.Count.ShouldBe(4);
    }

    [Fact]
    public async Task ReadAsync_ACp1252Document_IsReadInItsEncoding()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes("amazon-order-id\tpurchase-date\tproduct-name\n028-1111111-0000001\t2026-03-01T10:00:00Z\tRöstkaffee\n")),
        };
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("text/plain;charset=Cp1252");

        var reader = new OrderReportReader("sp-eu");
        var orders = new List<Order>();
        await foreach (var order in reader.ReadAsync(await ReportDocumentDownload.OpenAsync(response, gzip: false, CancellationToken.None), ReportDocumentDownload.EncodingOf(response)))
        {
            orders.Add(order);
        }

        orders.ShouldHaveSingleItem().Lines[0].Title.ShouldBe("Röstkaffee");
    }

    internal static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    internal static string ReportText => Report;
}
