namespace OrderHub.SellingPartner;

/// <summary>The versions of the Selling Partner Orders API a source can read orders through.</summary>
public static class SellingPartnerOrdersApi
{
    /// <summary>Orders API v0: <c>GET /orders/v0/orders/{orderId}</c>. Deprecated by Amazon; calls must move by 27 March 2027.</summary>
    public const string V0 = "v0";

    /// <summary>Orders API 2026-01-01: <c>GET /orders/2026-01-01/orders/{orderId}</c>, with items, packages and proceeds in one call.</summary>
    public const string V20260101 = "2026-01-01";

    /// <summary>Gets every version, in the form options and configuration take.</summary>
    public static IReadOnlyList<string> All { get; } = [V0, V20260101];

    /// <summary>Finds a version by its name, ignoring case.</summary>
    /// <param name="text">The name, such as <c>v0</c> or <c>2026-01-01</c>.</param>
    /// <param name="version">The canonical name.</param>
    /// <returns>Whether the name is a version.</returns>
    public static bool TryParse(string? text, out string version)
    {
        version = All.FirstOrDefault(v => string.Equals(v, text?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        return version.Length > 0;
    }
}
