using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

// The JSON shapes of Orders API 2026-01-01 getOrder, as orders_2026-01-01.json defines them (camelCase on the wire,
// see Orders20260101JsonContext). As for v0, enumerations stay strings (an unknown value never fails to
// deserialize), date-times are read as UTC instants (SpTimestampConverter), and properties are settable (OrdersV0.cs
// says why).

// As for v0, the context reads every Located<V2026Order> with LocatedJsonConverter: each order's bytes are found in
// the pass that deserializes it.
internal sealed class V2026GetOrderResponse
{
    public OrderHub.Json.Located<V2026Order> Order { get; set; }

    public IReadOnlyList<SpError>? Errors { get; set; }
}

// searchOrders: a page of whole orders, its pagination and the end of the window it covers.
internal sealed class V2026SearchOrdersResponse
{
    public IReadOnlyList<OrderHub.Json.Located<V2026Order>>? Orders { get; set; }
    public V2026Pagination? Pagination { get; set; }
    public string? LastUpdatedBefore { get; set; }
    public string? CreatedBefore { get; set; }
    public IReadOnlyList<SpError>? Errors { get; set; }
}

internal sealed class V2026Pagination
{
    public string? NextToken { get; set; }
}

internal sealed record V2026Order
{
    public string? OrderId { get; set; }
    public IReadOnlyList<V2026Alias>? OrderAliases { get; set; }
    public DateTimeOffset? CreatedTime { get; set; }
    public DateTimeOffset? LastUpdatedTime { get; set; }
    public IReadOnlyList<string>? Programs { get; set; }
    public IReadOnlyList<V2026AssociatedOrder>? AssociatedOrders { get; set; }
    public V2026SalesChannel? SalesChannel { get; set; }
    public V2026Buyer? Buyer { get; set; }
    public V2026Recipient? Recipient { get; set; }
    public V2026OrderProceeds? Proceeds { get; set; }
    public V2026OrderPayment? Payment { get; set; }
    public V2026OrderTax? Tax { get; set; }
    public V2026OrderFulfillment? Fulfillment { get; set; }
    public IReadOnlyList<V2026OrderItem>? OrderItems { get; set; }
    public IReadOnlyList<V2026OrderPackage>? Packages { get; set; }
    public IReadOnlyList<V2026FulfillmentOrder>? FulfillmentOrders { get; set; }
}

internal sealed record V2026Alias
{
    public string? AliasId { get; set; }
    public string? AliasType { get; set; }
}

internal sealed record V2026AssociatedOrder
{
    public string? OrderId { get; set; }
    public string? AssociationType { get; set; }
}

internal sealed record V2026SalesChannel
{
    public string? ChannelName { get; set; }
    public string? MarketplaceId { get; set; }
    public string? MarketplaceName { get; set; }
}

internal sealed record V2026Buyer
{
    public string? BuyerName { get; set; }
    public string? BuyerEmail { get; set; }
    public string? BuyerCompanyName { get; set; }
    public string? BuyerPurchaseOrderNumber { get; set; }
}

internal sealed record V2026Recipient
{
    public V2026CustomerAddress? DeliveryAddress { get; set; }
    public V2026DeliveryPreference? DeliveryPreference { get; set; }
}

internal sealed record V2026OrderProceeds
{
    public V2026Money? GrandTotal { get; set; }
    public IReadOnlyList<V2026OrderProceedsBreakdown>? Breakdowns { get; set; }
}

internal sealed record V2026OrderProceedsBreakdown
{
    public string? Type { get; set; }
    public string? Status { get; set; }
    public V2026Money? Subtotal { get; set; }
}

internal sealed record V2026OrderFulfillment
{
    public string? FulfillmentStatus { get; set; }
    public string? FulfilledBy { get; set; }
    public string? FulfillmentServiceLevel { get; set; }
    public V2026DateTimeRange? ShipByWindow { get; set; }
    public V2026DateTimeRange? DeliverByWindow { get; set; }
    public V2026DateTimeRange? LabelPrintingWindow { get; set; }
}

internal sealed record V2026OrderItem
{
    public string? OrderItemId { get; set; }
    public int? QuantityOrdered { get; set; }
    public V2026Measurement? Measurement { get; set; }
    public IReadOnlyList<V2026AssociatedOrderItem>? AssociatedOrderItems { get; set; }
    public IReadOnlyList<string>? Programs { get; set; }
    public V2026ItemProduct? Product { get; set; }
    public V2026ItemProceeds? Proceeds { get; set; }
    public V2026ItemExpense? Expense { get; set; }
    public V2026ItemPromotion? Promotion { get; set; }
    public V2026ItemCancellation? Cancellation { get; set; }
    public V2026ItemFulfillment? Fulfillment { get; set; }
    public V2026ItemTax? Tax { get; set; }
}

internal sealed record V2026OrderPackage
{
    public string? PackageReferenceId { get; set; }
    public DateTimeOffset? CreatedTime { get; set; }
    public V2026PackageStatus? PackageStatus { get; set; }
    public string? Carrier { get; set; }
    public DateTimeOffset? ShipTime { get; set; }
    public string? ShippingService { get; set; }
    public string? TrackingNumber { get; set; }
    // The spec's MerchantAddress is CustomerAddress without company, phone, extended fields and type: one shape reads both.
    public V2026CustomerAddress? ShipFromAddress { get; set; }
    public IReadOnlyList<V2026PackageItem>? PackageItems { get; set; }
}

internal sealed record V2026DeliveryPreference
{
    public string? DropOffLocation { get; set; }
    public string? AddressInstruction { get; set; }
    public V2026PreferredDeliveryTime? DeliveryTime { get; set; }
    public IReadOnlyList<string>? DeliveryCapabilities { get; set; }
}

internal sealed record V2026CustomerAddress
{
    public string? Name { get; set; }
    public string? CompanyName { get; set; }
    public string? AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public string? AddressLine3 { get; set; }
    public string? City { get; set; }
    public string? DistrictOrCounty { get; set; }
    public string? StateOrRegion { get; set; }
    public string? Municipality { get; set; }
    public string? PostalCode { get; set; }
    public string? CountryCode { get; set; }
    public string? Phone { get; set; }
    public V2026AddressExtendedFields? ExtendedFields { get; set; }
    public string? AddressType { get; set; }
}

internal sealed record V2026AddressExtendedFields
{
    public string? StreetName { get; set; }
    public string? StreetNumber { get; set; }
    public string? Complement { get; set; }
    public string? Neighborhood { get; set; }
}

internal sealed record V2026Measurement
{
    public string? Unit { get; set; }
    public decimal? Value { get; set; }
}

internal sealed record V2026ItemProduct
{
    public string? Asin { get; set; }
    public string? Title { get; set; }
    public string? SellerSku { get; set; }
    public V2026ItemCondition? Condition { get; set; }
    public V2026ItemPrice? Price { get; set; }
    public IReadOnlyList<string>? SerialNumbers { get; set; }
    public V2026ItemCustomization? Customization { get; set; }
}

internal sealed record V2026ItemProceeds
{
    public V2026Money? ProceedsTotal { get; set; }
    public IReadOnlyList<V2026ItemProceedsBreakdown>? Breakdowns { get; set; }
}

internal sealed record V2026ItemExpense
{
    public V2026ItemPointsCost? PointsCost { get; set; }
}

internal sealed record V2026ItemPromotion
{
    public IReadOnlyList<V2026ItemPromotionBreakdown>? Breakdowns { get; set; }
}

internal sealed record V2026ItemCancellation
{
    public V2026ItemCancellationRequest? CancellationRequest { get; set; }
    public V2026ItemCancellationExecution? CancellationExecution { get; set; }
}

internal sealed record V2026ItemFulfillment
{
    public int? QuantityFulfilled { get; set; }
    public int? QuantityUnfulfilled { get; set; }
    public V2026ItemPicking? Picking { get; set; }
    public V2026ItemPacking? Packing { get; set; }
    public V2026ItemShipping? Shipping { get; set; }
}

internal sealed record V2026PreferredDeliveryTime
{
    public IReadOnlyList<V2026BusinessHour>? BusinessHours { get; set; }
    public IReadOnlyList<V2026ExceptionDate>? ExceptionDates { get; set; }
}

internal sealed record V2026BusinessHour
{
    public string? DayOfWeek { get; set; }
    public IReadOnlyList<V2026TimeWindow>? TimeWindows { get; set; }
}

internal sealed record V2026ExceptionDate
{
    public string? ExceptionDate { get; set; }
    public string? ExceptionDateType { get; set; }
    public IReadOnlyList<V2026TimeWindow>? TimeWindows { get; set; }
}

internal sealed record V2026TimeWindow
{
    public V2026HourMinute? StartTime { get; set; }
    public V2026HourMinute? EndTime { get; set; }
}

internal sealed record V2026HourMinute
{
    public int? Hour { get; set; }
    public int? Minute { get; set; }
}

internal sealed record V2026ItemCondition
{
    public string? ConditionType { get; set; }
    public string? ConditionSubtype { get; set; }
    public string? ConditionNote { get; set; }
}

internal sealed record V2026ItemPrice
{
    public V2026Money? UnitPrice { get; set; }
    public string? PriceDesignation { get; set; }
}

internal sealed record V2026ItemCustomization
{
    public string? CustomizedUrl { get; set; }
}

internal sealed record V2026ItemProceedsBreakdown
{
    public string? Type { get; set; }
    public V2026Money? Subtotal { get; set; }
    public IReadOnlyList<V2026ItemProceedsDetailedBreakdown>? DetailedBreakdowns { get; set; }
}

internal sealed record V2026ItemProceedsDetailedBreakdown
{
    public string? Subtype { get; set; }
    public V2026Money? Value { get; set; }
}

internal sealed record V2026ItemPointsCost
{
    public V2026PointsGranted? PointsGranted { get; set; }
}

internal sealed record V2026PointsGranted
{
    public int? PointsNumber { get; set; }
    public V2026Money? PointsMonetaryValue { get; set; }
}

internal sealed record V2026ItemPromotionBreakdown
{
    public string? PromotionId { get; set; }
}

internal sealed record V2026ItemCancellationRequest
{
    public string? Requester { get; set; }
    public string? CancelReason { get; set; }
}

internal sealed record V2026ItemCancellationExecution
{
    public string? CancelledBy { get; set; }
    public string? CancelReason { get; set; }
}

internal sealed record V2026ItemPicking
{
    public V2026ItemSubstitutionPreference? SubstitutionPreference { get; set; }
}

internal sealed record V2026ItemPacking
{
    public V2026GiftOption? GiftOption { get; set; }
    public V2026SerialNumberRequirement? SerialNumberRequirement { get; set; }
}

internal sealed record V2026ItemShipping
{
    public V2026DateTimeRange? ScheduledDeliveryWindow { get; set; }
    public V2026ItemShippingConstraints? ShippingConstraints { get; set; }
    public V2026ItemInternationalShipping? InternationalShipping { get; set; }
}

internal sealed record V2026GiftOption
{
    public string? GiftMessage { get; set; }
    public string? GiftWrapLevel { get; set; }
}

internal sealed record V2026SerialNumberRequirement
{
    public string? RequirementType { get; set; }
}

internal sealed record V2026ItemSubstitutionPreference
{
    public string? SubstitutionType { get; set; }
    public IReadOnlyList<V2026ItemSubstitutionOption>? SubstitutionOptions { get; set; }
}

internal sealed record V2026ItemSubstitutionOption
{
    public string? Asin { get; set; }
    public int? QuantityOrdered { get; set; }
    public string? SellerSku { get; set; }
    public string? Title { get; set; }
    public V2026Measurement? Measurement { get; set; }
}

internal sealed record V2026ItemShippingConstraints
{
    public string? PalletDelivery { get; set; }
    public string? CashOnDelivery { get; set; }
    public string? SignatureConfirmation { get; set; }
    public string? RecipientIdentityVerification { get; set; }
    public string? RecipientAgeVerification { get; set; }
}

internal sealed record V2026ItemInternationalShipping
{
    public string? IossNumber { get; set; }
}

internal sealed record V2026PackageStatus
{
    public string? Status { get; set; }
    public string? DetailedStatus { get; set; }
}

internal sealed record V2026PackageItem
{
    public string? OrderItemId { get; set; }
    public int? Quantity { get; set; }
    public IReadOnlyList<string>? TransparencyCodes { get; set; }
}

internal sealed record V2026OrderPayment
{
    public IReadOnlyList<V2026PaymentExecution>? PaymentExecutions { get; set; }
}

internal sealed record V2026PaymentExecution
{
    public string? PaymentMethod { get; set; }
    public V2026Money? PaymentAmount { get; set; }
    public string? AcquirerId { get; set; }
    public string? CardBrand { get; set; }
    public string? AuthorizationCode { get; set; }
}

internal sealed record V2026OrderTax
{
    public IReadOnlyList<V2026OrderTaxRegistration>? TaxRegistrations { get; set; }
    public V2026OrderTaxInvoicing? TaxInvoicing { get; set; }
}

internal sealed record V2026OrderTaxRegistration
{
    public string? EntityType { get; set; }
    public string? LegalName { get; set; }
    public string? TaxRegistrationType { get; set; }
    public string? TaxRegistrationNumber { get; set; }
    public V2026CustomerAddress? TaxRegistrationAddress { get; set; }
    public IReadOnlyList<V2026TaxRegistrationAttribute>? TaxRegistrationAttributes { get; set; }
}

internal sealed record V2026TaxRegistrationAttribute
{
    public string? Key { get; set; }
    public string? Value { get; set; }
}

internal sealed record V2026OrderTaxInvoicing
{
    public string? BuyerInvoicePreference { get; set; }
    public string? InvoiceStatus { get; set; }
}

internal sealed record V2026AssociatedOrderItem
{
    public string? OrderId { get; set; }
    public string? OrderItemId { get; set; }
    public string? AssociationType { get; set; }
}

internal sealed record V2026ItemTax
{
    public IReadOnlyList<V2026ItemTaxCalculationBreakdown>? TaxCalculationBreakdowns { get; set; }
    public IReadOnlyList<V2026ItemTaxCollection>? TaxCollections { get; set; }
}

internal sealed record V2026ItemTaxCalculationBreakdown
{
    public string? ReportingScheme { get; set; }
}

internal sealed record V2026ItemTaxCollection
{
    public string? Model { get; set; }
    public string? ResponsibleParty { get; set; }
}

internal sealed record V2026Money
{
    public string? Amount { get; set; }
    public string? CurrencyCode { get; set; }
}

internal sealed record V2026DateTimeRange
{
    public DateTimeOffset? EarliestDateTime { get; set; }
    public DateTimeOffset? LatestDateTime { get; set; }
}

internal sealed record V2026FulfillmentOrder
{
    public string? FulfillmentOrderId { get; set; }
}
