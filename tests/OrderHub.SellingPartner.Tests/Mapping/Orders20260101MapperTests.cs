using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.Json;
using OrderHub.SellingPartner.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Mapping;

public sealed class Orders20260101MapperTests
{
    private const string Id = "902-3159896-1390916";

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int s, int ms = 0) => new(y, mo, d, h, mi, s, ms, TimeSpan.Zero);

    private static Order Full() => Fixtures.ReadOrder20260101(Fixtures.Read("orders-2026-01-01-full.json"), Id);

    private static Order Minimal(string orderMembers, string requestId = "req-1") =>
        Fixtures.ReadOrder20260101($$$"""{"order":{"orderId":"{{{Id}}}","createdTime":"2026-01-01T00:00:00Z","lastUpdatedTime":"2026-01-01T00:00:00Z","salesChannel":{"channelName":"AMAZON"},"orderItems":[]{{{orderMembers}}}}}""", Id, requestId);

    [Fact]
    public void FullFixture_HasEveryPropertyOfTheSpecsOrder()
    {
        // Walks the spec's Order definition, nested shapes and arrays included, so a property the fixture (and so the
        // test below) misses is named here.
        var definitions = JsonNode.Parse(Fixtures.Read("orders-2026-01-01-definitions.json"))!["definitions"]!.AsObject();
        var order = JsonNode.Parse(Fixtures.Read("orders-2026-01-01-full.json"))!["order"]!;
        var missing = new List<string>();

        void Walk(string definition, IReadOnlyList<JsonNode> instances, string path)
        {
            if (definitions[definition]!["properties"] is not JsonObject properties)
            {
                return;
            }

            foreach (var (name, schema) in properties)
            {
                var values = instances.Select(i => i[name]).OfType<JsonNode>().ToList();
                if (values.Count == 0)
                {
                    missing.Add($"{path}.{name}");
                    continue;
                }

                var reference = (schema!["$ref"] ?? schema["items"]?["$ref"])?.GetValue<string>();
                if (reference is not null)
                {
                    var nested = schema["items"] is null ? values : [.. values.SelectMany(v => v.AsArray()).OfType<JsonNode>()];
                    Walk(reference["#/definitions/".Length..], nested, $"{path}.{name}");
                }
            }
        }

        Walk("Order", [order], "order");

        missing.ShouldBeEmpty();
    }

    [Fact]
    public void Map_EveryOrderProperty_LandsInTheUnifiedModelWithItsValue()
    {
        var order = Full();

        order.Source.ShouldBe("sp-api");
        order.OrderId.ShouldBe(Id);
        order.SellerOrderId.ShouldBe("SO-000042");
        order.AccountId.ShouldBe("A1PA6795UKMFR9");
        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.PartiallyShipped, "PARTIALLY_SHIPPED"));
        order.Type.ShouldBe(new ProviderValue<OrderType>(OrderType.Preorder, "PREORDER"));
        order.CreatedAt.ShouldBe(Utc(2026, 3, 4, 5, 6, 7));
        order.LastUpdatedAt.ShouldBe(Utc(2026, 3, 5, 6, 7, 8, 123));
        order.FulfilledAt.ShouldBeNull();
        order.Total.ShouldBe(new Money(1234.56m, "EUR"));
        order.ReplacesOrderId.ShouldBe("111-2222222-3333333");
        order.Payment.ShouldBeNull();

        var shipping = order.Shipping!;
        shipping.ServiceLevel.ShouldBeNull();
        shipping.ServiceLevelCategory.ShouldBe("EXPEDITED");
        shipping.ShipBy.ShouldBe(new TimeWindow(Utc(2026, 3, 4, 8, 0, 0), Utc(2026, 3, 6, 7, 0, 0)));
        shipping.DeliverBy.ShouldBe(new TimeWindow(Utc(2026, 3, 7, 0, 0, 0), Utc(2026, 3, 9, 23, 59, 59, 999)));
        var address = shipping.Address!;
        (address.Name, address.CompanyName, address.AddressLine1, address.AddressLine2, address.AddressLine3).ShouldBe(("Erika Mustermann", "Muster AG", "Hauptstr. 5", "Hinterhaus", "3. OG"));
        (address.City, address.County, address.District, address.StateOrRegion, address.Municipality).ShouldBe(("Berlin", null, "Tiergarten", "BE", "Berlin-Mitte"));
        (address.PostalCode, address.CountryCode, address.Phone).ShouldBe(("10117", "DE", "+49 30 000000"));
        address.AddressType.ShouldBe(new ProviderValue<AddressType>(AddressType.PickupPoint, "PICKUP_POINT"));
        (address.StreetName, address.StreetNumber, address.Complement, address.Neighborhood).ShouldBe(("Hauptstr.", "5", "Hinterhaus", "Tiergarten"));
        var shipFrom = shipping.ShipFrom!;
        (shipFrom.Name, shipFrom.AddressLine1, shipFrom.AddressLine2, shipFrom.AddressLine3, shipFrom.City, shipFrom.District).ShouldBe(("Warehouse", "Lagerweg 1", "Tor 3", "Halle B", "Leipzig", "Nord"));
        (shipFrom.StateOrRegion, shipFrom.Municipality, shipFrom.PostalCode, shipFrom.CountryCode).ShouldBe(("SN", "Leipzig", "04109", "DE"));

        var sp = order.GetProviderDetails<SellingPartnerOrderDetails>()!;
        sp.ApiVersion.ShouldBe("2026-01-01");
        sp.FulfillmentChannel.ShouldBe(new ProviderValue<FulfillmentChannel>(FulfillmentChannel.Amazon, "AMAZON"));
        (sp.SalesChannel, sp.ChannelName).ShouldBe(("Amazon.de", "AMAZON"));
        (sp.NumberOfItemsShipped, sp.NumberOfItemsUnshipped).ShouldBe((1, 1));
        sp.PaymentExecutions.ShouldBe([
            new PaymentExecution(new Money(10.00m, "EUR"), "COD", "ACQ-9", "VISA", "AUTH-9"),
            new PaymentExecution(new Money(1224.56m, "EUR"), "GC", null, null, null),
        ]);
        (sp.IsPrime, sp.IsBusinessOrder, sp.IsPremiumOrder, sp.IsISPU, sp.IsReplacementOrder).ShouldBe((true, true, true, true, true));
        (sp.BuyerInvoicePreference, sp.ElectronicInvoiceStatus).ShouldBe(("BUSINESS", "ACCEPTED"));
        sp.Programs.ShouldBe(["PRIME", "AMAZON_BUSINESS", "PREMIUM", "IN_STORE_PICK_UP", "PREORDER"]);
        sp.Aliases.ShouldBe([new OrderAlias("SO-000042", "SELLER_ORDER_ID"), new OrderAlias("EXT-9", "CHANNEL_ORDER_ID")]);
        sp.AssociatedOrders.ShouldBe([new AssociatedOrder("111-2222222-3333333", "REPLACEMENT_ORIGINAL_ID"), new AssociatedOrder("444-5555555-6666666", "EXCHANGE_ORIGINAL_ID")]);
        sp.ProceedsBreakdowns.ShouldBe([new ProceedsBreakdown("ITEM", null, new Money(1200.00m, "EUR")), new ProceedsBreakdown("DELIVERY_TIP", "FINALIZED", new Money(34.56m, "EUR"))]);
        sp.LabelPrintingWindow.ShouldBe(new TimeWindow(Utc(2026, 3, 4, 9, 0, 0), Utc(2026, 3, 5, 9, 0, 0)));
        sp.FulfillmentOrderIds.ShouldBe(["FO-42"]);

        sp.Buyer!.Name.ShouldBe("Erika Mustermann");
        (sp.Buyer.Email, sp.Buyer.CompanyName, sp.Buyer.PurchaseOrderNumber).ShouldBe(("erika@marketplace.amazon.de", "Muster AG", "PO-77"));

        var preference = sp.DeliveryPreference!;
        (preference.DropOffLocation, preference.AddressInstruction).ShouldBe(("FRONT_DOOR", "Ring twice"));
        preference.Capabilities.ShouldBe(["HAS_ACCESS_POINT", "PALLET_ENABLED"]);
        preference.BusinessHours.Single().DayOfWeek.ShouldBe("MON");
        preference.BusinessHours.Single().Windows.ShouldBe([new DeliveryTimeWindow(new HourMinute(8, 0), new HourMinute(17, 30))]);
        var exception = preference.ExceptionDates.Single();
        (exception.Date, exception.Type).ShouldBe((new DateOnly(2026, 12, 24), "OPEN"));
        exception.Windows.ShouldBe([new DeliveryTimeWindow(new HourMinute(9, 15), new HourMinute(24, 0))]);

        var registration = sp.TaxRegistrations.Single();
        (registration.EntityType, registration.LegalName, registration.RegistrationType, registration.RegistrationNumber).ShouldBe(("BUYER", "Alici AS", "VAT", "TR-123"));
        var registered = registration.Address!;
        (registered.Name, registered.CompanyName, registered.AddressLine1, registered.AddressLine2, registered.AddressLine3).ShouldBe(("Alici AS", "Alici AS", "Vergi Cad. 1", "Kat 2", "Blok C"));
        (registered.City, registered.District, registered.StateOrRegion, registered.Municipality, registered.PostalCode).ShouldBe(("Istanbul", "Kadikoy", "Istanbul", "Kadikoy", "34710"));
        (registered.CountryCode, registered.Phone, registered.StreetName, registered.StreetNumber, registered.Complement, registered.Neighborhood).ShouldBe(("TR", "+90 216 000 0000", "Vergi Cad.", "1", "Kat 2", "Moda"));
        registered.AddressType.ShouldBe(new ProviderValue<AddressType>(AddressType.Commercial, "COMMERCIAL"));
        registration.Attributes.ShouldBe([new TaxClassification("TAX_OFFICE", "Kadikoy")]);

        var package = sp.Packages.Single();
        package.PackageReferenceId.ShouldBe("1");
        package.CreatedAt.ShouldBe(Utc(2026, 3, 5, 8, 0, 0));
        (package.Status, package.DetailedStatus, package.Carrier).ShouldBe(("IN_TRANSIT", "OUT_FOR_DELIVERY", "UPS"));
        package.ShippedAt.ShouldBe(Utc(2026, 3, 5, 9, 30, 0));
        (package.ShippingService, package.TrackingNumber).ShouldBe(("UPS Standard", "1Z999AA10123456784"));
        package.ShipFrom.ShouldBe(shipFrom);
        package.Items.Single().OrderItemId.ShouldBe("68828574383266");
        package.Items.Single().Quantity.ShouldBe(1);
        package.Items.Single().TransparencyCodes.ShouldBe(["AZ:ABC123"]);
    }

    [Fact]
    public void Map_EveryItemProperty_LandsInItsLineOrItsDetails()
    {
        var order = Full();

        order.Lines.Count.ShouldBe(2);
        var line = order.Lines[0];
        (line.LineId, line.CatalogItemId, line.Sku, line.Title, line.Quantity).ShouldBe(("68828574383266", "B00551Q3CS", "SKU-ESP-1", "Espresso machine", 2));
        line.Price.ShouldBe(new Money(600.00m, "EUR"));
        line.Status.ShouldBe(new ProviderValue<OrderLineStatus>(OrderLineStatus.Shipped, "IN_TRANSIT"));
        line.Shipment.ShouldBe(new LineShipment(new ProviderValue<ShipmentCarrier>(ShipmentCarrier.Ups, "UPS"), "1Z999AA10123456784"));
        var unshipped = order.Lines[1];
        (unshipped.LineId, unshipped.CatalogItemId, unshipped.Quantity, unshipped.Status, unshipped.Shipment).ShouldBe(("68828574383267", "B00551Q3CT", 1, null, null));

        var items = order.GetProviderDetails<SellingPartnerOrderDetails>()!.Items;
        items.Select(i => i.OrderItemId).ShouldBe(["68828574383266", "68828574383267"]);
        var item = items[0];
        item.Measurement.ShouldBe(new ItemMeasurement("KILOGRAMS", 1.25m));
        item.AssociatedItems.ShouldBe([new AssociatedOrderItem(Id, "68828574383299", "VALUE_ADD_SERVICE")]);
        item.Programs.ShouldBe(["TRANSPARENCY"]);
        (item.ConditionType, item.ConditionSubtype, item.ConditionNote).ShouldBe(("USED", "VERY_GOOD", "Box opened"));
        item.PriceDesignation.ShouldBe("BUSINESS_PRICE");
        item.SerialNumbers.ShouldBe(["SN-1", "SN-2"]);
        item.CustomizedUrl.ShouldBe("https://example.com/customization/1");
        item.ProceedsTotal.ShouldBe(new Money(1200.00m, "EUR"));
        item.ProceedsBreakdowns.Count.ShouldBe(2);
        (item.ProceedsBreakdowns[0].Type, item.ProceedsBreakdowns[0].Subtotal).ShouldBe(("ITEM", new Money(1190.00m, "EUR")));
        item.ProceedsBreakdowns[0].Details.ShouldBe([new ItemProceedsDetail("ITEM", new Money(1200.00m, "EUR")), new ItemProceedsDetail("DISCOUNT", new Money(-10.00m, "EUR"))]);
        (item.ProceedsBreakdowns[1].Type, item.ProceedsBreakdowns[1].Subtotal, item.ProceedsBreakdowns[1].Details.Count).ShouldBe(("SHIPPING", new Money(10.00m, "EUR"), 0));
        item.PointsGranted.ShouldBe(new PointsGranted(12, new Money(0.12m, "EUR")));
        item.PromotionIds.ShouldBe(["PROMO-1", "PROMO-2"]);
        item.CancellationRequest.ShouldBe(new ItemCancellationRequest("BUYER", "Ordered twice"));
        item.CancellationExecution.ShouldBe(new ItemCancellationExecution("MERCHANT", "Out of stock"));
        (item.QuantityFulfilled, item.QuantityUnfulfilled).ShouldBe((1, 1));
        item.SubstitutionPreference!.SubstitutionType.ShouldBe("CUSTOMER_PREFERENCE");
        item.SubstitutionPreference.Options.ShouldBe([new SubstitutionOption("B000ALT001", 2, "SKU-ALT", "Other espresso machine", new ItemMeasurement("COUNT", 1m))]);
        (item.GiftMessage, item.GiftWrapLevel, item.SerialNumberRequirement).ShouldBe(("Alles Gute, Erika!", "Deluxe", "REQUIRED"));
        item.ScheduledDeliveryWindow.ShouldBe(new TimeWindow(Utc(2026, 3, 8, 9, 0, 0), Utc(2026, 3, 8, 12, 0, 0)));
        item.ShippingConstraints.ShouldBe(new ShippingConstraints("MANDATORY", "MANDATORY", "MANDATORY", "MANDATORY", "MANDATORY"));
        item.IossNumber.ShouldBe("IM0123456789");
        item.TaxReportingSchemes.ShouldBe(["IOSS"]);
        item.TaxCollections.ShouldBe([new ItemTaxCollection("MARKETPLACE_FACILITATOR", "Amazon Services Europe S.a.r.L.")]);

        var bare = items[1];
        (bare.Measurement, bare.ProceedsTotal, bare.PointsGranted, bare.CancellationRequest, bare.QuantityFulfilled, bare.GiftMessage).ShouldBe((null, null, null, null, null, null));
        (bare.Programs.Count, bare.PromotionIds.Count, bare.TaxCollections.Count).ShouldBe((0, 0, 0));
    }

    [Fact]
    public void Map_RawPayload_KeepsTheOrderObjectAsSent()
    {
        var body = Fixtures.Read("orders-2026-01-01-full.json");

        var order = Fixtures.ReadOrder20260101(body, Id);

        JsonNode.DeepEquals(JsonNode.Parse(order.RawPayload!.GetRawText()), JsonNode.Parse(body)!["order"]).ShouldBeTrue();
    }

    [Theory]
    [InlineData("171-9876543-2109876", OrderStatus.InProgress, "299.90", "BRL")]
    [InlineData("028-1234567-8901234", OrderStatus.Shipped, "125.00", "TRY")]
    [InlineData("114-9876543-1234567", null, null, null)]
    public void Map_SpecSandboxOrders_Map(string orderId, OrderStatus? status, string? total, string? currency)
    {
        var body = JsonNode.Parse(Fixtures.Read("orders-2026-01-01-sandbox.json"))![orderId]!["body"]!;

        var order = Fixtures.ReadOrder20260101(body.ToJsonString(), orderId);

        order.OrderId.ShouldBe(orderId);
        order.Lines.Count.ShouldBe(body["order"]!["orderItems"]!.AsArray().Count);
        order.Lines.ShouldAllBe(l => l.LineId != null && l.CatalogItemId != null && l.Quantity > 0);
        if (status is { } expected)
        {
            order.Status.Value.ShouldBe(expected);
            order.Total.ShouldBe(new Money(decimal.Parse(total!, System.Globalization.CultureInfo.InvariantCulture), currency));
        }
        else
        {
            order.Status.IsKnown.ShouldBeTrue();
        }
    }

    [Fact]
    public void Map_SandboxTurkishOrder_KeepsTheBuyersTaxRegistrationAndInvoicePreference()
    {
        var body = JsonNode.Parse(Fixtures.Read("orders-2026-01-01-sandbox.json"))!["028-1234567-8901234"]!["body"]!;

        var sp = Fixtures.ReadOrder20260101(body.ToJsonString(), "028-1234567-8901234").GetProviderDetails<SellingPartnerOrderDetails>()!;

        sp.BuyerInvoicePreference.ShouldBe("BUSINESS");
        sp.TaxRegistrations.Single().Attributes.ShouldBe([new TaxClassification("TAX_OFFICE", "tax office")]);
        sp.Items.Single().TaxReportingSchemes.ShouldBe(["IOSS"]);
    }

    [Theory]
    [MemberData(nameof(EveryDocumentedFulfillmentStatus))]
    public void Map_EveryDocumentedFulfillmentStatus_IsKnown(string status, OrderStatus expected)
    {
        var order = Minimal($$$""","fulfillment":{"fulfillmentStatus":"{{{status}}}"}""");

        order.Status.ShouldBe(new ProviderValue<OrderStatus>(expected, status));
    }

    public static TheoryData<string, OrderStatus> EveryDocumentedFulfillmentStatus() => new()
    {
        { "PENDING_AVAILABILITY", OrderStatus.Pending },
        { "PENDING", OrderStatus.Pending },
        { "UNSHIPPED", OrderStatus.InProgress },
        { "PARTIALLY_SHIPPED", OrderStatus.PartiallyShipped },
        { "SHIPPED", OrderStatus.Shipped },
        { "CANCELLED", OrderStatus.Cancelled },
        { "UNFULFILLABLE", OrderStatus.Failed },
    };

    [Theory]
    [InlineData("PENDING", OrderLineStatus.Pending)]
    [InlineData("IN_TRANSIT", OrderLineStatus.Shipped)]
    [InlineData("SHIPPED", OrderLineStatus.Shipped)]
    [InlineData("DELIVERED", OrderLineStatus.Delivered)]
    [InlineData("CANCELLED", OrderLineStatus.Cancelled)]
    [InlineData("UNDELIVERABLE", OrderLineStatus.Failed)]
    [InlineData("LOST_AT_SEA", OrderLineStatus.Unknown)]
    public void Map_EveryDocumentedPackageStatus_IsTheStatusOfTheLinesInThePackage(string status, OrderLineStatus expected)
    {
        var order = Fixtures.ReadOrder20260101(
            $$$"""{"order":{"orderId":"{{{Id}}}","orderItems":[{"orderItemId":"1","quantityOrdered":1,"product":{}}],"packages":[{"packageReferenceId":"p","packageStatus":{"status":"{{{status}}}"},"carrier":"Royal Mail","packageItems":[{"orderItemId":"1","quantity":1}]}]}}""",
            Id);

        order.Lines.Single().Status.ShouldBe(new ProviderValue<OrderLineStatus>(expected, status));
        order.Lines.Single().Shipment!.Carrier.ShouldBe(new ProviderValue<ShipmentCarrier>(ShipmentCarrier.Unknown, "Royal Mail"));
    }

    [Fact]
    public void Map_UnknownValuesAndNewFields_NeverThrowAndKeepRaw()
    {
        var order = Minimal("""
            ,"fulfillment":{"fulfillmentStatus":"AWAITING_DRONE","fulfilledBy":"PARTNER","fulfillmentServiceLevel":"HYPERSONIC"},
            "programs":["MOON_DELIVERY"],"salesChannel":{"channelName":"METAVERSE","marketplaceId":"X1"},
            "recipient":{"deliveryAddress":{"addressType":"ORBITAL"}},
            "orderAliases":[{"aliasId":"A","aliasType":"NEW_ALIAS"}],
            "brandNewDataset":{"x":[1,2]}
            """);

        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Unknown, "AWAITING_DRONE"));
        order.Type.ShouldBeNull();
        order.SellerOrderId.ShouldBeNull();
        order.Shipping!.ServiceLevelCategory.ShouldBe("HYPERSONIC");
        order.Shipping.Address!.AddressType.ShouldBe(new ProviderValue<AddressType>(AddressType.Unknown, "ORBITAL"));
        var sp = order.GetProviderDetails<SellingPartnerOrderDetails>()!;
        sp.FulfillmentChannel.ShouldBe(new ProviderValue<FulfillmentChannel>(FulfillmentChannel.Unknown, "PARTNER"));
        (sp.ChannelName, sp.Programs.Single(), sp.IsPrime).ShouldBe(("METAVERSE", "MOON_DELIVERY", false));
        order.RawPayload!.Element.GetProperty("brandNewDataset").GetProperty("x").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public void Map_DatasetsNotAskedFor_LeaveTheirMembersEmpty()
    {
        var order = Minimal(string.Empty);

        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Unknown, string.Empty));
        (order.Total, order.Shipping, order.Payment, order.ReplacesOrderId).ShouldBe((null, null, null, null));
        var sp = order.GetProviderDetails<SellingPartnerOrderDetails>()!;
        (sp.FulfillmentChannel, sp.Buyer, sp.IsPrime, sp.IsReplacementOrder, sp.NumberOfItemsShipped).ShouldBe((null, null, null, null, null));
        (sp.Packages.Count, sp.PaymentExecutions.Count, sp.TaxRegistrations.Count).ShouldBe((0, 0, 0));
    }

    [Theory]
    [InlineData("\"createdTime\":\"yesterday\"", "createdTime")]
    [InlineData("\"proceeds\":{\"grandTotal\":{\"amount\":\"11,01\",\"currencyCode\":\"USD\"}}", "proceeds.grandTotal")]
    [InlineData("\"fulfillment\":{\"shipByWindow\":{\"earliestDateTime\":\"soon\"}}", "fulfillment.shipByWindow.earliestDateTime")]
    [InlineData("\"orderItems\":[{\"quantityOrdered\":1,\"product\":{}}]", "orderItems[0].orderItemId")]
    [InlineData("\"orderItems\":[{\"orderItemId\":\"1\",\"quantityOrdered\":\"many\"}]", "JSON")]
    [InlineData("\"packages\":[{\"carrier\":\"UPS\"}]", "packages.packageReferenceId")]
    [InlineData("\"recipient\":{\"deliveryPreference\":{\"deliveryTime\":{\"exceptionDates\":[{\"exceptionDate\":\"24.12.2026\"}]}}}", "exceptionDate")]
    public void Map_FieldInTheWrongForm_IsAProtocolErrorNamingItAndTheRequest(string member, string named)
    {
        var error = Should.Throw<OrderSourceProtocolException>(() =>
            Fixtures.ReadOrder20260101($$$"""{"order":{"orderId":"{{{Id}}}",{{{member}}}}}""", Id, "req-26"));

        error.RequestId.ShouldBe("req-26");
        error.Message.ShouldContain(named);
        error.ResponseExcerpt.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("""{"payload":{"AmazonOrderId":"902-3159896-1390916"}}""", "no 'order' object")]
    [InlineData("""{"order":{"orderId":"111-1111111-1111111","orderItems":[]}}""", "another order")]
    [InlineData("""{"order":{"orderId":"902-3159896-1390916","orderItems":[""", "JSON")]
    public void Read_BodyNotAsDocumented_IsAProtocolError(string body, string named) =>
        Should.Throw<OrderSourceProtocolException>(() => Fixtures.ReadOrder20260101(body, Id)).Message.ShouldContain(named);

    [Fact]
    public void WithoutPersonalData_DropsBuyerRecipientTaxRegistrationsAndGiftMessages()
    {
        var order = Full().WithoutPersonalData();

        order.Shipping!.Address.ShouldBeNull();
        order.Shipping.ShipFrom.ShouldNotBeNull();
        var sp = order.GetProviderDetails<SellingPartnerOrderDetails>()!;
        (sp.Buyer, sp.DeliveryPreference).ShouldBe((null, null));
        sp.TaxRegistrations.ShouldBeEmpty();
        sp.Items.ShouldAllBe(i => i.GiftMessage == null);
        sp.Items[0].GiftWrapLevel.ShouldBe("Deluxe");
        order.RawPayload.ShouldBeNull();

        var json = System.Text.Encoding.UTF8.GetString(OrderJson.SerializeToUtf8Bytes(order));
        foreach (var secret in new[] { "Erika", "Hauptstr", "Alici", "TR-123", "Ring twice", "Alles Gute" })
        {
            json.ShouldNotContain(secret);
        }
    }

    [Fact]
    public void ToString_OfOrderDetailsItemsAndRegistrations_HoldsNoPersonalData()
    {
        var order = Full();
        var sp = order.GetProviderDetails<SellingPartnerOrderDetails>()!;

        var texts = new[] { order.ToString(), sp.ToString(), sp.Items[0].ToString(), sp.TaxRegistrations[0].ToString(), sp.DeliveryPreference!.ToString(), sp.Buyer!.ToString() };
        foreach (var text in texts)
        {
            foreach (var secret in new[] { "Erika", "Hauptstr", "Alici", "TR-123", "Ring twice", "Alles Gute", "AUTH-9" })
            {
                text.ShouldNotContain(secret);
            }
        }
    }

    [Fact]
    public void UnifiedJson_ContractsOfTheOrderAndItsDetails_AreGeneratedAtBuildTime()
    {
        var json = OrderJson.SerializeToUtf8Bytes(Full(), includeRaw: true);

        // Each contract says which resolver made it: a generated context, not the reflection fallback.
        foreach (var type in new[] { typeof(Order), typeof(SellingPartnerOrderDetails), typeof(SellingPartnerItemDetails) })
        {
            OrderJson.Options.GetTypeInfo(type).OriginatingResolver.ShouldBeAssignableTo<System.Text.Json.Serialization.JsonSerializerContext>(type.Name);
        }

        JsonDocument.Parse(json).RootElement.GetProperty("providerDetails").GetProperty("items").GetArrayLength().ShouldBePositive();
    }

    [Fact]
    public void UnifiedJson_OfA2026Order_CarriesLinesAndItemDetails()
    {
        using var json = JsonDocument.Parse(OrderJson.SerializeToUtf8Bytes(Full()));

        var root = json.RootElement;
        root.GetProperty("lines")[0].GetProperty("status").GetProperty("raw").GetString().ShouldBe("IN_TRANSIT");
        var details = root.GetProperty("providerDetails");
        details.GetProperty("apiVersion").GetString().ShouldBe("2026-01-01");
        details.GetProperty("items")[0].GetProperty("proceedsTotal").GetProperty("amount").GetString().ShouldBe("1200.00");
        details.GetProperty("packages")[0].GetProperty("trackingNumber").GetString().ShouldBe("1Z999AA10123456784");
    }
}
