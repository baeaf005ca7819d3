namespace OrderHub;

/// <summary>
/// The part of an order only one provider has, typed by that provider's package (for example
/// <c>SellingPartnerOrderDetails</c>). Reach it with <see cref="Order.GetProviderDetails{TDetails}"/>.
/// </summary>
public abstract record ProviderOrderDetails
{
    /// <summary>Returns a copy without personal data (names, addresses, buyer and tax details).</summary>
    /// <returns>The copy; the same instance when it holds no personal data.</returns>
    public abstract ProviderOrderDetails WithoutPersonalData();
}
