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

internal sealed record V2026Alias(string? AliasId, string? AliasType);

internal sealed record V2026AssociatedOrder(string? OrderId, string? AssociationType);

internal sealed record V2026SalesChannel(string? ChannelName, string? MarketplaceId, string? MarketplaceName);

internal sealed record V2026Buyer(string? BuyerName, string? BuyerEmail, string? BuyerCompanyName, string? BuyerPurchaseOrderNumber);

internal sealed record V2026Recipient(V2026CustomerAddress? DeliveryAddress, V2026DeliveryPreference? DeliveryPreference);

internal sealed record V2026OrderProceeds(V2026Money? GrandTotal, IReadOnlyList<V2026OrderProceedsBreakdown>? Breakdowns);

internal sealed record V2026OrderProceedsBreakdown(string? Type, string? Status, V2026Money? Subtotal);

internal sealed record V2026OrderFulfillment(
    string? FulfillmentStatus,
    string? FulfilledBy,
    string? FulfillmentServiceLevel,
    V2026DateTimeRange? ShipByWindow,
    V2026DateTimeRange? DeliverByWindow,
    V2026DateTimeRange? LabelPrintingWindow);

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
    public V2026MerchantAddress? ShipFromAddress { get; init; }
    public IReadOnlyList<V2026PackageItem>? PackageItems { get; init; }
}

internal sealed record V2026DeliveryPreference(
    string? DropOffLocation,
    string? AddressInstruction,
    V2026PreferredDeliveryTime? DeliveryTime,
    IReadOnlyList<string>? DeliveryCapabilities);

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

internal sealed record V2026AddressExtendedFields(string? StreetName, string? StreetNumber, string? Complement, string? Neighborhood);

internal sealed record V2026MerchantAddress
{
    public string? Name { get; init; }
    public string? AddressLine1 { get; init; }
    public string? AddressLine2 { get; init; }
    public string? AddressLine3 { get; init; }
    public string? City { get; init; }
    public string? DistrictOrCounty { get; init; }
    public string? StateOrRegion { get; init; }
    public string? Municipality { get; init; }
    public string? PostalCode { get; init; }
    public string? CountryCode { get; init; }
}

internal sealed record V2026Measurement(string? Unit, decimal? Value);

internal sealed record V2026ItemProduct(
    string? Asin,
    string? Title,
    string? SellerSku,
    V2026ItemCondition? Condition,
    V2026ItemPrice? Price,
    IReadOnlyList<string>? SerialNumbers,
    V2026ItemCustomization? Customization);

internal sealed record V2026ItemProceeds(V2026Money? ProceedsTotal, IReadOnlyList<V2026ItemProceedsBreakdown>? Breakdowns);

internal sealed record V2026ItemExpense(V2026ItemPointsCost? PointsCost);

internal sealed record V2026ItemPromotion(IReadOnlyList<V2026ItemPromotionBreakdown>? Breakdowns);

internal sealed record V2026ItemCancellation(V2026ItemCancellationRequest? CancellationRequest, V2026ItemCancellationExecution? CancellationExecution);

internal sealed record V2026ItemFulfillment(
    int? QuantityFulfilled,
    int? QuantityUnfulfilled,
    V2026ItemPicking? Picking,
    V2026ItemPacking? Packing,
    V2026ItemShipping? Shipping);

internal sealed record V2026PreferredDeliveryTime(IReadOnlyList<V2026BusinessHour>? BusinessHours, IReadOnlyList<V2026ExceptionDate>? ExceptionDates);

internal sealed record V2026BusinessHour(string? DayOfWeek, IReadOnlyList<V2026TimeWindow>? TimeWindows);

internal sealed record V2026ExceptionDate(string? ExceptionDate, string? ExceptionDateType, IReadOnlyList<V2026TimeWindow>? TimeWindows);

internal sealed record V2026TimeWindow(V2026HourMinute? StartTime, V2026HourMinute? EndTime);

internal sealed record V2026HourMinute(int? Hour, int? Minute);

internal sealed record V2026ItemCondition(string? ConditionType, string? ConditionSubtype, string? ConditionNote);

internal sealed record V2026ItemPrice(V2026Money? UnitPrice, string? PriceDesignation);

internal sealed record V2026ItemCustomization(string? CustomizedUrl);

internal sealed record V2026ItemProceedsBreakdown(string? Type, V2026Money? Subtotal, IReadOnlyList<V2026ItemProceedsDetailedBreakdown>? DetailedBreakdowns);

internal sealed record V2026ItemProceedsDetailedBreakdown(string? Subtype, V2026Money? Value);

internal sealed record V2026ItemPointsCost(V2026PointsGranted? PointsGranted);

internal sealed record V2026PointsGranted(int? PointsNumber, V2026Money? PointsMonetaryValue);

internal sealed record V2026ItemPromotionBreakdown(string? PromotionId);

internal sealed record V2026ItemCancellationRequest(string? Requester, string? CancelReason);

internal sealed record V2026ItemCancellationExecution(string? CancelledBy, string? CancelReason);

internal sealed record V2026ItemPicking(V2026ItemSubstitutionPreference? SubstitutionPreference);

internal sealed record V2026ItemPacking(V2026GiftOption? GiftOption, V2026SerialNumberRequirement? SerialNumberRequirement);

internal sealed record V2026ItemShipping(
    V2026DateTimeRange? ScheduledDeliveryWindow,
    V2026ItemShippingConstraints? ShippingConstraints,
    V2026ItemInternationalShipping? InternationalShipping);

internal sealed record V2026GiftOption(string? GiftMessage, string? GiftWrapLevel);

internal sealed record V2026SerialNumberRequirement(string? RequirementType);

internal sealed record V2026ItemSubstitutionPreference(string? SubstitutionType, IReadOnlyList<V2026ItemSubstitutionOption>? SubstitutionOptions);

internal sealed record V2026ItemSubstitutionOption(string? Asin, int? QuantityOrdered, string? SellerSku, string? Title, V2026Measurement? Measurement);

internal sealed record V2026ItemShippingConstraints(
    string? PalletDelivery,
    string? CashOnDelivery,
    string? SignatureConfirmation,
    string? RecipientIdentityVerification,
    string? RecipientAgeVerification);

internal sealed record V2026ItemInternationalShipping(string? IossNumber);

internal sealed record V2026PackageStatus(string? Status, string? DetailedStatus);

internal sealed record V2026PackageItem(string? OrderItemId, int? Quantity, IReadOnlyList<string>? TransparencyCodes);

internal sealed record V2026OrderPayment(IReadOnlyList<V2026PaymentExecution>? PaymentExecutions);

internal sealed record V2026PaymentExecution(string? PaymentMethod, V2026Money? PaymentAmount, string? AcquirerId, string? CardBrand, string? AuthorizationCode);

internal sealed record V2026OrderTax(IReadOnlyList<V2026OrderTaxRegistration>? TaxRegistrations, V2026OrderTaxInvoicing? TaxInvoicing);

internal sealed record V2026OrderTaxRegistration(
    string? EntityType,
    string? LegalName,
    string? TaxRegistrationType,
    string? TaxRegistrationNumber,
    V2026CustomerAddress? TaxRegistrationAddress,
    IReadOnlyList<V2026TaxRegistrationAttribute>? TaxRegistrationAttributes);

internal sealed record V2026TaxRegistrationAttribute(string? Key, string? Value);

internal sealed record V2026OrderTaxInvoicing(string? BuyerInvoicePreference, string? InvoiceStatus);

internal sealed record V2026AssociatedOrderItem(string? OrderId, string? OrderItemId, string? AssociationType);

internal sealed record V2026ItemTax(IReadOnlyList<V2026ItemTaxCalculationBreakdown>? TaxCalculationBreakdowns, IReadOnlyList<V2026ItemTaxCollection>? TaxCollections);

internal sealed record V2026ItemTaxCalculationBreakdown(string? ReportingScheme);

internal sealed record V2026ItemTaxCollection(string? Model, string? ResponsibleParty);

internal sealed record V2026Money(string? Amount, string? CurrencyCode);

internal sealed record V2026DateTimeRange(string? EarliestDateTime, string? LatestDateTime);

internal sealed record V2026FulfillmentOrder(string? FulfillmentOrderId);
