using OrderHub.Emulator.Hosting;

namespace OrderHub.Emulator.SellingPartner;

/// <summary>A marketplace an emulated order can be placed in: its id, its site (the report's <c>sales-channel</c>) and currency.</summary>
/// <param name="Id">The marketplace id, as Amazon's list of marketplace ids gives it.</param>
/// <param name="Site">The site name, as <c>SalesChannel</c> and the order reports name the marketplace.</param>
/// <param name="Currency">The currency its orders are paid in.</param>
internal sealed record SpMarketplace(string Id, string Site, string Currency);

/// <summary>
/// The emulator's selling partners: one per refresh token, each with its own orders (the seeded orders dealt out in
/// turn) placed in the marketplaces of its region, or in six marketplaces of the three regions when it has none.
/// </summary>
internal sealed class SpSellers
{
    private static readonly SpMarketplace Us = new("ATVPDKIKX0DER", "Amazon.com", "USD");
    private static readonly SpMarketplace Germany = new("A1PA6795UKMFR9", "Amazon.de", "EUR");
    private static readonly SpMarketplace Japan = new("A1VC38T7YXB528", "Amazon.co.jp", "JPY");
    private static readonly SpMarketplace UnitedKingdom = new("A1F83G8C2ARO7P", "Amazon.co.uk", "GBP");
    private static readonly SpMarketplace Brazil = new("A2Q3Y263D00KWC", "Amazon.com.br", "BRL");
    private static readonly SpMarketplace Turkey = new("A33AVAJ2PDY3EV", "Amazon.com.tr", "TRY");

    /// <summary>
    /// The marketplaces of each region, as Amazon lists them by region (North America, Europe, Far East): the region's
    /// host serves every one of them. Europe is given with its main sites, not all sixteen.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, SpMarketplace[]> Regions = new Dictionary<string, SpMarketplace[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["na"] = [Us, new("A2EUQ1WTGCTBG2", "Amazon.ca", "CAD"), new("A1AM78C64UM0Y8", "Amazon.com.mx", "MXN"), Brazil],
        ["eu"] =
        [
            Germany, UnitedKingdom, new("A13V1IB3VIYZZH", "Amazon.fr", "EUR"), new("APJ6JRA9NG5V4", "Amazon.it", "EUR"),
            new("A1RKKUPIHCS9HS", "Amazon.es", "EUR"), new("A1805IZSGTT6HS", "Amazon.nl", "EUR"), new("A1C3SOZRARQ6R3", "Amazon.pl", "PLN"),
            new("A2NODRKZP88ZB9", "Amazon.se", "SEK"), Turkey,
        ],
        ["fe"] = [Japan, new("A39IBJ37TRP1C6", "Amazon.com.au", "AUD"), new("A19VAU5U5O7RUS", "Amazon.sg", "SGD")],
    };

    /// <summary>Where a seller without a region sells: six marketplaces across the three regions, in this order.</summary>
    public static readonly SpMarketplace[] Mixed = [Us, Germany, Japan, UnitedKingdom, Brazil, Turkey];

    private readonly List<string> _refreshTokens;
    private readonly SpMarketplace[][] _marketplaces;
    private readonly string?[] _regions;

    /// <summary>Initializes a new instance of the <see cref="SpSellers"/> class from the options, refusing an unknown region.</summary>
    /// <param name="options">The emulator's options.</param>
    public SpSellers(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RefreshTokens.Count == 0)
        {
            throw new ArgumentException("The emulator needs at least one refresh token (EmulatorOptions.RefreshTokens).");
        }

        _refreshTokens = [.. options.RefreshTokens];
        if (_refreshTokens.Distinct(StringComparer.Ordinal).Count() != _refreshTokens.Count)
        {
            throw new ArgumentException("Each seller needs a refresh token of its own: EmulatorOptions.RefreshTokens holds one twice.");
        }

        foreach (var (token, region) in options.SellerRegions)
        {
            if (!_refreshTokens.Contains(token))
            {
                throw new ArgumentException("EmulatorOptions.SellerRegions names a refresh token that is not in EmulatorOptions.RefreshTokens.");
            }

            if (!Regions.ContainsKey(region))
            {
                throw new ArgumentException($"'{region}' is not a Selling Partner region: expected na, eu or fe.");
            }
        }

        _regions = [.. _refreshTokens.Select(t => options.SellerRegions.TryGetValue(t, out var region) ? region.ToLowerInvariant() : null)];
        _marketplaces = [.. _regions.Select(r => r is null ? Mixed : Regions[r])];
    }

    /// <summary>Gets how many sellers there are.</summary>
    public int Count => _refreshTokens.Count;

    /// <summary>Gets the place of a seller (by its refresh token), or -1.</summary>
    /// <param name="refreshToken">The seller's refresh token.</param>
    /// <returns>Its index.</returns>
    public int IndexOf(string refreshToken) => _refreshTokens.IndexOf(refreshToken);

    /// <summary>Gets the marketplaces a seller sells in.</summary>
    /// <param name="seller">The seller's index.</param>
    /// <returns>Its marketplaces.</returns>
    public IReadOnlyList<SpMarketplace> MarketplacesOf(int seller) => _marketplaces[seller];

    /// <summary>Gets a seller's region (<c>na</c>, <c>eu</c> or <c>fe</c>), or <see langword="null"/> for one in the six mixed marketplaces.</summary>
    /// <param name="seller">The seller's index.</param>
    /// <returns>Its region code.</returns>
    public string? RegionOf(int seller) => _regions[seller];

    /// <summary>Gets the seller of the order generated at a place: the orders are dealt out in turn.</summary>
    /// <param name="index">The order's place in generation order.</param>
    /// <returns>The seller's index.</returns>
    public int SellerOf(int index) => index % Count;

    /// <summary>Gets an order's place among its seller's orders, which chooses its values as the place in one seller's orders would.</summary>
    /// <param name="index">The order's place in generation order.</param>
    /// <returns>Its place among its seller's orders.</returns>
    public int PlaceOf(int index) => index / Count;

    /// <summary>Gets the marketplace of the order generated at a place: its seller's marketplaces in turn.</summary>
    /// <param name="index">The order's place in generation order.</param>
    /// <returns>The marketplace.</returns>
    public SpMarketplace MarketplaceOf(int index)
    {
        var marketplaces = _marketplaces[SellerOf(index)];
        return marketplaces[PlaceOf(index) % marketplaces.Length];
    }

    /// <summary>Finds a marketplace by id, among every region's.</summary>
    /// <param name="id">The marketplace id.</param>
    /// <param name="marketplace">The marketplace.</param>
    /// <returns>Whether the emulator knows it.</returns>
    public static bool TryFind(string id, out SpMarketplace marketplace)
    {
        marketplace = Regions.Values.SelectMany(m => m).FirstOrDefault(m => m.Id == id)!;
        return marketplace is not null;
    }
}
