using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

// The JSON shapes of Orders API v0 getOrder, as ordersV0.json defines them. Every member is a string, number, boolean
// or object exactly as sent: enumerations stay strings (an unknown value must never fail to read) and dates stay
// strings (parsed exactly, with or without fractional seconds, by the mapper).

internal sealed record GetOrderResponse(
    [property: JsonPropertyName("payload")] V0Order? Payload,
    [property: JsonPropertyName("errors")] IReadOnlyList<SpError>? Errors);

internal sealed record SpError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("details")] string? Details);

internal sealed record SpErrorList([property: JsonPropertyName("errors")] IReadOnlyList<SpError>? Errors);

internal sealed record V0Order
{
    public string? AmazonOrderId { get; init; }
    public string? SellerOrderId { get; init; }
    public string? PurchaseDate { get; init; }
    public string? LastUpdateDate { get; init; }
    public string? OrderStatus { get; init; }
    public string? FulfillmentChannel { get; init; }
    public string? SalesChannel { get; init; }
    public string? OrderChannel { get; init; }
    public string? ShipServiceLevel { get; init; }
    public V0Money? OrderTotal { get; init; }
    public int? NumberOfItemsShipped { get; init; }
    public int? NumberOfItemsUnshipped { get; init; }
    public IReadOnlyList<V0PaymentExecutionDetailItem>? PaymentExecutionDetail { get; init; }
    public string? PaymentMethod { get; init; }
    public IReadOnlyList<string>? PaymentMethodDetails { get; init; }
    public string? MarketplaceId { get; init; }
    public string? ShipmentServiceLevelCategory { get; init; }
    public string? EasyShipShipmentStatus { get; init; }
    public string? CbaDisplayableShippingLabel { get; init; }
    public string? OrderType { get; init; }
    public string? EarliestShipDate { get; init; }
    public string? LatestShipDate { get; init; }
    public string? EarliestDeliveryDate { get; init; }
    public string? LatestDeliveryDate { get; init; }
    public bool? IsBusinessOrder { get; init; }
    public bool? IsPrime { get; init; }
    public bool? IsPremiumOrder { get; init; }
    public bool? IsGlobalExpressEnabled { get; init; }
    public string? ReplacedOrderId { get; init; }
    public bool? IsReplacementOrder { get; init; }
    public string? PromiseResponseDueDate { get; init; }
    public bool? IsEstimatedShipDateSet { get; init; }
    public bool? IsSoldByAB { get; init; }
    public bool? IsIBA { get; init; }
    public V0Address? DefaultShipFromLocationAddress { get; init; }
    public string? BuyerInvoicePreference { get; init; }
    public V0BuyerTaxInformation? BuyerTaxInformation { get; init; }
    public V0FulfillmentInstruction? FulfillmentInstruction { get; init; }
    public bool? IsISPU { get; init; }
    public bool? IsAccessPointOrder { get; init; }
    public V0MarketplaceTaxInfo? MarketplaceTaxInfo { get; init; }
    public string? SellerDisplayName { get; init; }
    public V0Address? ShippingAddress { get; init; }
    public V0BuyerInfo? BuyerInfo { get; init; }
    public V0AutomatedShippingSettings? AutomatedShippingSettings { get; init; }
    public bool? HasRegulatedItems { get; init; }
    public string? ElectronicInvoiceStatus { get; init; }
}

internal sealed record V0Money
{
    public string? CurrencyCode { get; init; }
    public string? Amount { get; init; }
}

internal sealed record V0PaymentExecutionDetailItem
{
    public V0Money? Payment { get; init; }
    public string? PaymentMethod { get; init; }
    public string? AcquirerId { get; init; }
    public string? CardBrand { get; init; }
    public string? AuthorizationCode { get; init; }
}

internal sealed record V0Address
{
    public string? Name { get; init; }
    public string? CompanyName { get; init; }
    public string? AddressLine1 { get; init; }
    public string? AddressLine2 { get; init; }
    public string? AddressLine3 { get; init; }
    public string? City { get; init; }
    public string? County { get; init; }
    public string? District { get; init; }
    public string? StateOrRegion { get; init; }
    public string? Municipality { get; init; }
    public string? PostalCode { get; init; }
    public string? CountryCode { get; init; }
    public string? Phone { get; init; }
    public V0AddressExtendedFields? ExtendedFields { get; init; }
    public string? AddressType { get; init; }
}

internal sealed record V0AddressExtendedFields
{
    public string? StreetName { get; init; }
    public string? StreetNumber { get; init; }
    public string? Complement { get; init; }
    public string? Neighborhood { get; init; }
    public V0GeoCoordinates? GeoCoordinates { get; init; }
}

internal sealed record V0GeoCoordinates
{
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
}

internal sealed record V0BuyerTaxInformation
{
    public string? BuyerLegalCompanyName { get; init; }
    public string? BuyerBusinessAddress { get; init; }
    public string? BuyerTaxRegistrationId { get; init; }
    public string? BuyerTaxOffice { get; init; }
}

internal sealed record V0FulfillmentInstruction
{
    public string? FulfillmentSupplySourceId { get; init; }
}

internal sealed record V0MarketplaceTaxInfo
{
    public IReadOnlyList<V0TaxClassification>? TaxClassifications { get; init; }
}

internal sealed record V0TaxClassification
{
    public string? Name { get; init; }
    public string? Value { get; init; }
}

internal sealed record V0BuyerInfo
{
    public string? BuyerEmail { get; init; }
    public string? BuyerName { get; init; }
    public string? BuyerCounty { get; init; }
    public V0BuyerTaxInfo? BuyerTaxInfo { get; init; }
    public string? PurchaseOrderNumber { get; init; }
}

internal sealed record V0BuyerTaxInfo
{
    public string? CompanyLegalName { get; init; }
    public string? TaxingRegion { get; init; }
    public IReadOnlyList<V0TaxClassification>? TaxClassifications { get; init; }
}

internal sealed record V0AutomatedShippingSettings
{
    public bool? HasAutomatedShippingSettings { get; init; }
    public string? AutomatedCarrier { get; init; }
    public string? AutomatedShipMethod { get; init; }
}
