using System.Globalization;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Mapping;

/// <summary>
/// Maps an Orders API 2026-01-01 <c>Order</c> into the unified model, every property accounted for. Where v0 had a
/// member that 2026-01-01 expresses differently (a program instead of a flag, an alias instead of a field), the v0
/// member is filled too, so code written against v0 orders reads these the same.
/// </summary>
internal static class Orders20260101Mapper
{
    private const string SellerOrderIdAlias = "SELLER_ORDER_ID";
    private const string ReplacementAssociation = "REPLACEMENT_ORIGINAL_ID";

    public static Order Map(V2026Order wire, RawPayload rawPayload, string sourceName)
    {
        if (string.IsNullOrEmpty(wire.OrderId))
        {
            throw new WireFormatException("orderId");
        }

        var fulfillment = wire.Fulfillment;
        var packages = wire.Packages?.Select(MapPackage).ToArray() ?? [];
        var items = wire.OrderItems ?? [];
        var deliveryAddress = MapAddress(wire.Recipient?.DeliveryAddress);
        var shipBy = Window(fulfillment?.ShipByWindow);
        var deliverBy = Window(fulfillment?.DeliverByWindow);
        var shipFrom = packages.Select(p => p.ShipFrom).FirstOrDefault(a => a is not null);
        var hasShipping = fulfillment?.FulfillmentServiceLevel is not null || shipBy is not null || deliverBy is not null || deliveryAddress is not null || shipFrom is not null;

        return new Order
        {
            Source = sourceName,
            OrderId = wire.OrderId,
            SellerOrderId = wire.OrderAliases?.FirstOrDefault(a => a.AliasType == SellerOrderIdAlias)?.AliasId,
            AccountId = wire.SalesChannel?.MarketplaceId,
            Status = fulfillment?.FulfillmentStatus is { } status
                ? SellingPartnerValueMaps.OrderStatus.Map(status)
                : new(OrderStatus.Unknown, string.Empty),
            Type = wire.Programs?.FirstOrDefault(SellingPartnerValueMaps.ProgramOrderType.Entries.ContainsKey) is { } typeProgram
                ? SellingPartnerValueMaps.ProgramOrderType.Map(typeProgram)
                : null,
            CreatedAt = wire.CreatedTime,
            LastUpdatedAt = wire.LastUpdatedTime,
            Lines = [.. items.Select((item, index) => MapLine(item, index, packages))],
            Total = Money(wire.Proceeds?.GrandTotal, "proceeds.grandTotal"),
            Shipping = hasShipping
                ? new OrderShipping
                {
                    ServiceLevelCategory = fulfillment?.FulfillmentServiceLevel,
                    ShipBy = shipBy,
                    DeliverBy = deliverBy,
                    Address = deliveryAddress,
                    ShipFrom = shipFrom,
                }
                : null,
            ReplacesOrderId = wire.AssociatedOrders?.FirstOrDefault(a => a.AssociationType == ReplacementAssociation)?.OrderId,
            ProviderDetails = MapDetails(wire, packages),
            RawPayload = rawPayload,
        };
    }

    private static SellingPartnerOrderDetails MapDetails(V2026Order wire, SellingPartnerPackage[] packages)
    {
        var programs = wire.Programs;
        var items = wire.OrderItems ?? [];
        var itemFulfillment = items.Select(i => i.Fulfillment).ToArray();
        var invoicing = wire.Tax?.TaxInvoicing;
        bool? Has(string program) => programs?.Contains(program, StringComparer.Ordinal);

        return new SellingPartnerOrderDetails
        {
            ApiVersion = SellingPartnerOrdersApi.V20260101,
            FulfillmentChannel = SellingPartnerValueMaps.FulfillmentChannel.MapOptional(wire.Fulfillment?.FulfilledBy),
            SalesChannel = wire.SalesChannel?.MarketplaceName,
            NumberOfItemsShipped = itemFulfillment.Any(f => f?.QuantityFulfilled is not null) ? itemFulfillment.Sum(f => f?.QuantityFulfilled ?? 0) : null,
            NumberOfItemsUnshipped = itemFulfillment.Any(f => f?.QuantityUnfulfilled is not null) ? itemFulfillment.Sum(f => f?.QuantityUnfulfilled ?? 0) : null,
            PaymentExecutions = wire.Payment?.PaymentExecutions?
                .Select(p => new PaymentExecution(Money(p.PaymentAmount, "payment.paymentExecutions.paymentAmount"), p.PaymentMethod, p.AcquirerId, p.CardBrand, p.AuthorizationCode))
                .ToArray() ?? [],
            IsBusinessOrder = Has("AMAZON_BUSINESS"),
            IsPrime = Has("PRIME"),
            IsPremiumOrder = Has("PREMIUM"),
            IsISPU = Has("IN_STORE_PICK_UP"),
            IsReplacementOrder = wire.AssociatedOrders is { } associated ? associated.Any(a => a.AssociationType == ReplacementAssociation) : null,
            BuyerInvoicePreference = invoicing?.BuyerInvoicePreference,
            ElectronicInvoiceStatus = invoicing?.InvoiceStatus,
            Buyer = wire.Buyer is { } buyer
                ? new BuyerInfo
                {
                    Name = buyer.BuyerName,
                    Email = buyer.BuyerEmail,
                    CompanyName = buyer.BuyerCompanyName,
                    PurchaseOrderNumber = buyer.BuyerPurchaseOrderNumber,
                }
                : null,
            Programs = programs ?? [],
            Aliases = wire.OrderAliases?.Select(a => new OrderAlias(a.AliasId, a.AliasType)).ToArray() ?? [],
            AssociatedOrders = wire.AssociatedOrders?.Select(a => new AssociatedOrder(a.OrderId, a.AssociationType)).ToArray() ?? [],
            ChannelName = wire.SalesChannel?.ChannelName,
            ProceedsBreakdowns = wire.Proceeds?.Breakdowns?
                .Select(b => new ProceedsBreakdown(b.Type, b.Status, Money(b.Subtotal, "proceeds.breakdowns.subtotal")))
                .ToArray() ?? [],
            LabelPrintingWindow = Window(wire.Fulfillment?.LabelPrintingWindow),
            DeliveryPreference = MapDeliveryPreference(wire.Recipient?.DeliveryPreference),
            TaxRegistrations = wire.Tax?.TaxRegistrations?
                .Select(t => new TaxRegistration(
                    t.EntityType,
                    t.LegalName,
                    t.TaxRegistrationType,
                    t.TaxRegistrationNumber,
                    MapAddress(t.TaxRegistrationAddress),
                    t.TaxRegistrationAttributes?.Select(a => new TaxClassification(a.Key, a.Value)).ToArray() ?? []))
                .ToArray() ?? [],
            FulfillmentOrderIds = wire.FulfillmentOrders?.Select(f => f.FulfillmentOrderId).OfType<string>().ToArray() ?? [],
            Packages = packages,
            Items = [.. items.Select((item, index) => MapItemDetails(item, index))],
        };
    }

    private static OrderLine MapLine(V2026OrderItem item, int index, SellingPartnerPackage[] packages)
    {
        var itemId = ItemId(item, index);
        var product = item.Product;

        // 2026-01-01 items carry no status of their own: a line's status and shipment are those of the package it is in.
        var package = packages.FirstOrDefault(p => p.Items.Any(i => i.OrderItemId == itemId));
        return new OrderLine
        {
            LineId = itemId,
            CatalogItemId = product?.Asin,
            Sku = product?.SellerSku,
            Title = product?.Title,
            Quantity = item.QuantityOrdered,
            Price = Money(product?.Price?.UnitPrice, "orderItems.product.price.unitPrice"),
            Status = SellingPartnerValueMaps.PackageStatus.MapOptional(package?.Status),
            Shipment = package is null ? null : new LineShipment(SellingPartnerValueMaps.Carrier.MapOptional(package.Carrier), package.TrackingNumber),
        };
    }

    private static SellingPartnerItemDetails MapItemDetails(V2026OrderItem item, int index)
    {
        var product = item.Product;
        var fulfillment = item.Fulfillment;
        var constraints = fulfillment?.Shipping?.ShippingConstraints;
        var substitution = fulfillment?.Picking?.SubstitutionPreference;
        var points = item.Expense?.PointsCost?.PointsGranted;
        return new SellingPartnerItemDetails
        {
            OrderItemId = ItemId(item, index),
            Measurement = MapMeasurement(item.Measurement),
            AssociatedItems = item.AssociatedOrderItems?.Select(a => new AssociatedOrderItem(a.OrderId, a.OrderItemId, a.AssociationType)).ToArray() ?? [],
            Programs = item.Programs ?? [],
            ConditionType = product?.Condition?.ConditionType,
            ConditionSubtype = product?.Condition?.ConditionSubtype,
            ConditionNote = product?.Condition?.ConditionNote,
            PriceDesignation = product?.Price?.PriceDesignation,
            SerialNumbers = product?.SerialNumbers ?? [],
            CustomizedUrl = product?.Customization?.CustomizedUrl,
            ProceedsTotal = Money(item.Proceeds?.ProceedsTotal, "orderItems.proceeds.proceedsTotal"),
            ProceedsBreakdowns = item.Proceeds?.Breakdowns?
                .Select(b => new ItemProceedsBreakdown(
                    b.Type,
                    Money(b.Subtotal, "orderItems.proceeds.breakdowns.subtotal"),
                    b.DetailedBreakdowns?.Select(d => new ItemProceedsDetail(d.Subtype, Money(d.Value, "orderItems.proceeds.breakdowns.detailedBreakdowns.value"))).ToArray() ?? []))
                .ToArray() ?? [],
            PointsGranted = points is null ? null : new PointsGranted(points.PointsNumber, Money(points.PointsMonetaryValue, "orderItems.expense.pointsCost.pointsGranted.pointsMonetaryValue")),
            PromotionIds = item.Promotion?.Breakdowns?.Select(b => b.PromotionId).OfType<string>().ToArray() ?? [],
            CancellationRequest = item.Cancellation?.CancellationRequest is { } request ? new ItemCancellationRequest(request.Requester, request.CancelReason) : null,
            CancellationExecution = item.Cancellation?.CancellationExecution is { } execution ? new ItemCancellationExecution(execution.CancelledBy, execution.CancelReason) : null,
            QuantityFulfilled = fulfillment?.QuantityFulfilled,
            QuantityUnfulfilled = fulfillment?.QuantityUnfulfilled,
            SubstitutionPreference = substitution is null
                ? null
                : new SubstitutionPreference(
                    substitution.SubstitutionType,
                    substitution.SubstitutionOptions?.Select(o => new SubstitutionOption(o.Asin, o.QuantityOrdered, o.SellerSku, o.Title, MapMeasurement(o.Measurement))).ToArray() ?? []),
            GiftMessage = fulfillment?.Packing?.GiftOption?.GiftMessage,
            GiftWrapLevel = fulfillment?.Packing?.GiftOption?.GiftWrapLevel,
            SerialNumberRequirement = fulfillment?.Packing?.SerialNumberRequirement?.RequirementType,
            ScheduledDeliveryWindow = Window(fulfillment?.Shipping?.ScheduledDeliveryWindow),
            ShippingConstraints = constraints is null
                ? null
                : new ShippingConstraints(constraints.PalletDelivery, constraints.CashOnDelivery, constraints.SignatureConfirmation, constraints.RecipientIdentityVerification, constraints.RecipientAgeVerification),
            IossNumber = fulfillment?.Shipping?.InternationalShipping?.IossNumber,
            TaxReportingSchemes = item.Tax?.TaxCalculationBreakdowns?.Select(b => b.ReportingScheme).OfType<string>().ToArray() ?? [],
            TaxCollections = item.Tax?.TaxCollections?.Select(c => new ItemTaxCollection(c.Model, c.ResponsibleParty)).ToArray() ?? [],
        };
    }

    private static SellingPartnerPackage MapPackage(V2026OrderPackage package) => new()
    {
        PackageReferenceId = package.PackageReferenceId ?? throw new WireFormatException("packages.packageReferenceId"),
        CreatedAt = package.CreatedTime,
        Status = package.PackageStatus?.Status,
        DetailedStatus = package.PackageStatus?.DetailedStatus,
        Carrier = package.Carrier,
        ShippedAt = package.ShipTime,
        ShippingService = package.ShippingService,
        TrackingNumber = package.TrackingNumber,
        ShipFrom = MapAddress(package.ShipFromAddress),
        Items = package.PackageItems?.Select(i => new PackageItem(i.OrderItemId, i.Quantity, i.TransparencyCodes ?? [])).ToArray() ?? [],
    };

    private static DeliveryPreference? MapDeliveryPreference(V2026DeliveryPreference? preference) => preference is null
        ? null
        : new DeliveryPreference(
            preference.DropOffLocation,
            preference.AddressInstruction,
            preference.DeliveryTime?.BusinessHours?.Select(h => new DeliveryBusinessHours(h.DayOfWeek, MapWindows(h.TimeWindows))).ToArray() ?? [],
            preference.DeliveryTime?.ExceptionDates?.Select(d => new DeliveryExceptionDate(Date(d.ExceptionDate), d.ExceptionDateType, MapWindows(d.TimeWindows))).ToArray() ?? [],
            preference.DeliveryCapabilities ?? []);

    private static DeliveryTimeWindow[] MapWindows(IReadOnlyList<V2026TimeWindow>? windows) =>
        windows?.Select(w => new DeliveryTimeWindow(HourMinute(w.StartTime), HourMinute(w.EndTime))).ToArray() ?? [];

    private static HourMinute? HourMinute(V2026HourMinute? time) => time is null ? null : new HourMinute(time.Hour, time.Minute);

    private static DateOnly? Date(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new WireFormatException("recipient.deliveryPreference.deliveryTime.exceptionDates.exceptionDate");
    }

    // The delivery, ship-from and tax registration addresses share one shape (CustomerAddress). 2026-01-01 has one
    // districtOrCounty where v0 had County and District: it is read into District.
    private static PostalAddress? MapAddress(V2026CustomerAddress? address) => address is null
        ? null
        : new PostalAddress
        {
            Name = address.Name,
            CompanyName = address.CompanyName,
            AddressLine1 = address.AddressLine1,
            AddressLine2 = address.AddressLine2,
            AddressLine3 = address.AddressLine3,
            City = address.City,
            District = address.DistrictOrCounty,
            StateOrRegion = address.StateOrRegion,
            Municipality = address.Municipality,
            PostalCode = address.PostalCode,
            CountryCode = address.CountryCode,
            Phone = address.Phone,
            AddressType = SellingPartnerValueMaps.AddressType.MapOptional(address.AddressType),
            StreetName = address.ExtendedFields?.StreetName,
            StreetNumber = address.ExtendedFields?.StreetNumber,
            Complement = address.ExtendedFields?.Complement,
            Neighborhood = address.ExtendedFields?.Neighborhood,
        };

    private static ItemMeasurement? MapMeasurement(V2026Measurement? measurement) =>
        measurement is null ? null : new ItemMeasurement(measurement.Unit, measurement.Value);

    // orderItemId is required; an item without one cannot be told apart from the others.
    private static string ItemId(V2026OrderItem item, int index) =>
        string.IsNullOrEmpty(item.OrderItemId) ? throw new WireFormatException(string.Create(CultureInfo.InvariantCulture, $"orderItems[{index}].orderItemId")) : item.OrderItemId;

    private static Money? Money(V2026Money? money, string field) => WireValues.Money(money?.Amount, money?.CurrencyCode, field);

    private static TimeWindow? Window(V2026DateTimeRange? range) =>
        range is null ? null : WireValues.Window(range.EarliestDateTime, range.LatestDateTime);
}
