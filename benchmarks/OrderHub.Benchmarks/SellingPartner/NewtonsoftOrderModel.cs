namespace OrderHub.Benchmarks.SellingPartner;

// The same getOrder shape as plain classes, as the popular .NET Selling Partner clients declare it for Newtonsoft.Json.
#pragma warning disable CA1002, CA1056, CA2227, SA1402
public sealed class NsGetOrderResponse
{
    public NsOrder? Payload { get; set; }
    public List<NsError>? Errors { get; set; }
}

public sealed class NsError
{
    public string? Code { get; set; }
    public string? Message { get; set; }
    public string? Details { get; set; }
}

public sealed class NsOrder
{
    public string? AmazonOrderId { get; set; }
    public string? SellerOrderId { get; set; }
    public string? PurchaseDate { get; set; }
    public string? LastUpdateDate { get; set; }
    public string? OrderStatus { get; set; }
    public string? FulfillmentChannel { get; set; }
    public string? SalesChannel { get; set; }
    public string? OrderChannel { get; set; }
    public string? ShipServiceLevel { get; set; }
    public NsMoney? OrderTotal { get; set; }
    public int? NumberOfItemsShipped { get; set; }
    public int? NumberOfItemsUnshipped { get; set; }
    public List<NsPaymentExecutionDetailItem>? PaymentExecutionDetail { get; set; }
    public string? PaymentMethod { get; set; }
    public List<string>? PaymentMethodDetails { get; set; }
    public string? MarketplaceId { get; set; }
    public string? ShipmentServiceLevelCategory { get; set; }
    public string? EasyShipShipmentStatus { get; set; }
    public string? CbaDisplayableShippingLabel { get; set; }
    public string? OrderType { get; set; }
    public string? EarliestShipDate { get; set; }
    public string? LatestShipDate { get; set; }
    public string? EarliestDeliveryDate { get; set; }
    public string? LatestDeliveryDate { get; set; }
    public bool? IsBusinessOrder { get; set; }
    public bool? IsPrime { get; set; }
    public bool? IsPremiumOrder { get; set; }
    public bool? IsGlobalExpressEnabled { get; set; }
    public string? ReplacedOrderId { get; set; }
    public bool? IsReplacementOrder { get; set; }
    public string? PromiseResponseDueDate { get; set; }
    public bool? IsEstimatedShipDateSet { get; set; }
    public bool? IsSoldByAB { get; set; }
    public bool? IsIBA { get; set; }
    public NsAddress? DefaultShipFromLocationAddress { get; set; }
    public string? BuyerInvoicePreference { get; set; }
    public NsBuyerTaxInformation? BuyerTaxInformation { get; set; }
    public NsFulfillmentInstruction? FulfillmentInstruction { get; set; }
    public bool? IsISPU { get; set; }
    public bool? IsAccessPointOrder { get; set; }
    public NsMarketplaceTaxInfo? MarketplaceTaxInfo { get; set; }
    public string? SellerDisplayName { get; set; }
    public NsAddress? ShippingAddress { get; set; }
    public NsBuyerInfo? BuyerInfo { get; set; }
    public NsAutomatedShippingSettings? AutomatedShippingSettings { get; set; }
    public bool? HasRegulatedItems { get; set; }
    public string? ElectronicInvoiceStatus { get; set; }
}

public sealed class NsMoney
{
    public string? CurrencyCode { get; set; }
    public string? Amount { get; set; }
}

public sealed class NsPaymentExecutionDetailItem
{
    public NsMoney? Payment { get; set; }
    public string? PaymentMethod { get; set; }
    public string? AcquirerId { get; set; }
    public string? CardBrand { get; set; }
    public string? AuthorizationCode { get; set; }
}

public sealed class NsAddress
{
    public string? Name { get; set; }
    public string? CompanyName { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? AddressLine3 { get; set; }
    public string? City { get; set; }
    public string? County { get; set; }
    public string? District { get; set; }
    public string? StateOrRegion { get; set; }
    public string? Municipality { get; set; }
    public string? PostalCode { get; set; }
    public string? CountryCode { get; set; }
    public string? Phone { get; set; }
    public NsAddressExtendedFields? ExtendedFields { get; set; }
    public string? AddressType { get; set; }
}

public sealed class NsAddressExtendedFields
{
    public string? StreetName { get; set; }
    public string? StreetNumber { get; set; }
    public string? Complement { get; set; }
    public string? Neighborhood { get; set; }
    public NsGeoCoordinates? GeoCoordinates { get; set; }
}

public sealed class NsGeoCoordinates
{
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

public sealed class NsBuyerTaxInformation
{
    public string? BuyerLegalCompanyName { get; set; }
    public string? BuyerBusinessAddress { get; set; }
    public string? BuyerTaxRegistrationId { get; set; }
    public string? BuyerTaxOffice { get; set; }
}

public sealed class NsFulfillmentInstruction
{
    public string? FulfillmentSupplySourceId { get; set; }
}

public sealed class NsMarketplaceTaxInfo
{
    public List<NsTaxClassification>? TaxClassifications { get; set; }
}

public sealed class NsTaxClassification
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

public sealed class NsBuyerInfo
{
    public string? BuyerEmail { get; set; }
    public string? BuyerName { get; set; }
    public string? BuyerCounty { get; set; }
    public NsBuyerTaxInfo? BuyerTaxInfo { get; set; }
    public string? PurchaseOrderNumber { get; set; }
}

public sealed class NsBuyerTaxInfo
{
    public string? CompanyLegalName { get; set; }
    public string? TaxingRegion { get; set; }
    public List<NsTaxClassification>? TaxClassifications { get; set; }
}

public sealed class NsAutomatedShippingSettings
{
    public bool? HasAutomatedShippingSettings { get; set; }
    public string? AutomatedCarrier { get; set; }
    public string? AutomatedShipMethod { get; set; }
}
#pragma warning restore CA1002, CA1056, CA2227, SA1402
