using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.SellingPartner.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Mapping;

public sealed class OrdersV0MapperTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int s, int ms = 0) => new(y, mo, d, h, mi, s, ms, TimeSpan.Zero);

    [Fact]
    public void Map_EveryOrderProperty_LandsInTheUnifiedModelWithItsValue()
    {
        var order = Fixtures.ReadOrder(Fixtures.Read("orders-v0-full.json"), "902-3159896-1390916");

        order.Source.ShouldBe("sp-api");
        order.OrderId.ShouldBe("902-3159896-1390916");
        order.SellerOrderId.ShouldBe("SO-000042");
        order.AccountId.ShouldBe("A1PA6795UKMFR9");
        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.PartiallyShipped, "PartiallyShipped"));
        order.Type.ShouldBe(new ProviderValue<OrderType>(OrderType.SourcingOnDemand, "SourcingOnDemandOrder"));
        order.CreatedAt.ShouldBe(Utc(2026, 3, 4, 5, 6, 7));
        order.LastUpdatedAt.ShouldBe(Utc(2026, 3, 5, 6, 7, 8, 123));
        order.FulfilledAt.ShouldBeNull();
        order.Total.ShouldBe(new Money(1234.56m, "EUR"));
        order.ReplacesOrderId.ShouldBe("111-2222222-3333333");

        order.Payment!.Method.ShouldBe(new ProviderValue<PaymentMethod>(PaymentMethod.CashOnDelivery, "COD"));
        order.Payment.MethodDetails.ShouldBe(["CashOnDelivery", "GiftCertificate"]);

        var shipping = order.Shipping!;
        shipping.ServiceLevel.ShouldBe("Std DE Dom");
        shipping.ServiceLevelCategory.ShouldBe("Expedited");
        shipping.ShipBy.ShouldBe(new TimeWindow(Utc(2026, 3, 4, 8, 0, 0), Utc(2026, 3, 6, 7, 0, 0)));
        shipping.DeliverBy.ShouldBe(new TimeWindow(Utc(2026, 3, 7, 0, 0, 0), Utc(2026, 3, 9, 23, 59, 59, 999)));
        shipping.ShipFrom!.Name.ShouldBe("Warehouse");
        shipping.ShipFrom.AddressType!.Value.Value.ShouldBe(AddressType.Commercial);
        var address = shipping.Address!;
        (address.Name, address.CompanyName, address.AddressLine1, address.AddressLine2, address.AddressLine3).ShouldBe(("Erika Mustermann", "Muster AG", "Hauptstr. 5", "Hinterhaus", "3. OG"));
        (address.City, address.County, address.District, address.StateOrRegion, address.Municipality).ShouldBe(("Berlin", "Mitte", "Tiergarten", "BE", "Berlin-Mitte"));
        (address.PostalCode, address.CountryCode, address.Phone).ShouldBe(("10117", "DE", "+49 30 000000"));
        address.AddressType!.Value.Value.ShouldBe(AddressType.Residential);
        (address.StreetName, address.StreetNumber, address.Complement, address.Neighborhood).ShouldBe(("Hauptstr.", "5", "Hinterhaus", "Tiergarten"));
        (address.Latitude, address.Longitude).ShouldBe((52.52, 13.405));

        var sp = order.GetProviderDetails<SellingPartnerOrderDetails>()!;
        sp.FulfillmentChannel.ShouldBe(new ProviderValue<FulfillmentChannel>(FulfillmentChannel.Amazon, "AFN"));
        (sp.SalesChannel, sp.OrderChannel).ShouldBe(("Amazon.de", "Web"));
        (sp.NumberOfItemsShipped, sp.NumberOfItemsUnshipped).ShouldBe((1, 2));
        sp.PaymentExecutions.Count.ShouldBe(2);
        sp.PaymentExecutions[0].ShouldBe(new PaymentExecution(new Money(10.00m, "EUR"), "COD", "ACQ-9", "VISA", "AUTH-9"));
        sp.PaymentExecutions[1].ShouldBe(new PaymentExecution(new Money(1224.56m, "EUR"), "GC", null, null, null));
        sp.EasyShipShipmentStatus.ShouldBe("OutForDelivery");
        sp.CbaDisplayableShippingLabel.ShouldBe("CBA-7");
        (sp.IsBusinessOrder, sp.IsPrime, sp.IsPremiumOrder, sp.IsGlobalExpressEnabled, sp.IsReplacementOrder).ShouldBe((true, true, true, true, true));
        sp.PromiseResponseDueDate.ShouldBe(Utc(2026, 3, 4, 12, 0, 0));
        (sp.IsEstimatedShipDateSet, sp.IsSoldByAB, sp.IsIBA, sp.IsISPU, sp.IsAccessPointOrder, sp.HasRegulatedItems).ShouldBe((true, true, true, true, true, true));
        sp.BuyerInvoicePreference.ShouldBe("BUSINESS");
        sp.BuyerTaxInformation.ShouldBe(new BuyerTaxInformation("Alici AS", "Vergi Cad. 1", "TR-123", "Kadikoy"));
        sp.FulfillmentSupplySourceId.ShouldBe("supply-7");
        sp.MarketplaceTaxClassifications.ShouldBe([new TaxClassification("VATNumber", "DE123")]);
        sp.SellerDisplayName.ShouldBe("Seller GmbH");
        sp.Buyer!.Email.ShouldBe("erika@marketplace.amazon.de");
        (sp.Buyer.Name, sp.Buyer.County, sp.Buyer.CompanyLegalName, sp.Buyer.TaxingRegion, sp.Buyer.PurchaseOrderNumber).ShouldBe(("Erika Mustermann", "Mitte", "Muster AG", "BE", "PO-77"));
        sp.Buyer.TaxClassifications.ShouldBe([new TaxClassification("CSTNumber", "CST-1")]);
        sp.Buyer.HasTaxInfo.ShouldBeTrue();
        sp.AutomatedShippingSettings.ShouldBe(new AutomatedShippingSettings(true, "DHL", "DHL_PAKET"));
        sp.ElectronicInvoiceStatus.ShouldBe("Accepted");
    }

    [Fact]
    public void Map_RawPayload_KeepsEveryPropertyAsSent()
    {
        var body = Fixtures.Read("orders-v0-full.json");

        var order = Fixtures.ReadOrder(body, "902-3159896-1390916");

        var expected = JsonNode.Parse(body)!["payload"]!;
        JsonNode.DeepEquals(JsonNode.Parse(order.RawPayload!.GetRawText()), expected).ShouldBeTrue();
    }

    [Fact]
    public void Map_SpecExample_Maps()
    {
        var order = Fixtures.ReadOrder(Fixtures.Read("orders-v0-example.json"), "902-3159896-1390916");

        order.Status.Value.ShouldBe(OrderStatus.Pending);
        order.Payment!.MethodDetails.ShouldBe(["CreditCard", "GiftCertificate"]);
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.Buyer!.PurchaseOrderNumber.ShouldBe("1234567890123");
        order.Shipping!.Address!.City.ShouldBe("Canton");
    }

    [Theory]
    [InlineData("TEST_CASE_200", "902-1845936-5435065", OrderStatus.InProgress)]
    [InlineData("TEST_CASE_IBA_200", null, null)]
    public void Map_SandboxSuccessCases_Map(string sandboxCase, string? expectedId, OrderStatus? expectedStatus)
    {
        var cases = JsonNode.Parse(Fixtures.Read("orders-v0-sandbox.json"))!;
        var body = cases[sandboxCase]!["body"]!;
        var id = expectedId ?? body["payload"]!["AmazonOrderId"]!.GetValue<string>();

        var order = Fixtures.ReadOrder(body.ToJsonString(), id);

        order.OrderId.ShouldBe(id);
        if (expectedStatus is { } status)
        {
            order.Status.Value.ShouldBe(status);
            order.Total.ShouldBe(new Money(11.01m, "USD"));
            order.GetProviderDetails<SellingPartnerOrderDetails>()!.EasyShipShipmentStatus.ShouldBe("PendingPickUp");
        }
        else
        {
            order.GetProviderDetails<SellingPartnerOrderDetails>()!.IsIBA.ShouldBe(true);
        }
    }

    [Fact]
    public void Map_UnknownStatusTypeChannelAndExtraProperties_NeverThrowAndKeepRaw()
    {
        var order = Fixtures.ReadOrder(
            """{"payload":{"AmazonOrderId":"902-3159896-1390916","PurchaseDate":"2026-01-01T00:00:00Z","LastUpdateDate":"2026-01-01T00:00:00Z","OrderStatus":"AwaitingCourier","OrderType":"SubscribeAndSave","FulfillmentChannel":"SFN","PaymentMethod":"Crypto","BrandNewField":{"x":[1,2]},"ShippingAddress":{"AddressType":"Locker"}}}""",
            "902-3159896-1390916");

        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Unknown, "AwaitingCourier"));
        order.Type!.Value.Raw.ShouldBe("SubscribeAndSave");
        order.Type.Value.IsKnown.ShouldBeFalse();
        order.Payment!.Method!.Value.Raw.ShouldBe("Crypto");
        order.Shipping!.Address!.AddressType!.Value.Value.ShouldBe(AddressType.Unknown);
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.FulfillmentChannel!.Value.Raw.ShouldBe("SFN");
        order.RawPayload!.Element.GetProperty("BrandNewField").GetProperty("x").GetArrayLength().ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(EveryDocumentedStatus))]
    public void Map_EveryDocumentedStatus_IsKnown(string status, OrderStatus expected)
    {
        var order = Fixtures.ReadOrder($$$"""{"payload":{"AmazonOrderId":"902-3159896-1390916","OrderStatus":"{{{status}}}"}}""", "902-3159896-1390916");

        order.Status.Value.ShouldBe(expected);
    }

    public static TheoryData<string, OrderStatus> EveryDocumentedStatus() => new()
    {
        { "Pending", OrderStatus.Pending },
        { "PendingAvailability", OrderStatus.Pending },
        { "Unshipped", OrderStatus.InProgress },
        { "PartiallyShipped", OrderStatus.PartiallyShipped },
        { "Shipped", OrderStatus.Shipped },
        { "InvoiceUnconfirmed", OrderStatus.Shipped },
        { "Canceled", OrderStatus.Cancelled },
        { "Unfulfillable", OrderStatus.Failed },
    };

    [Theory]
    [InlineData("2026-01-02T03:04:05Z", 0)]
    [InlineData("2026-01-02T03:04:05.5Z", 500)]
    [InlineData("2026-01-02T03:04:05.1234567Z", 123)]
    [InlineData("2026-01-02T04:04:05+01:00", 0)]
    [InlineData("2026-01-01T22:04:05.25-05:00", 250)]
    [InlineData("2026-01-02T03:04:05", 0)]
    [InlineData("2026-01-02T03:04:05\\u005A", 0)]
    [InlineData("2026-01-02 03:04:05Z", 0)]
    public void Map_Dates_WithAndWithoutFractions_AreExactUtc(string stamp, int millisecond)
    {
        var order = Fixtures.ReadOrder($$$"""{"payload":{"AmazonOrderId":"902-3159896-1390916","PurchaseDate":"{{{stamp}}}"}}""", "902-3159896-1390916");

        order.CreatedAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
        order.CreatedAt.Value.UtcDateTime.ShouldBe(new DateTime(2026, 1, 2, 3, 4, 5, millisecond, DateTimeKind.Utc), TimeSpan.FromMilliseconds(1));
    }

    [Theory]
    [InlineData("\"PurchaseDate\":\"yesterday\"", "PurchaseDate")]
    [InlineData("\"OrderTotal\":{\"CurrencyCode\":\"USD\",\"Amount\":\"11,01\"}", "OrderTotal")]
    [InlineData("\"IsPrime\":\"maybe\"", "JSON")]
    public void Map_FieldInTheWrongForm_IsAProtocolErrorNamingItAndTheRequest(string field, string named)
    {
        var error = Should.Throw<OrderSourceProtocolException>(() =>
            Fixtures.ReadOrder($$$"""{"payload":{"AmazonOrderId":"902-3159896-1390916",{{{field}}}}}""", "902-3159896-1390916", "req-77"));

        error.RequestId.ShouldBe("req-77");
        error.Message.ShouldContain(named);
        error.ResponseExcerpt.ShouldNotBeNull();
    }

    [Fact]
    public void Map_PayloadForAnotherOrder_IsAProtocolError() =>
        Should.Throw<OrderSourceProtocolException>(() => Fixtures.ReadOrder(ScriptedResponse.Order("111-1111111-1111111").Body, "902-3159896-1390916"));

    [Fact]
    public void WithoutPersonalData_DropsBuyerTaxAndAddress()
    {
        var order = Fixtures.ReadOrder(Fixtures.Read("orders-v0-full.json"), "902-3159896-1390916").WithoutPersonalData();

        order.Shipping!.Address.ShouldBeNull();
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.Buyer.ShouldBeNull();
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.BuyerTaxInformation.ShouldBeNull();
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.IsPrime.ShouldBe(true);
        order.RawPayload.ShouldBeNull();
        JsonSerializer.Serialize(order.Shipping.ShipFrom!.Name).ShouldBe("\"Warehouse\"");
    }

    [Fact]
    public void ToString_OfOrderAndDetails_HoldsNoPersonalData()
    {
        var order = Fixtures.ReadOrder(Fixtures.Read("orders-v0-full.json"), "902-3159896-1390916");
        var details = order.GetProviderDetails<SellingPartnerOrderDetails>()!;

        foreach (var text in new[] { order.ToString(), details.ToString(), order.Shipping!.ToString() })
        {
            text.ShouldNotContain("Erika");
            text.ShouldNotContain("Hauptstr");
            text.ShouldNotContain("Alici");
            text.ShouldNotContain("AUTH-9");
        }
    }
}
