namespace OrderHub.SellingPartner.Wire;

// The JSON shapes of Orders API 2026-01-01 getOrder, as orders_2026-01-01.json defines them (camelCase on the wire,
// see Orders20260101JsonContext). As for v0, enumerations and dates stay strings: the mapper reads them, and an
// unknown value never fails to deserialize.

internal sealed record V2026GetOrderResponse
{
    public V2026Order? Order { get; init; }
    public IReadOnlyList<SpError>? Errors { get; init; }
}

internal sealed record V2026Order
{
    public string? OrderId { get; init; }
    public IReadOnlyList<V2026Alias>? OrderAliases { get; init; }
    public string? CreatedTime { get; init; }
    public string? LastUpdatedTime { get; init; }
    public IReadOnlyList<string>? Programs { get; init; }
    public IReadOnlyList<V2026AssociatedOrder>? AssociatedOrders { get; init; }
    public V2026SalesChannel? SalesChannel { get; init; }
    public V2026Buyer? Buyer { get; init; }
    public V2026Recipient? Recipient { get; init; }
    public V2026OrderProceeds? Proceeds { get; init; }
    public V2026OrderPayment? Payment { get; init; }
    public V2026OrderTax? Tax { get; init; }
    public V2026OrderFulfillment? Fulfillment { get; init; }
    public IReadOnlyList<V2026OrderItem>? OrderItems { get; init; }
    public IReadOnlyList<V2026OrderPackage>? Packages { get; init; }
    public IReadOnlyList<V2026FulfillmentOrder>? FulfillmentOrders { get; init; }
}

internal sealed record V2026Alias
{
    public string? AliasId { get; init; }
    public string? AliasType { get; init; }
}

internal sealed record V2026AssociatedOrder
{
    public string? OrderId { get; init; }
    public string? AssociationType { get; init; }
}

internal sealed record V2026SalesChannel
{
    public string? ChannelName { get; init; }
    public string? MarketplaceId { get; init; }
    public string? MarketplaceName { get; init; }
}

internal sealed record V2026Buyer
{
    public string? BuyerName { get; init; }
    public string? BuyerEmail { get; init; }
    public string? BuyerCompanyName { get; init; }
    public string? BuyerPurchaseOrderNumber { get; init; }
}

internal sealed record V2026Recipient
{
    public V2026CustomerAddress? DeliveryAddress { get; init; }
    public V2026DeliveryPreference? DeliveryPreference { get; init; }
}

internal sealed record V2026OrderProceeds
{
    public V2026Money? GrandTotal { get; init; }
    public IReadOnlyList<V2026OrderProceedsBreakdown>? Breakdowns { get; init; }
}

internal sealed record V2026OrderProceedsBreakdown
{
    public string? Type { get; init; }
    public string? Status { get; init; }
    public V2026Money? Subtotal { get; init; }
}

internal sealed record V2026OrderFulfillment
{
    public string? FulfillmentStatus { get; init; }
    public string? FulfilledBy { get; init; }
    public string? FulfillmentServiceLevel { get; init; }
    public V2026DateTimeRange? ShipByWindow { get; init; }
    public V2026DateTimeRange? DeliverByWindow { get; init; }
    public V2026DateTimeRange? LabelPrintingWindow { get; init; }
}

internal sealed record V2026OrderItem
{
    public string? OrderItemId { get; init; }
    public int? QuantityOrdered { get; init; }
    public V2026Measurement? Measurement { get; init; }
    public IReadOnlyList<V2026AssociatedOrderItem>? AssociatedOrderItems { get; init; }
    public IReadOnlyList<string>? Programs { get; init; }
    public V2026ItemProduct? Product { get; init; }
    public V2026ItemProceeds? Proceeds { get; init; }
    public V2026ItemExpense? Expense { get; init; }
    public V2026ItemPromotion? Promotion { get; init; }
    public V2026ItemCancellation? Cancellation { get; init; }
    public V2026ItemFulfillment? Fulfillment { get; init; }
    public V2026ItemTax? Tax { get; init; }
}

internal sealed record V2026OrderPackage
{
    public string? PackageReferenceId { get; init; }
    public string? CreatedTime { get; init; }
    public V2026PackageStatus? PackageStatus { get; init; }
    public string? Carrier { get; init; }
    public string? ShipTime { get; init; }
    public string? ShippingService { get; init; }
    public string? TrackingNumber { get; init; }
    // The spec's MerchantAddress is CustomerAddress without company, phone, extended fields and type: one shape reads both.
    public V2026CustomerAddress? ShipFromAddress { get; init; }
    public IReadOnlyList<V2026PackageItem>? PackageItems { get; init; }
}

internal sealed record V2026DeliveryPreference
{
    public string? DropOffLocation { get; init; }
    public string? AddressInstruction { get; init; }
    public V2026PreferredDeliveryTime? DeliveryTime { get; init; }
    public IReadOnlyList<string>? DeliveryCapabilities { get; init; }
}

internal sealed record V2026CustomerAddress
{
    public string? Name { get; init; }
    public string? CompanyName { get; init; }
    public string? AddressLine1 { get; init; }
    public string? AddressLine2 { get; init; }
    public string? AddressLine3 { get; init; }
    public string? City { get; init; }
    public string? DistrictOrCounty { get; init; }
    public string? StateOrRegion { get; init; }
    public string? Municipality { get; init; }
    public string? PostalCode { get; init; }
    public string? CountryCode { get; init; }
    public string? Phone { get; init; }
    public V2026AddressExtendedFields? ExtendedFields { get; init; }
    public string? AddressType { get; init; }
}

internal sealed record V2026AddressExtendedFields
{
    public string? StreetName { get; init; }
    public string? StreetNumber { get; init; }
    public string? Complement { get; init; }
    public string? Neighborhood { get; init; }
}

internal sealed record V2026Measurement
{
    public string? Unit { get; init; }
    public decimal? Value { get; init; }
}

internal sealed record V2026ItemProduct
{
    public string? Asin { get; init; }
    public string? Title { get; init; }
    public string? SellerSku { get; init; }
    public V2026ItemCondition? Condition { get; init; }
    public V2026ItemPrice? Price { get; init; }
    public IReadOnlyList<string>? SerialNumbers { get; init; }
    public V2026ItemCustomization? Customization { get; init; }
}

internal sealed record V2026ItemProceeds
{
    public V2026Money? ProceedsTotal { get; init; }
    public IReadOnlyList<V2026ItemProceedsBreakdown>? Breakdowns { get; init; }
}

internal sealed record V2026ItemExpense
{
    public V2026ItemPointsCost? PointsCost { get; init; }
}

internal sealed record V2026ItemPromotion
{
    public IReadOnlyList<V2026ItemPromotionBreakdown>? Breakdowns { get; init; }
}

internal sealed record V2026ItemCancellation
{
    public V2026ItemCancellationRequest? CancellationRequest { get; init; }
    public V2026ItemCancellationExecution? CancellationExecution { get; init; }
}

internal sealed record V2026ItemFulfillment
{
    public int? QuantityFulfilled { get; init; }
    public int? QuantityUnfulfilled { get; init; }
    public V2026ItemPicking? Picking { get; init; }
    public V2026ItemPacking? Packing { get; init; }
    public V2026ItemShipping? Shipping { get; init; }
}

internal sealed record V2026PreferredDeliveryTime
{
    public IReadOnlyList<V2026BusinessHour>? BusinessHours { get; init; }
    public IReadOnlyList<V2026ExceptionDate>? ExceptionDates { get; init; }
}

internal sealed record V2026BusinessHour
{
    public string? DayOfWeek { get; init; }
    public IReadOnlyList<V2026TimeWindow>? TimeWindows { get; init; }
}

internal sealed record V2026ExceptionDate
{
    public string? ExceptionDate { get; init; }
    public string? ExceptionDateType { get; init; }
    public IReadOnlyList<V2026TimeWindow>? TimeWindows { get; init; }
}

internal sealed record V2026TimeWindow
{
    public V2026HourMinute? StartTime { get; init; }
    public V2026HourMinute? EndTime { get; init; }
}

internal sealed record V2026HourMinute
{
    public int? Hour { get; init; }
    public int? Minute { get; init; }
}

internal sealed record V2026ItemCondition
{
    public string? ConditionType { get; init; }
    public string? ConditionSubtype { get; init; }
    public string? ConditionNote { get; init; }
}

internal sealed record V2026ItemPrice
{
    public V2026Money? UnitPrice { get; init; }
    public string? PriceDesignation { get; init; }
}

internal sealed record V2026ItemCustomization
{
    public string? CustomizedUrl { get; init; }
}

internal sealed record V2026ItemProceedsBreakdown
{
    public string? Type { get; init; }
    public V2026Money? Subtotal { get; init; }
    public IReadOnlyList<V2026ItemProceedsDetailedBreakdown>? DetailedBreakdowns { get; init; }
}

internal sealed record V2026ItemProceedsDetailedBreakdown
{
    public string? Subtype { get; init; }
    public V2026Money? Value { get; init; }
}

internal sealed record V2026ItemPointsCost
{
    public V2026PointsGranted? PointsGranted { get; init; }
}

internal sealed record V2026PointsGranted
{
    public int? PointsNumber { get; init; }
    public V2026Money? PointsMonetaryValue { get; init; }
}

internal sealed record V2026ItemPromotionBreakdown
{
    public string? PromotionId { get; init; }
}

internal sealed record V2026ItemCancellationRequest
{
    public string? Requester { get; init; }
    public string? CancelReason { get; init; }
}

internal sealed record V2026ItemCancellationExecution
{
    public string? CancelledBy { get; init; }
    public string? CancelReason { get; init; }
}

internal sealed record V2026ItemPicking
{
    public V2026ItemSubstitutionPreference? SubstitutionPreference { get; init; }
}

internal sealed record V2026ItemPacking
{
    public V2026GiftOption? GiftOption { get; init; }
    public V2026SerialNumberRequirement? SerialNumberRequirement { get; init; }
}

internal sealed record V2026ItemShipping
{
    public V2026DateTimeRange? ScheduledDeliveryWindow { get; init; }
    public V2026ItemShippingConstraints? ShippingConstraints { get; init; }
    public V2026ItemInternationalShipping? InternationalShipping { get; init; }
}

internal sealed record V2026GiftOption
{
    public string? GiftMessage { get; init; }
    public string? GiftWrapLevel { get; init; }
}

internal sealed record V2026SerialNumberRequirement
{
    public string? RequirementType { get; init; }
}

internal sealed record V2026ItemSubstitutionPreference
{
    public string? SubstitutionType { get; init; }
    public IReadOnlyList<V2026ItemSubstitutionOption>? SubstitutionOptions { get; init; }
}

internal sealed record V2026ItemSubstitutionOption
{
    public string? Asin { get; init; }
    public int? QuantityOrdered { get; init; }
    public string? SellerSku { get; init; }
    public string? Title { get; init; }
    public V2026Measurement? Measurement { get; init; }
}

internal sealed record V2026ItemShippingConstraints
{
    public string? PalletDelivery { get; init; }
    public string? CashOnDelivery { get; init; }
    public string? SignatureConfirmation { get; init; }
    public string? RecipientIdentityVerification { get; init; }
    public string? RecipientAgeVerification { get; init; }
}

internal sealed record V2026ItemInternationalShipping
{
    public string? IossNumber { get; init; }
}

internal sealed record V2026PackageStatus
{
    public string? Status { get; init; }
    public string? DetailedStatus { get; init; }
}

internal sealed record V2026PackageItem
{
    public string? OrderItemId { get; init; }
    public int? Quantity { get; init; }
    public IReadOnlyList<string>? TransparencyCodes { get; init; }
}

internal sealed record V2026OrderPayment
{
    public IReadOnlyList<V2026PaymentExecution>? PaymentExecutions { get; init; }
}

internal sealed record V2026PaymentExecution
{
    public string? PaymentMethod { get; init; }
    public V2026Money? PaymentAmount { get; init; }
    public string? AcquirerId { get; init; }
    public string? CardBrand { get; init; }
    public string? AuthorizationCode { get; init; }
}

internal sealed record V2026OrderTax
{
    public IReadOnlyList<V2026OrderTaxRegistration>? TaxRegistrations { get; init; }
    public V2026OrderTaxInvoicing? TaxInvoicing { get; init; }
}

internal sealed record V2026OrderTaxRegistration
{
    public string? EntityType { get; init; }
    public string? LegalName { get; init; }
    public string? TaxRegistrationType { get; init; }
    public string? TaxRegistrationNumber { get; init; }
    public V2026CustomerAddress? TaxRegistrationAddress { get; init; }
    public IReadOnlyList<V2026TaxRegistrationAttribute>? TaxRegistrationAttributes { get; init; }
}

internal sealed record V2026TaxRegistrationAttribute
{
    public string? Key { get; init; }
    public string? Value { get; init; }
}

internal sealed record V2026OrderTaxInvoicing
{
    public string? BuyerInvoicePreference { get; init; }
    public string? InvoiceStatus { get; init; }
}

internal sealed record V2026AssociatedOrderItem
{
    public string? OrderId { get; init; }
    public string? OrderItemId { get; init; }
    public string? AssociationType { get; init; }
}

internal sealed record V2026ItemTax
{
    public IReadOnlyList<V2026ItemTaxCalculationBreakdown>? TaxCalculationBreakdowns { get; init; }
    public IReadOnlyList<V2026ItemTaxCollection>? TaxCollections { get; init; }
}

internal sealed record V2026ItemTaxCalculationBreakdown
{
    public string? ReportingScheme { get; init; }
}

internal sealed record V2026ItemTaxCollection
{
    public string? Model { get; init; }
    public string? ResponsibleParty { get; init; }
}

internal sealed record V2026Money
{
    public string? Amount { get; init; }
    public string? CurrencyCode { get; init; }
}

internal sealed record V2026DateTimeRange
{
    public string? EarliestDateTime { get; init; }
    public string? LatestDateTime { get; init; }
}

internal sealed record V2026FulfillmentOrder
{
    public string? FulfillmentOrderId { get; init; }
}
