namespace OrderHub.SellingPartner;

/// <summary>
/// What one row of an order report has beyond its unified <see cref="OrderLine"/>: the amounts as the report states
/// them (each for the row's whole quantity, in the row's currency; <see langword="null"/> where the report left the
/// value empty, as it does for pending orders), the promotions, and who collects the tax. A report has no item id.
/// </summary>
public sealed record SellingPartnerReportItem
{
    /// <summary>Gets the price of the item for the whole quantity (<c>item-price</c>).</summary>
    public Money? ItemPrice { get; init; }

    /// <summary>Gets the tax on the item (<c>item-tax</c>).</summary>
    public Money? ItemTax { get; init; }

    /// <summary>Gets the shipping price (<c>shipping-price</c>).</summary>
    public Money? ShippingPrice { get; init; }

    /// <summary>Gets the tax on shipping (<c>shipping-tax</c>).</summary>
    public Money? ShippingTax { get; init; }

    /// <summary>Gets the gift wrap price (<c>gift-wrap-price</c>).</summary>
    public Money? GiftWrapPrice { get; init; }

    /// <summary>Gets the tax on gift wrap (<c>gift-wrap-tax</c>).</summary>
    public Money? GiftWrapTax { get; init; }

    /// <summary>Gets the promotion discount on the item, as the report writes it (<c>item-promotion-discount</c>).</summary>
    public Money? ItemPromotionDiscount { get; init; }

    /// <summary>Gets the promotion discount on shipping, as the report writes it (<c>ship-promotion-discount</c>).</summary>
    public Money? ShipPromotionDiscount { get; init; }

    /// <summary>Gets the ids of the promotions applied (<c>promotion-ids</c>, comma-separated in the report).</summary>
    public IReadOnlyList<string> PromotionIds { get; init; } = [];

    /// <summary>Gets the price designation, as sent, such as <c>BusinessPrice</c> (<c>price-designation</c>).</summary>
    public string? PriceDesignation { get; init; }

    /// <summary>Gets the number of units in the item, as the report states it (<c>number-of-items</c>).</summary>
    public int? NumberOfItems { get; init; }

    /// <summary>Gets the tax collection model, as sent, such as <c>MarketplaceFacilitator</c> (<c>tax-collection-model</c>).</summary>
    public string? TaxCollectionModel { get; init; }

    /// <summary>Gets the party that collects the tax (<c>tax-collection-responsible-party</c>).</summary>
    public string? TaxCollectionResponsibleParty { get; init; }
}
