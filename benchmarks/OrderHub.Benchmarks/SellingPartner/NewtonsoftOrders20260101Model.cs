namespace OrderHub.Benchmarks.SellingPartner;

// The baseline for the 2026-01-01 read: the Orders API 2026-01-01 Order as plain Newtonsoft.Json classes (the spec's
// members, strings for enumerations and dates, lists for arrays), which is what a hand-rolled client would hold.
#pragma warning disable CA1002, CA1056, CA2227, SA1402, SA1649

public sealed class Ns2026GetOrderResponse
{
    public Ns2026Order? Order { get; set; }
    public IReadOnlyList<NsError>? Errors { get; set; }
}

public sealed class Ns2026Order
{
    public string? OrderId { get; set; }
    public IReadOnlyList<Ns2026Alias>? OrderAliases { get; set; }
    public string? CreatedTime { get; set; }
    public string? LastUpdatedTime { get; set; }
    public IReadOnlyList<string>? Programs { get; set; }
    public IReadOnlyList<Ns2026AssociatedOrder>? AssociatedOrders { get; set; }
    public Ns2026SalesChannel? SalesChannel { get; set; }
    public Ns2026Buyer? Buyer { get; set; }
    public Ns2026Recipient? Recipient { get; set; }
    public Ns2026OrderProceeds? Proceeds { get; set; }
    public Ns2026OrderPayment? Payment { get; set; }
    public Ns2026OrderTax? Tax { get; set; }
    public Ns2026OrderFulfillment? Fulfillment { get; set; }
    public IReadOnlyList<Ns2026OrderItem>? OrderItems { get; set; }
    public IReadOnlyList<Ns2026OrderPackage>? Packages { get; set; }
    public IReadOnlyList<Ns2026FulfillmentOrder>? FulfillmentOrders { get; set; }
}

public sealed class Ns2026Alias
{
    public string? AliasId { get; set; }
    public string? AliasType { get; set; }
}

public sealed class Ns2026AssociatedOrder
{
    public string? OrderId { get; set; }
    public string? AssociationType { get; set; }
}

public sealed class Ns2026SalesChannel
{
    public string? ChannelName { get; set; }
    public string? MarketplaceId { get; set; }
    public string? MarketplaceName { get; set; }
}

public sealed class Ns2026Buyer
{
    public string? BuyerName { get; set; }
    public string? BuyerEmail { get; set; }
    public string? BuyerCompanyName { get; set; }
    public string? BuyerPurchaseOrderNumber { get; set; }
}

public sealed class Ns2026Recipient
{
    public Ns2026CustomerAddress? DeliveryAddress { get; set; }
    public Ns2026DeliveryPreference? DeliveryPreference { get; set; }
}

public sealed class Ns2026OrderProceeds
{
    public Ns2026Money? GrandTotal { get; set; }
    public IReadOnlyList<Ns2026OrderProceedsBreakdown>? Breakdowns { get; set; }
}

public sealed class Ns2026OrderProceedsBreakdown
{
    public string? Type { get; set; }
    public string? Status { get; set; }
    public Ns2026Money? Subtotal { get; set; }
}

public sealed class Ns2026OrderFulfillment
{
    public string? FulfillmentStatus { get; set; }
    public string? FulfilledBy { get; set; }
    public string? FulfillmentServiceLevel { get; set; }
    public Ns2026DateTimeRange? ShipByWindow { get; set; }
    public Ns2026DateTimeRange? DeliverByWindow { get; set; }
    public Ns2026DateTimeRange? LabelPrintingWindow { get; set; }
}

public sealed class Ns2026OrderItem
{
    public string? OrderItemId { get; set; }
    public int? QuantityOrdered { get; set; }
    public Ns2026Measurement? Measurement { get; set; }
    public IReadOnlyList<Ns2026AssociatedOrderItem>? AssociatedOrderItems { get; set; }
    public IReadOnlyList<string>? Programs { get; set; }
    public Ns2026ItemProduct? Product { get; set; }
    public Ns2026ItemProceeds? Proceeds { get; set; }
    public Ns2026ItemExpense? Expense { get; set; }
    public Ns2026ItemPromotion? Promotion { get; set; }
    public Ns2026ItemCancellation? Cancellation { get; set; }
    public Ns2026ItemFulfillment? Fulfillment { get; set; }
    public Ns2026ItemTax? Tax { get; set; }
}

public sealed class Ns2026OrderPackage
{
    public string? PackageReferenceId { get; set; }
    public string? CreatedTime { get; set; }
    public Ns2026PackageStatus? PackageStatus { get; set; }
    public string? Carrier { get; set; }
    public string? ShipTime { get; set; }
    public string? ShippingService { get; set; }
    public string? TrackingNumber { get; set; }
    // The spec's MerchantAddress is CustomerAddress without company, phone, extended fields and type: one shape reads both.
    public Ns2026CustomerAddress? ShipFromAddress { get; set; }
    public IReadOnlyList<Ns2026PackageItem>? PackageItems { get; set; }
}

public sealed class Ns2026DeliveryPreference
{
    public string? DropOffLocation { get; set; }
    public string? AddressInstruction { get; set; }
    public Ns2026PreferredDeliveryTime? DeliveryTime { get; set; }
    public IReadOnlyList<string>? DeliveryCapabilities { get; set; }
}

public sealed class Ns2026CustomerAddress
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
    public Ns2026AddressExtendedFields? ExtendedFields { get; set; }
    public string? AddressType { get; set; }
}

public sealed class Ns2026AddressExtendedFields
{
    public string? StreetName { get; set; }
    public string? StreetNumber { get; set; }
    public string? Complement { get; set; }
    public string? Neighborhood { get; set; }
}

public sealed class Ns2026Measurement
{
    public string? Unit { get; set; }
    public decimal? Value { get; set; }
}

public sealed class Ns2026ItemProduct
{
    public string? Asin { get; set; }
    public string? Title { get; set; }
    public string? SellerSku { get; set; }
    public Ns2026ItemCondition? Condition { get; set; }
    public Ns2026ItemPrice? Price { get; set; }
    public IReadOnlyList<string>? SerialNumbers { get; set; }
    public Ns2026ItemCustomization? Customization { get; set; }
}

public sealed class Ns2026ItemProceeds
{
    public Ns2026Money? ProceedsTotal { get; set; }
    public IReadOnlyList<Ns2026ItemProceedsBreakdown>? Breakdowns { get; set; }
}

public sealed class Ns2026ItemExpense
{
    public Ns2026ItemPointsCost? PointsCost { get; set; }
}

public sealed class Ns2026ItemPromotion
{
    public IReadOnlyList<Ns2026ItemPromotionBreakdown>? Breakdowns { get; set; }
}

public sealed class Ns2026ItemCancellation
{
    public Ns2026ItemCancellationRequest? CancellationRequest { get; set; }
    public Ns2026ItemCancellationExecution? CancellationExecution { get; set; }
}

public sealed class Ns2026ItemFulfillment
{
    public int? QuantityFulfilled { get; set; }
    public int? QuantityUnfulfilled { get; set; }
    public Ns2026ItemPicking? Picking { get; set; }
    public Ns2026ItemPacking? Packing { get; set; }
    public Ns2026ItemShipping? Shipping { get; set; }
}

public sealed class Ns2026PreferredDeliveryTime
{
    public IReadOnlyList<Ns2026BusinessHour>? BusinessHours { get; set; }
    public IReadOnlyList<Ns2026ExceptionDate>? ExceptionDates { get; set; }
}

public sealed class Ns2026BusinessHour
{
    public string? DayOfWeek { get; set; }
    public IReadOnlyList<Ns2026TimeWindow>? TimeWindows { get; set; }
}

public sealed class Ns2026ExceptionDate
{
    public string? ExceptionDate { get; set; }
    public string? ExceptionDateType { get; set; }
    public IReadOnlyList<Ns2026TimeWindow>? TimeWindows { get; set; }
}

public sealed class Ns2026TimeWindow
{
    public Ns2026HourMinute? StartTime { get; set; }
    public Ns2026HourMinute? EndTime { get; set; }
}

public sealed class Ns2026HourMinute
{
    public int? Hour { get; set; }
    public int? Minute { get; set; }
}

public sealed class Ns2026ItemCondition
{
    public string? ConditionType { get; set; }
    public string? ConditionSubtype { get; set; }
    public string? ConditionNote { get; set; }
}

public sealed class Ns2026ItemPrice
{
    public Ns2026Money? UnitPrice { get; set; }
    public string? PriceDesignation { get; set; }
}

public sealed class Ns2026ItemCustomization
{
    public string? CustomizedUrl { get; set; }
}

public sealed class Ns2026ItemProceedsBreakdown
{
    public string? Type { get; set; }
    public Ns2026Money? Subtotal { get; set; }
    public IReadOnlyList<Ns2026ItemProceedsDetailedBreakdown>? DetailedBreakdowns { get; set; }
}

public sealed class Ns2026ItemProceedsDetailedBreakdown
{
    public string? Subtype { get; set; }
    public Ns2026Money? Value { get; set; }
}

public sealed class Ns2026ItemPointsCost
{
    public Ns2026PointsGranted? PointsGranted { get; set; }
}

public sealed class Ns2026PointsGranted
{
    public int? PointsNumber { get; set; }
    public Ns2026Money? PointsMonetaryValue { get; set; }
}

public sealed class Ns2026ItemPromotionBreakdown
{
    public string? PromotionId { get; set; }
}

public sealed class Ns2026ItemCancellationRequest
{
    public string? Requester { get; set; }
    public string? CancelReason { get; set; }
}

public sealed class Ns2026ItemCancellationExecution
{
    public string? CancelledBy { get; set; }
    public string? CancelReason { get; set; }
}

public sealed class Ns2026ItemPicking
{
    public Ns2026ItemSubstitutionPreference? SubstitutionPreference { get; set; }
}

public sealed class Ns2026ItemPacking
{
    public Ns2026GiftOption? GiftOption { get; set; }
    public Ns2026SerialNumberRequirement? SerialNumberRequirement { get; set; }
}

public sealed class Ns2026ItemShipping
{
    public Ns2026DateTimeRange? ScheduledDeliveryWindow { get; set; }
    public Ns2026ItemShippingConstraints? ShippingConstraints { get; set; }
    public Ns2026ItemInternationalShipping? InternationalShipping { get; set; }
}

public sealed class Ns2026GiftOption
{
    public string? GiftMessage { get; set; }
    public string? GiftWrapLevel { get; set; }
}

public sealed class Ns2026SerialNumberRequirement
{
    public string? RequirementType { get; set; }
}

public sealed class Ns2026ItemSubstitutionPreference
{
    public string? SubstitutionType { get; set; }
    public IReadOnlyList<Ns2026ItemSubstitutionOption>? SubstitutionOptions { get; set; }
}

public sealed class Ns2026ItemSubstitutionOption
{
    public string? Asin { get; set; }
    public int? QuantityOrdered { get; set; }
    public string? SellerSku { get; set; }
    public string? Title { get; set; }
    public Ns2026Measurement? Measurement { get; set; }
}

public sealed class Ns2026ItemShippingConstraints
{
    public string? PalletDelivery { get; set; }
    public string? CashOnDelivery { get; set; }
    public string? SignatureConfirmation { get; set; }
    public string? RecipientIdentityVerification { get; set; }
    public string? RecipientAgeVerification { get; set; }
}

public sealed class Ns2026ItemInternationalShipping
{
    public string? IossNumber { get; set; }
}

public sealed class Ns2026PackageStatus
{
    public string? Status { get; set; }
    public string? DetailedStatus { get; set; }
}

public sealed class Ns2026PackageItem
{
    public string? OrderItemId { get; set; }
    public int? Quantity { get; set; }
    public IReadOnlyList<string>? TransparencyCodes { get; set; }
}

public sealed class Ns2026OrderPayment
{
    public IReadOnlyList<Ns2026PaymentExecution>? PaymentExecutions { get; set; }
}

public sealed class Ns2026PaymentExecution
{
    public string? PaymentMethod { get; set; }
    public Ns2026Money? PaymentAmount { get; set; }
    public string? AcquirerId { get; set; }
    public string? CardBrand { get; set; }
    public string? AuthorizationCode { get; set; }
}

public sealed class Ns2026OrderTax
{
    public IReadOnlyList<Ns2026OrderTaxRegistration>? TaxRegistrations { get; set; }
    public Ns2026OrderTaxInvoicing? TaxInvoicing { get; set; }
}

public sealed class Ns2026OrderTaxRegistration
{
    public string? EntityType { get; set; }
    public string? LegalName { get; set; }
    public string? TaxRegistrationType { get; set; }
    public string? TaxRegistrationNumber { get; set; }
    public Ns2026CustomerAddress? TaxRegistrationAddress { get; set; }
    public IReadOnlyList<Ns2026TaxRegistrationAttribute>? TaxRegistrationAttributes { get; set; }
}

public sealed class Ns2026TaxRegistrationAttribute
{
    public string? Key { get; set; }
    public string? Value { get; set; }
}

public sealed class Ns2026OrderTaxInvoicing
{
    public string? BuyerInvoicePreference { get; set; }
    public string? InvoiceStatus { get; set; }
}

public sealed class Ns2026AssociatedOrderItem
{
    public string? OrderId { get; set; }
    public string? OrderItemId { get; set; }
    public string? AssociationType { get; set; }
}

public sealed class Ns2026ItemTax
{
    public IReadOnlyList<Ns2026ItemTaxCalculationBreakdown>? TaxCalculationBreakdowns { get; set; }
    public IReadOnlyList<Ns2026ItemTaxCollection>? TaxCollections { get; set; }
}

public sealed class Ns2026ItemTaxCalculationBreakdown
{
    public string? ReportingScheme { get; set; }
}

public sealed class Ns2026ItemTaxCollection
{
    public string? Model { get; set; }
    public string? ResponsibleParty { get; set; }
}

public sealed class Ns2026Money
{
    public string? Amount { get; set; }
    public string? CurrencyCode { get; set; }
}

public sealed class Ns2026DateTimeRange
{
    public string? EarliestDateTime { get; set; }
    public string? LatestDateTime { get; set; }
}

public sealed class Ns2026FulfillmentOrder
{
    public string? FulfillmentOrderId { get; set; }
}
#pragma warning restore CA1002, CA1056, CA2227, SA1402, SA1649
