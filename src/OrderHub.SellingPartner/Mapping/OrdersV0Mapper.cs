using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Mapping;

/// <summary>Maps an Orders API v0 <c>Order</c> into the unified model, every property accounted for.</summary>
internal static class OrdersV0Mapper
{
    public static Order Map(V0Order wire, RawPayload rawPayload, string sourceName)
    {
        if (string.IsNullOrEmpty(wire.AmazonOrderId))
        {
            throw new WireFormatException(nameof(V0Order.AmazonOrderId));
        }

        var shipBy = WireValues.Window(wire.EarliestShipDate, wire.LatestShipDate);
        var deliverBy = WireValues.Window(wire.EarliestDeliveryDate, wire.LatestDeliveryDate);
        var shipping = wire.ShipServiceLevel ?? wire.ShipmentServiceLevelCategory ?? (object?)shipBy ?? deliverBy ?? (object?)wire.ShippingAddress ?? wire.DefaultShipFromLocationAddress;

        return new Order
        {
            Source = sourceName,
            OrderId = wire.AmazonOrderId,
            SellerOrderId = wire.SellerOrderId,
            AccountId = wire.MarketplaceId,
            Status = wire.OrderStatus is null ? new(OrderHub.OrderStatus.Unknown, string.Empty) : SellingPartnerValueMaps.OrderStatus.Map(wire.OrderStatus),
            Type = SellingPartnerValueMaps.OrderType.MapOptional(wire.OrderType),
            CreatedAt = wire.PurchaseDate,
            LastUpdatedAt = wire.LastUpdateDate,
            Total = MapMoney(wire.OrderTotal, nameof(V0Order.OrderTotal)),
            Payment = wire.PaymentMethod is null && wire.PaymentMethodDetails is null
                ? null
                : new OrderPayment
                {
                    Method = SellingPartnerValueMaps.PaymentMethod.MapOptional(wire.PaymentMethod),
                    MethodDetails = wire.PaymentMethodDetails ?? [],
                },
            Shipping = shipping is null
                ? null
                : new OrderShipping
                {
                    ServiceLevel = wire.ShipServiceLevel,
                    ServiceLevelCategory = wire.ShipmentServiceLevelCategory,
                    ShipBy = shipBy,
                    DeliverBy = deliverBy,
                    Address = MapAddress(wire.ShippingAddress),
                    ShipFrom = MapAddress(wire.DefaultShipFromLocationAddress),
                },
            ReplacesOrderId = string.IsNullOrEmpty(wire.ReplacedOrderId) ? null : wire.ReplacedOrderId,
            ProviderDetails = MapDetails(wire),
            RawPayload = rawPayload,
        };
    }

    private static SellingPartnerOrderDetails MapDetails(V0Order wire) => new()
    {
        FulfillmentChannel = SellingPartnerValueMaps.FulfillmentChannel.MapOptional(wire.FulfillmentChannel),
        SalesChannel = wire.SalesChannel,
        OrderChannel = wire.OrderChannel,
        NumberOfItemsShipped = wire.NumberOfItemsShipped,
        NumberOfItemsUnshipped = wire.NumberOfItemsUnshipped,
        PaymentExecutions = wire.PaymentExecutionDetail?
            .Select(p => new PaymentExecution(MapMoney(p.Payment, "PaymentExecutionDetail.Payment"), p.PaymentMethod, p.AcquirerId, p.CardBrand, p.AuthorizationCode))
            .ToArray() ?? [],
        EasyShipShipmentStatus = wire.EasyShipShipmentStatus,
        CbaDisplayableShippingLabel = wire.CbaDisplayableShippingLabel,
        IsBusinessOrder = wire.IsBusinessOrder,
        IsPrime = wire.IsPrime,
        IsPremiumOrder = wire.IsPremiumOrder,
        IsGlobalExpressEnabled = wire.IsGlobalExpressEnabled,
        IsReplacementOrder = wire.IsReplacementOrder,
        PromiseResponseDueDate = wire.PromiseResponseDueDate,
        IsEstimatedShipDateSet = wire.IsEstimatedShipDateSet,
        IsSoldByAB = wire.IsSoldByAB,
        IsIBA = wire.IsIBA,
        BuyerInvoicePreference = wire.BuyerInvoicePreference,
        BuyerTaxInformation = wire.BuyerTaxInformation is { } tax
            ? new BuyerTaxInformation(tax.BuyerLegalCompanyName, tax.BuyerBusinessAddress, tax.BuyerTaxRegistrationId, tax.BuyerTaxOffice)
            : null,
        FulfillmentSupplySourceId = wire.FulfillmentInstruction?.FulfillmentSupplySourceId,
        IsISPU = wire.IsISPU,
        IsAccessPointOrder = wire.IsAccessPointOrder,
        MarketplaceTaxClassifications = MapTaxClassifications(wire.MarketplaceTaxInfo?.TaxClassifications),
        SellerDisplayName = wire.SellerDisplayName,
        Buyer = wire.BuyerInfo is { } buyer
            ? new BuyerInfo
            {
                Email = buyer.BuyerEmail,
                Name = buyer.BuyerName,
                County = buyer.BuyerCounty,
                CompanyLegalName = buyer.BuyerTaxInfo?.CompanyLegalName,
                TaxingRegion = buyer.BuyerTaxInfo?.TaxingRegion,
                TaxClassifications = MapTaxClassifications(buyer.BuyerTaxInfo?.TaxClassifications),
                HasTaxInfo = buyer.BuyerTaxInfo is not null,
                PurchaseOrderNumber = buyer.PurchaseOrderNumber,
            }
            : null,
        AutomatedShippingSettings = wire.AutomatedShippingSettings is { } auto
            ? new AutomatedShippingSettings(auto.HasAutomatedShippingSettings, auto.AutomatedCarrier, auto.AutomatedShipMethod)
            : null,
        HasRegulatedItems = wire.HasRegulatedItems,
        ElectronicInvoiceStatus = wire.ElectronicInvoiceStatus,
    };

    private static IReadOnlyList<TaxClassification> MapTaxClassifications(IReadOnlyList<V0TaxClassification>? list) =>
        list?.Select(t => new TaxClassification(t.Name, t.Value)).ToArray() ?? [];

    private static PostalAddress? MapAddress(V0Address? address) => address is null
        ? null
        : new PostalAddress
        {
            Name = address.Name,
            CompanyName = address.CompanyName,
            AddressLine1 = address.AddressLine1,
            AddressLine2 = address.AddressLine2,
            AddressLine3 = address.AddressLine3,
            City = address.City,
            County = address.County,
            District = address.District,
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
            Latitude = address.ExtendedFields?.GeoCoordinates?.Latitude,
            Longitude = address.ExtendedFields?.GeoCoordinates?.Longitude,
        };

    private static Money? MapMoney(V0Money? money, string field) => WireValues.Money(money?.Amount, money?.CurrencyCode, field);
}
