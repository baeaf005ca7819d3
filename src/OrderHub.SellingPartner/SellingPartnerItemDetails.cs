namespace OrderHub.SellingPartner;

/// <summary>
/// What one Selling Partner order item has beyond its unified <see cref="OrderLine"/> (Orders API 2026-01-01
/// <c>orderItems[]</c>). Strings are kept as sent; <see cref="ToString"/> never prints the gift message.
/// </summary>
public sealed record SellingPartnerItemDetails
{
    /// <summary>Gets the item's id; the same as its line's <see cref="OrderLine.LineId"/> (<c>orderItemId</c>).</summary>
    public required string OrderItemId { get; init; }

    /// <summary>Gets the unit and amount the item is measured in (<c>measurement</c>).</summary>
    public ItemMeasurement? Measurement { get; init; }

    /// <summary>Gets the items associated with this one, such as a service bought with it (<c>associatedOrderItems</c>).</summary>
    public IReadOnlyList<AssociatedOrderItem> AssociatedItems { get; init; } = [];

    /// <summary>Gets the item's programs, as sent: <c>TRANSPARENCY</c>, <c>SUBSCRIBE_AND_SAVE</c> (<c>programs</c>).</summary>
    public IReadOnlyList<string> Programs { get; init; } = [];

    /// <summary>Gets the item's condition, as sent: <c>NEW</c>, <c>USED</c>, ... (<c>product.condition.conditionType</c>).</summary>
    public string? ConditionType { get; init; }

    /// <summary>Gets the finer condition, as sent: <c>MINT</c>, <c>GOOD</c>, ... (<c>product.condition.conditionSubtype</c>).</summary>
    public string? ConditionSubtype { get; init; }

    /// <summary>Gets the seller's note on the condition (<c>product.condition.conditionNote</c>).</summary>
    public string? ConditionNote { get; init; }

    /// <summary>Gets the price designation, such as <c>BUSINESS_PRICE</c> (<c>product.price.priceDesignation</c>).</summary>
    public string? PriceDesignation { get; init; }

    /// <summary>Gets the serial numbers of the units shipped (<c>product.serialNumbers</c>).</summary>
    public IReadOnlyList<string> SerialNumbers { get; init; } = [];

    /// <summary>Gets where the buyer's customization is described (<c>product.customization.customizedUrl</c>).</summary>
    public string? CustomizedUrl { get; init; }

    /// <summary>Gets the item's total proceeds (<c>proceeds.proceedsTotal</c>).</summary>
    public Money? ProceedsTotal { get; init; }

    /// <summary>Gets the item's proceeds by category (<c>proceeds.breakdowns</c>).</summary>
    public IReadOnlyList<ItemProceedsBreakdown> ProceedsBreakdowns { get; init; } = [];

    /// <summary>Gets the Amazon points granted with the item (<c>expense.pointsCost.pointsGranted</c>).</summary>
    public PointsGranted? PointsGranted { get; init; }

    /// <summary>Gets the ids of the promotions applied to the item (<c>promotion.breakdowns[].promotionId</c>).</summary>
    public IReadOnlyList<string> PromotionIds { get; init; } = [];

    /// <summary>Gets who asked to cancel the item and why (<c>cancellation.cancellationRequest</c>).</summary>
    public ItemCancellationRequest? CancellationRequest { get; init; }

    /// <summary>Gets who cancelled the item and why (<c>cancellation.cancellationExecution</c>).</summary>
    public ItemCancellationExecution? CancellationExecution { get; init; }

    /// <summary>Gets how many units have been fulfilled (<c>fulfillment.quantityFulfilled</c>).</summary>
    public int? QuantityFulfilled { get; init; }

    /// <summary>Gets how many units are not yet fulfilled (<c>fulfillment.quantityUnfulfilled</c>).</summary>
    public int? QuantityUnfulfilled { get; init; }

    /// <summary>Gets what may be sent instead of the item (<c>fulfillment.picking.substitutionPreference</c>).</summary>
    public SubstitutionPreference? SubstitutionPreference { get; init; }

    /// <summary>Gets the buyer's gift message (<c>fulfillment.packing.giftOption.giftMessage</c>). Personal data.</summary>
    public string? GiftMessage { get; init; }

    /// <summary>Gets the gift wrap chosen (<c>fulfillment.packing.giftOption.giftWrapLevel</c>).</summary>
    public string? GiftWrapLevel { get; init; }

    /// <summary>Gets whether serial numbers must be sent, as sent: <c>REQUIRED</c> (<c>fulfillment.packing.serialNumberRequirement.requirementType</c>).</summary>
    public string? SerialNumberRequirement { get; init; }

    /// <summary>Gets the delivery window scheduled with the buyer (<c>fulfillment.shipping.scheduledDeliveryWindow</c>).</summary>
    public TimeWindow? ScheduledDeliveryWindow { get; init; }

    /// <summary>Gets the constraints the item must ship under (<c>fulfillment.shipping.shippingConstraints</c>).</summary>
    public ShippingConstraints? ShippingConstraints { get; init; }

    /// <summary>Gets the Import One-Stop Shop number for EU shipments (<c>fulfillment.shipping.internationalShipping.iossNumber</c>).</summary>
    public string? IossNumber { get; init; }

    /// <summary>Gets the tax reporting schemes applied, as sent: <c>UOSS</c>, <c>IOSS</c> (<c>tax.taxCalculationBreakdowns[].reportingScheme</c>).</summary>
    public IReadOnlyList<string> TaxReportingSchemes { get; init; } = [];

    /// <summary>Gets who collects the item's tax (<c>tax.taxCollections</c>).</summary>
    public IReadOnlyList<ItemTaxCollection> TaxCollections { get; init; } = [];

    /// <summary>Returns the item id and quantities; never the gift message.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() =>
        $"SellingPartnerItemDetails {{ OrderItemId = {OrderItemId}, QuantityFulfilled = {QuantityFulfilled}, QuantityUnfulfilled = {QuantityUnfulfilled} }}";
}

/// <summary>An amount in a unit of measure.</summary>
/// <param name="Unit">The unit, as sent: <c>KILOGRAMS</c>, <c>COUNT</c>, ...</param>
/// <param name="Value">The amount.</param>
public sealed record ItemMeasurement(string? Unit, decimal? Value);

/// <summary>An item associated with another.</summary>
/// <param name="OrderId">The order the associated item belongs to.</param>
/// <param name="OrderItemId">The associated item.</param>
/// <param name="AssociationType">How they are associated, as sent: <c>VALUE_ADD_SERVICE</c>.</param>
public sealed record AssociatedOrderItem(string? OrderId, string? OrderItemId, string? AssociationType);

/// <summary>One category of an item's proceeds.</summary>
/// <param name="Type">The category, as sent: <c>ITEM</c>, <c>SHIPPING</c>, <c>TAX</c>, ...</param>
/// <param name="Subtotal">The category's amount.</param>
/// <param name="Details">The category split further.</param>
public sealed record ItemProceedsBreakdown(string? Type, Money? Subtotal, IReadOnlyList<ItemProceedsDetail> Details);

/// <summary>A finer part of an item's proceeds category.</summary>
/// <param name="Subtype">The part, as sent.</param>
/// <param name="Value">The part's amount.</param>
public sealed record ItemProceedsDetail(string? Subtype, Money? Value);

/// <summary>Amazon points granted with an item.</summary>
/// <param name="Points">How many points.</param>
/// <param name="MonetaryValue">What they are worth.</param>
public sealed record PointsGranted(int? Points, Money? MonetaryValue);

/// <summary>A request to cancel an item.</summary>
/// <param name="Requester">Who asked, as sent: <c>BUYER</c>.</param>
/// <param name="Reason">Why.</param>
public sealed record ItemCancellationRequest(string? Requester, string? Reason);

/// <summary>An item's cancellation.</summary>
/// <param name="CancelledBy">Who cancelled, as sent: <c>BUYER</c>, <c>MERCHANT</c>, <c>AMAZON</c>.</param>
/// <param name="Reason">Why.</param>
public sealed record ItemCancellationExecution(string? CancelledBy, string? Reason);

/// <summary>What may be sent in place of an item.</summary>
/// <param name="SubstitutionType">The kind of preference, as sent: <c>CUSTOMER_PREFERENCE</c>, <c>AMAZON_RECOMMENDED</c>, <c>DO_NOT_SUBSTITUTE</c>.</param>
/// <param name="Options">The substitutes, in order.</param>
public sealed record SubstitutionPreference(string? SubstitutionType, IReadOnlyList<SubstitutionOption> Options);

/// <summary>One item that may be sent in place of another.</summary>
/// <param name="Asin">The substitute's ASIN.</param>
/// <param name="Quantity">How many.</param>
/// <param name="Sku">The substitute's seller SKU.</param>
/// <param name="Title">The substitute's title.</param>
/// <param name="Measurement">The substitute's measurement.</param>
public sealed record SubstitutionOption(string? Asin, int? Quantity, string? Sku, string? Title, ItemMeasurement? Measurement);

/// <summary>The constraints an item must ship under; each is <c>MANDATORY</c> when set.</summary>
/// <param name="PalletDelivery">Pallet delivery.</param>
/// <param name="CashOnDelivery">Cash on delivery.</param>
/// <param name="SignatureConfirmation">Signature on delivery.</param>
/// <param name="RecipientIdentityVerification">The recipient's identity checked.</param>
/// <param name="RecipientAgeVerification">The recipient's age checked.</param>
public sealed record ShippingConstraints(
    string? PalletDelivery,
    string? CashOnDelivery,
    string? SignatureConfirmation,
    string? RecipientIdentityVerification,
    string? RecipientAgeVerification);

/// <summary>Who collects an item's tax.</summary>
/// <param name="Model">The collection model, as sent: <c>MARKETPLACE_FACILITATOR</c>.</param>
/// <param name="ResponsibleParty">The party responsible.</param>
public sealed record ItemTaxCollection(string? Model, string? ResponsibleParty);
