namespace OrderHub.SellingPartner;

/// <summary>Another id of an order.</summary>
/// <param name="AliasId">The id.</param>
/// <param name="AliasType">What kind of id, as sent: <c>SELLER_ORDER_ID</c>.</param>
public sealed record OrderAlias(string? AliasId, string? AliasType);

/// <summary>An order this one is associated with.</summary>
/// <param name="OrderId">The other order.</param>
/// <param name="AssociationType">How, as sent: <c>REPLACEMENT_ORIGINAL_ID</c>, <c>EXCHANGE_ORIGINAL_ID</c>.</param>
public sealed record AssociatedOrder(string? OrderId, string? AssociationType);

/// <summary>One category of an order's proceeds.</summary>
/// <param name="Type">The category, as sent: <c>ITEM</c>, <c>SHIPPING</c>, <c>TAX</c>, <c>DELIVERY_TIP</c>, ...</param>
/// <param name="Status">Whether a charge processed after checkout is final, as sent: <c>PENDING</c>, <c>FINALIZED</c>.</param>
/// <param name="Subtotal">The category's amount.</param>
public sealed record ProceedsBreakdown(string? Type, string? Status, Money? Subtotal);

/// <summary>How and when the recipient wants deliveries. Personal data: <see cref="ToString"/> never prints it.</summary>
/// <param name="DropOffLocation">Where to leave the package.</param>
/// <param name="AddressInstruction">Directions to the address.</param>
/// <param name="BusinessHours">When deliveries are accepted, by day of the week.</param>
/// <param name="ExceptionDates">Days that differ from the business hours.</param>
/// <param name="Capabilities">What the address can receive, as sent: <c>HAS_ACCESS_POINT</c>, <c>PALLET_ENABLED</c>, ...</param>
public sealed record DeliveryPreference(
    string? DropOffLocation,
    string? AddressInstruction,
    IReadOnlyList<DeliveryBusinessHours> BusinessHours,
    IReadOnlyList<DeliveryExceptionDate> ExceptionDates,
    IReadOnlyList<string> Capabilities)
{
    /// <summary>Returns a placeholder: delivery preferences are personal data.</summary>
    /// <returns>A fixed placeholder.</returns>
    public override string ToString() => "DeliveryPreference { (personal data hidden) }";
}

/// <summary>The hours of one day of the week.</summary>
/// <param name="DayOfWeek">The day, as sent: <c>MON</c>, <c>TUE</c>, ...</param>
/// <param name="Windows">The windows of that day.</param>
public sealed record DeliveryBusinessHours(string? DayOfWeek, IReadOnlyList<DeliveryTimeWindow> Windows);

/// <summary>A date whose hours differ from the business hours.</summary>
/// <param name="Date">The date.</param>
/// <param name="Type">Whether the address is open that day, as sent: <c>OPEN</c>, <c>CLOSED</c>.</param>
/// <param name="Windows">The windows of that day.</param>
public sealed record DeliveryExceptionDate(DateOnly? Date, string? Type, IReadOnlyList<DeliveryTimeWindow> Windows);

/// <summary>A window within a day, in the address's local time.</summary>
/// <param name="Start">The start, in hours and minutes.</param>
/// <param name="End">The end, in hours and minutes.</param>
public sealed record DeliveryTimeWindow(HourMinute? Start, HourMinute? End);

/// <summary>A time of day as hours and minutes (an end of 24:00 is allowed, which <see cref="TimeOnly"/> cannot hold).</summary>
/// <param name="Hour">The hour.</param>
/// <param name="Minute">The minute.</param>
public sealed record HourMinute(int? Hour, int? Minute);

/// <summary>A tax registration on an order. Personal data: <see cref="ToString"/> never prints it.</summary>
/// <param name="EntityType">Whose registration, as sent: <c>BUYER</c>, <c>MERCHANT</c>, <c>MARKETPLACE</c>.</param>
/// <param name="LegalName">The registered legal name.</param>
/// <param name="RegistrationType">The kind of number, as sent: <c>VAT</c>, <c>CPF</c>, <c>CNPJ</c>, ...</param>
/// <param name="RegistrationNumber">The number.</param>
/// <param name="Address">The registered address.</param>
/// <param name="Attributes">Further attributes, such as <c>TAX_OFFICE</c>.</param>
public sealed record TaxRegistration(
    string? EntityType,
    string? LegalName,
    string? RegistrationType,
    string? RegistrationNumber,
    PostalAddress? Address,
    IReadOnlyList<TaxClassification> Attributes)
{
    /// <summary>Returns whose registration it is; never the number, name or address.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => $"TaxRegistration {{ EntityType = {EntityType}, (personal data hidden) }}";
}
