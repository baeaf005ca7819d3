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

internal sealed record V0Money(string? CurrencyCode, string? Amount);

internal sealed record V0PaymentExecutionDetailItem(V0Money? Payment, string? PaymentMethod, string? AcquirerId, string? CardBrand, string? AuthorizationCode);

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

internal sealed record V0AddressExtendedFields(string? StreetName, string? StreetNumber, string? Complement, string? Neighborhood, V0GeoCoordinates? GeoCoordinates);

internal sealed record V0GeoCoordinates(double? Latitude, double? Longitude);

internal sealed record V0BuyerTaxInformation(string? BuyerLegalCompanyName, string? BuyerBusinessAddress, string? BuyerTaxRegistrationId, string? BuyerTaxOffice);

internal sealed record V0FulfillmentInstruction(string? FulfillmentSupplySourceId);

internal sealed record V0MarketplaceTaxInfo(IReadOnlyList<V0TaxClassification>? TaxClassifications);

internal sealed record V0TaxClassification(string? Name, string? Value);

internal sealed record V0BuyerInfo(string? BuyerEmail, string? BuyerName, string? BuyerCounty, V0BuyerTaxInfo? BuyerTaxInfo, string? PurchaseOrderNumber);

internal sealed record V0BuyerTaxInfo(string? CompanyLegalName, string? TaxingRegion, IReadOnlyList<V0TaxClassification>? TaxClassifications);

internal sealed record V0AutomatedShippingSettings(bool? HasAutomatedShippingSettings, string? AutomatedCarrier, string? AutomatedShipMethod);
