namespace OrderHub.SellingPartner;

/// <summary>Who fulfils a Selling Partner order.</summary>
public enum FulfillmentChannel
{
    /// <summary>A channel this version of OrderHub does not know.</summary>
    Unknown = 0,

    /// <summary>Fulfilled by the seller (<c>MFN</c>).</summary>
    Merchant,

    /// <summary>Fulfilled by Amazon (<c>AFN</c>).</summary>
    Amazon,
}

/// <summary>
/// What a Selling Partner order has that the unified model does not: every field of the Orders API <c>Order</c> not
/// mapped to a unified member, for both API versions. Members v0 and 2026-01-01 share are filled from either (the
/// README lists which); members only one version has are empty for the other. Enumerations only Amazon uses (Easy
/// Ship status, invoice status, programs) are kept as sent.
/// </summary>
public sealed record SellingPartnerOrderDetails : ProviderOrderDetails
{
    // Before the first instance exists: its contracts are generated at build time, not reflected on.
    static SellingPartnerOrderDetails() => Json.OrderJson.AddProviderContracts(SellingPartnerDetailsJsonContext.Default);

    /// <summary>
    /// Gets the Orders API version the order was read through: <c>v0</c> or <c>2026-01-01</c>; for a partial copy read
    /// from an order report, <see cref="SellingPartnerOrderReports.ApiVersion"/>.
    /// </summary>
    public string ApiVersion { get; init; } = SellingPartnerOrdersApi.V0;

    /// <summary>Gets whether Amazon or the seller fulfils the order (<c>FulfillmentChannel</c>).</summary>
    public ProviderValue<FulfillmentChannel>? FulfillmentChannel { get; init; }

    /// <summary>Gets the sales channel of the first item (<c>SalesChannel</c>).</summary>
    public string? SalesChannel { get; init; }

    /// <summary>Gets the order channel of the first item (<c>OrderChannel</c>).</summary>
    public string? OrderChannel { get; init; }

    /// <summary>Gets the number of items shipped (<c>NumberOfItemsShipped</c>).</summary>
    public int? NumberOfItemsShipped { get; init; }

    /// <summary>Gets the number of items not yet shipped (<c>NumberOfItemsUnshipped</c>).</summary>
    public int? NumberOfItemsUnshipped { get; init; }

    /// <summary>Gets the sub-payments of a COD order (<c>PaymentExecutionDetail</c>).</summary>
    public IReadOnlyList<PaymentExecution> PaymentExecutions { get; init; } = [];

    /// <summary>Gets the Easy Ship status, as sent (<c>EasyShipShipmentStatus</c>).</summary>
    public string? EasyShipShipmentStatus { get; init; }

    /// <summary>Gets the Checkout by Amazon ship label (<c>CbaDisplayableShippingLabel</c>).</summary>
    public string? CbaDisplayableShippingLabel { get; init; }

    /// <summary>Gets whether this is an Amazon Business order (<c>IsBusinessOrder</c>).</summary>
    public bool? IsBusinessOrder { get; init; }

    /// <summary>Gets whether this is a seller-fulfilled Prime order (<c>IsPrime</c>).</summary>
    public bool? IsPrime { get; init; }

    /// <summary>Gets whether the order has a Premium Shipping agreement (<c>IsPremiumOrder</c>).</summary>
    public bool? IsPremiumOrder { get; init; }

    /// <summary>Gets whether this is a GlobalExpress order (<c>IsGlobalExpressEnabled</c>).</summary>
    public bool? IsGlobalExpressEnabled { get; init; }

    /// <summary>Gets whether this is a replacement order (<c>IsReplacementOrder</c>).</summary>
    public bool? IsReplacementOrder { get; init; }

    /// <summary>Gets when the seller must answer with an estimated ship date (<c>PromiseResponseDueDate</c>), in UTC.</summary>
    public DateTimeOffset? PromiseResponseDueDate { get; init; }

    /// <summary>Gets whether the estimated ship date is set (<c>IsEstimatedShipDateSet</c>).</summary>
    public bool? IsEstimatedShipDateSet { get; init; }

    /// <summary>Gets whether Amazon Business EU SARL bought and resold the item (<c>IsSoldByAB</c>).</summary>
    public bool? IsSoldByAB { get; init; }

    /// <summary>Gets whether Amazon Business EU SARL is the seller of record (<c>IsIBA</c>).</summary>
    public bool? IsIBA { get; init; }

    /// <summary>Gets the buyer's invoicing preference, as sent: <c>INDIVIDUAL</c> or <c>BUSINESS</c> (<c>BuyerInvoicePreference</c>).</summary>
    public string? BuyerInvoicePreference { get; init; }

    /// <summary>Gets the business invoice tax details (<c>BuyerTaxInformation</c>). Personal data.</summary>
    public BuyerTaxInformation? BuyerTaxInformation { get; init; }

    /// <summary>Gets the supply source the order is fulfilled from (<c>FulfillmentInstruction.FulfillmentSupplySourceId</c>).</summary>
    public string? FulfillmentSupplySourceId { get; init; }

    /// <summary>Gets whether the order is picked up in store (<c>IsISPU</c>).</summary>
    public bool? IsISPU { get; init; }

    /// <summary>Gets whether the order goes to an Access Point (<c>IsAccessPointOrder</c>).</summary>
    public bool? IsAccessPointOrder { get; init; }

    /// <summary>Gets the marketplace's tax classifications (<c>MarketplaceTaxInfo.TaxClassifications</c>).</summary>
    public IReadOnlyList<TaxClassification> MarketplaceTaxClassifications { get; init; } = [];

    /// <summary>Gets the seller's display name in the marketplace (<c>SellerDisplayName</c>).</summary>
    public string? SellerDisplayName { get; init; }

    /// <summary>Gets the buyer (<c>BuyerInfo</c>). Personal data: present only with a restricted data token.</summary>
    public BuyerInfo? Buyer { get; init; }

    /// <summary>Gets the shipping settings automation (<c>AutomatedShippingSettings</c>).</summary>
    public AutomatedShippingSettings? AutomatedShippingSettings { get; init; }

    /// <summary>Gets whether the order has regulated items (<c>HasRegulatedItems</c>).</summary>
    public bool? HasRegulatedItems { get; init; }

    /// <summary>Gets the electronic invoice status, as sent (<c>ElectronicInvoiceStatus</c>).</summary>
    public string? ElectronicInvoiceStatus { get; init; }

    /// <summary>Gets the order's programs, as sent: <c>PRIME</c>, <c>AMAZON_BUSINESS</c>, <c>PREORDER</c>, ... (2026-01-01 <c>programs</c>).</summary>
    public IReadOnlyList<string> Programs { get; init; } = [];

    /// <summary>Gets the order's other ids, such as the seller's (2026-01-01 <c>orderAliases</c>).</summary>
    public IReadOnlyList<OrderAlias> Aliases { get; init; } = [];

    /// <summary>Gets the orders this one replaces or exchanges (2026-01-01 <c>associatedOrders</c>).</summary>
    public IReadOnlyList<AssociatedOrder> AssociatedOrders { get; init; } = [];

    /// <summary>Gets whether the order was placed on Amazon: <c>AMAZON</c> or <c>NON_AMAZON</c> (2026-01-01 <c>salesChannel.channelName</c>).</summary>
    public string? ChannelName { get; init; }

    /// <summary>Gets the order's proceeds by category: item, shipping, tax, discount, ... (2026-01-01 <c>proceeds.breakdowns</c>).</summary>
    public IReadOnlyList<ProceedsBreakdown> ProceedsBreakdowns { get; init; } = [];

    /// <summary>Gets the window the shipping label may be printed in (2026-01-01 <c>fulfillment.labelPrintingWindow</c>).</summary>
    public TimeWindow? LabelPrintingWindow { get; init; }

    /// <summary>Gets the recipient's delivery preferences (2026-01-01 <c>recipient.deliveryPreference</c>). Personal data.</summary>
    public DeliveryPreference? DeliveryPreference { get; init; }

    /// <summary>Gets the tax registrations of the buyer, seller and marketplace (2026-01-01 <c>tax.taxRegistrations</c>). Personal data.</summary>
    public IReadOnlyList<TaxRegistration> TaxRegistrations { get; init; } = [];

    /// <summary>Gets the ids of the Multi-Channel Fulfillment orders of this order (2026-01-01 <c>fulfillmentOrders</c>).</summary>
    public IReadOnlyList<string> FulfillmentOrderIds { get; init; } = [];

    /// <summary>Gets the order's packages with their tracking and contents (2026-01-01 <c>packages</c>).</summary>
    public IReadOnlyList<SellingPartnerPackage> Packages { get; init; } = [];

    /// <summary>
    /// Gets what each item has beyond its unified line: proceeds, points, promotions, cancellation, fulfillment and tax
    /// (2026-01-01 <c>orderItems</c>), in the order of <see cref="Order.Lines"/>.
    /// </summary>
    public IReadOnlyList<SellingPartnerItemDetails> Items { get; init; } = [];

    /// <summary>
    /// Gets what each row of an order report has beyond its unified line (the amounts as the report states them), in
    /// the order of <see cref="Order.Lines"/>; empty for an order read through the Orders API.
    /// </summary>
    public IReadOnlyList<SellingPartnerReportItem> ReportItems { get; init; } = [];

    /// <inheritdoc />
    public override ProviderOrderDetails WithoutPersonalData() => this with
    {
        Buyer = null,
        BuyerTaxInformation = null,
        DeliveryPreference = null,
        TaxRegistrations = [],
        Items = [.. Items.Select(item => item.GiftMessage is null ? item : item with { GiftMessage = null })],
    };
}

/// <summary>One sub-payment of a cash-on-delivery order.</summary>
/// <param name="Payment">The amount.</param>
/// <param name="PaymentMethod">The sub-payment method, as sent: <c>COD</c>, <c>GC</c>, <c>PointsAccount</c>, <c>Invoice</c>.</param>
/// <param name="AcquirerId">The acquirer.</param>
/// <param name="CardBrand">The card brand.</param>
/// <param name="AuthorizationCode">The authorization code.</param>
public sealed record PaymentExecution(Money? Payment, string? PaymentMethod, string? AcquirerId, string? CardBrand, string? AuthorizationCode)
{
    /// <summary>Returns the amount and method; never the authorization code.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => $"PaymentExecution {{ Payment = {Payment}, PaymentMethod = {PaymentMethod} }}";
}

/// <summary>A tax classification name and value.</summary>
/// <param name="Name">The classification's name.</param>
/// <param name="Value">The classification's value.</param>
public sealed record TaxClassification(string? Name, string? Value);

/// <summary>The buyer of an order. Personal data: <see cref="ToString"/> never prints it.</summary>
public sealed record BuyerInfo
{
    /// <summary>Gets the buyer's anonymized email address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the buyer's name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the buyer's county.</summary>
    public string? County { get; init; }

    /// <summary>Gets the buyer's company legal name (<c>BuyerTaxInfo.CompanyLegalName</c>).</summary>
    public string? CompanyLegalName { get; init; }

    /// <summary>Gets the buyer's taxing region (<c>BuyerTaxInfo.TaxingRegion</c>).</summary>
    public string? TaxingRegion { get; init; }

    /// <summary>Gets the buyer's tax classifications (<c>BuyerTaxInfo.TaxClassifications</c>).</summary>
    public IReadOnlyList<TaxClassification> TaxClassifications { get; init; } = [];

    /// <summary>Gets whether the buyer sent tax details at all (<c>BuyerTaxInfo</c> present).</summary>
    public bool HasTaxInfo { get; init; }

    /// <summary>Gets the buyer's company name (2026-01-01 <c>buyerCompanyName</c>; v0 has <see cref="CompanyLegalName"/>).</summary>
    public string? CompanyName { get; init; }

    /// <summary>Gets the buyer's purchase order number.</summary>
    public string? PurchaseOrderNumber { get; init; }

    /// <summary>Returns a placeholder: buyer details are personal data.</summary>
    /// <returns>A fixed placeholder.</returns>
    public override string ToString() => "BuyerInfo { (personal data hidden) }";
}

/// <summary>A buyer's business tax details (Turkey marketplace). Personal data: <see cref="ToString"/> never prints it.</summary>
/// <param name="LegalCompanyName">The company's legal name.</param>
/// <param name="BusinessAddress">The company's address.</param>
/// <param name="TaxRegistrationId">The tax registration id.</param>
/// <param name="TaxOffice">The tax office.</param>
public sealed record BuyerTaxInformation(string? LegalCompanyName, string? BusinessAddress, string? TaxRegistrationId, string? TaxOffice)
{
    /// <summary>Returns a placeholder: tax details are personal data.</summary>
    /// <returns>A fixed placeholder.</returns>
    public override string ToString() => "BuyerTaxInformation { (personal data hidden) }";
}

/// <summary>Whether and how Amazon set the order's shipping automatically.</summary>
/// <param name="HasAutomatedShippingSettings">Whether the settings were generated automatically.</param>
/// <param name="AutomatedCarrier">The carrier chosen.</param>
/// <param name="AutomatedShipMethod">The ship method chosen.</param>
public sealed record AutomatedShippingSettings(bool? HasAutomatedShippingSettings, string? AutomatedCarrier, string? AutomatedShipMethod);
