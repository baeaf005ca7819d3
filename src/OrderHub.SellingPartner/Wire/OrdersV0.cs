using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

// The JSON shapes of Orders API v0 getOrder, as ordersV0.json defines them. Every member is a string, number, boolean
// or object exactly as sent: enumerations stay strings (an unknown value must never fail to read) and dates are
// read as UTC instants while the body is deserialized (SpTimestampConverter). Properties are settable, not init-only:
// System.Text.Json then fills an object as it reads instead of buffering every value for an initializer.

// The envelopes are read in the one pass that deserializes each order and finds its bytes (the raw payload): the
// context reads every Located<V0Order> with LocatedJsonConverter.
internal sealed class GetOrderResponse
{
    [JsonPropertyName("payload")]
    public OrderHub.Json.Located<V0Order> Payload { get; set; }

    [JsonPropertyName("errors")]
    public IReadOnlyList<SpError>? Errors { get; set; }
}

// getOrders: a page of whole orders, its next-page token and the end of the window it covers.
internal sealed class GetOrdersResponse
{
    [JsonPropertyName("payload")]
    public V0OrdersPage? Payload { get; set; }

    [JsonPropertyName("errors")]
    public IReadOnlyList<SpError>? Errors { get; set; }
}

internal sealed class V0OrdersPage
{
    public IReadOnlyList<OrderHub.Json.Located<V0Order>>? Orders { get; set; }
    public string? NextToken { get; set; }
    public string? LastUpdatedBefore { get; set; }
    public string? CreatedBefore { get; set; }
}

internal sealed record SpError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("details")] string? Details);

internal sealed record SpErrorList([property: JsonPropertyName("errors")] IReadOnlyList<SpError>? Errors);

internal sealed record V0Order
{
    public string? AmazonOrderId { get; set; }
    public string? SellerOrderId { get; set; }
    public DateTimeOffset? PurchaseDate { get; set; }
    public DateTimeOffset? LastUpdateDate { get; set; }
    public string? OrderStatus { get; set; }
    public string? FulfillmentChannel { get; set; }
    public string? SalesChannel { get; set; }
    public string? OrderChannel { get; set; }
    public string? ShipServiceLevel { get; set; }
    public V0Money? OrderTotal { get; set; }
    public int? NumberOfItemsShipped { get; set; }
    public int? NumberOfItemsUnshipped { get; set; }
    public IReadOnlyList<V0PaymentExecutionDetailItem>? PaymentExecutionDetail { get; set; }
    public string? PaymentMethod { get; set; }
    public IReadOnlyList<string>? PaymentMethodDetails { get; set; }
    public string? MarketplaceId { get; set; }
    public string? ShipmentServiceLevelCategory { get; set; }
    public string? EasyShipShipmentStatus { get; set; }
    public string? CbaDisplayableShippingLabel { get; set; }
    public string? OrderType { get; set; }
    public DateTimeOffset? EarliestShipDate { get; set; }
    public DateTimeOffset? LatestShipDate { get; set; }
    public DateTimeOffset? EarliestDeliveryDate { get; set; }
    public DateTimeOffset? LatestDeliveryDate { get; set; }
    public bool? IsBusinessOrder { get; set; }
    public bool? IsPrime { get; set; }
    public bool? IsPremiumOrder { get; set; }
    public bool? IsGlobalExpressEnabled { get; set; }
    public string? ReplacedOrderId { get; set; }
    public bool? IsReplacementOrder { get; set; }
    public DateTimeOffset? PromiseResponseDueDate { get; set; }
    public bool? IsEstimatedShipDateSet { get; set; }
    public bool? IsSoldByAB { get; set; }
    public bool? IsIBA { get; set; }
    public V0Address? DefaultShipFromLocationAddress { get; set; }
    public string? BuyerInvoicePreference { get; set; }
    public V0BuyerTaxInformation? BuyerTaxInformation { get; set; }
    public V0FulfillmentInstruction? FulfillmentInstruction { get; set; }
    public bool? IsISPU { get; set; }
    public bool? IsAccessPointOrder { get; set; }
    public V0MarketplaceTaxInfo? MarketplaceTaxInfo { get; set; }
    public string? SellerDisplayName { get; set; }
    public V0Address? ShippingAddress { get; set; }
    public V0BuyerInfo? BuyerInfo { get; set; }
    public V0AutomatedShippingSettings? AutomatedShippingSettings { get; set; }
    public bool? HasRegulatedItems { get; set; }
    public string? ElectronicInvoiceStatus { get; set; }
}

internal sealed record V0Money
{
    public string? CurrencyCode { get; set; }
    public string? Amount { get; set; }
}

internal sealed record V0PaymentExecutionDetailItem
{
    public V0Money? Payment { get; set; }
    public string? PaymentMethod { get; set; }
    public string? AcquirerId { get; set; }
    public string? CardBrand { get; set; }
    public string? AuthorizationCode { get; set; }
}

internal sealed record V0Address
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
    public V0AddressExtendedFields? ExtendedFields { get; set; }
    public string? AddressType { get; set; }
}

internal sealed record V0AddressExtendedFields
{
    public string? StreetName { get; set; }
    public string? StreetNumber { get; set; }
    public string? Complement { get; set; }
    public string? Neighborhood { get; set; }
    public V0GeoCoordinates? GeoCoordinates { get; set; }
}

internal sealed record V0GeoCoordinates
{
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

internal sealed record V0BuyerTaxInformation
{
    public string? BuyerLegalCompanyName { get; set; }
    public string? BuyerBusinessAddress { get; set; }
    public string? BuyerTaxRegistrationId { get; set; }
    public string? BuyerTaxOffice { get; set; }
}

internal sealed record V0FulfillmentInstruction
{
    public string? FulfillmentSupplySourceId { get; set; }
}

internal sealed record V0MarketplaceTaxInfo
{
    public IReadOnlyList<V0TaxClassification>? TaxClassifications { get; set; }
}

internal sealed record V0TaxClassification
{
    public string? Name { get; set; }
    public string? Value { get; set; }
}

internal sealed record V0BuyerInfo
{
    public string? BuyerEmail { get; set; }
    public string? BuyerName { get; set; }
    public string? BuyerCounty { get; set; }
    public V0BuyerTaxInfo? BuyerTaxInfo { get; set; }
    public string? PurchaseOrderNumber { get; set; }
}

internal sealed record V0BuyerTaxInfo
{
    public string? CompanyLegalName { get; set; }
    public string? TaxingRegion { get; set; }
    public IReadOnlyList<V0TaxClassification>? TaxClassifications { get; set; }
}

internal sealed record V0AutomatedShippingSettings
{
    public bool? HasAutomatedShippingSettings { get; set; }
    public string? AutomatedCarrier { get; set; }
    public string? AutomatedShipMethod { get; set; }
}
