namespace OrderHub.SellingPartner;

/// <summary>A Selling Partner API region; each has its own host and its own quota.</summary>
public enum SellingPartnerRegion
{
    /// <summary>North America: <c>sellingpartnerapi-na.amazon.com</c>.</summary>
    NorthAmerica = 0,

    /// <summary>Europe: <c>sellingpartnerapi-eu.amazon.com</c>.</summary>
    Europe,

    /// <summary>Far East: <c>sellingpartnerapi-fe.amazon.com</c>.</summary>
    FarEast,
}

/// <summary>The regions' hosts.</summary>
public static class SellingPartnerEndpoints
{
    /// <summary>Gets the short code of a region (<c>na</c>, <c>eu</c>, <c>fe</c>), as its host names it.</summary>
    /// <param name="region">The region.</param>
    /// <returns>The code.</returns>
    public static string Code(SellingPartnerRegion region) => region switch
    {
        SellingPartnerRegion.NorthAmerica => "na",
        SellingPartnerRegion.Europe => "eu",
        SellingPartnerRegion.FarEast => "fe",
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "Expected NorthAmerica, Europe or FarEast."),
    };

    /// <summary>Gets the base address of a region's production or sandbox API.</summary>
    /// <param name="region">The region.</param>
    /// <param name="sandbox">Whether to use the sandbox host.</param>
    /// <returns>For example <c>https://sellingpartnerapi-na.amazon.com/</c>.</returns>
    public static Uri For(SellingPartnerRegion region, bool sandbox = false) =>
        new($"https://{(sandbox ? "sandbox." : string.Empty)}sellingpartnerapi-{Code(region)}.amazon.com/");

    /// <summary>Gets Login with Amazon's token endpoint.</summary>
    public static Uri LoginWithAmazon { get; } = new("https://api.amazon.com/auth/o2/token");
}
