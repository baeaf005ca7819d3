namespace OrderHub;

/// <summary>
/// A source that can list the orders created or updated in a time window, page by page, each page carrying whole
/// orders (Selling Partner <c>searchOrders</c> and <c>getOrders</c>). It is how a local copy is kept fresh without
/// knowing the ids in advance: read everything updated since a cursor, then keep following.
/// </summary>
/// <remarks>
/// Every implementation checks a query against the upstream's rules (<see cref="ChangeFeedRules"/>) before any
/// request and rejects what the upstream would refuse with an <see cref="InvalidOrderRequestException"/> naming what
/// is allowed; pages are paced by their own rate limit (<see cref="ChangeFeedRateLimit"/>), shared like the source's
/// other limits; a page token the upstream no longer honours raises <see cref="OrderPageTokenExpiredException"/>.
/// </remarks>
public interface IOrderChangeFeed : IOrderSource
{
    /// <summary>Gets the upstream's rules for queries: how recent a window may end, how many marketplaces, how large a page.</summary>
    OrderChangeFeedRules ChangeFeedRules { get; }

    /// <summary>Gets a read-only view of the rate limit that paces the pages.</summary>
    IRateLimitStatus ChangeFeedRateLimit { get; }

    /// <summary>Reads the pages of a query, from <see cref="OrderChangeQuery.PageToken"/> when set, one request per page as the caller reads.</summary>
    /// <param name="query">The window, the filters and where to start.</param>
    /// <param name="cancellationToken">Cancels the reading, including any wait for a rate-limit permit.</param>
    /// <returns>The pages, each with the token of the next (none on the last).</returns>
    /// <exception cref="InvalidOrderRequestException">The query breaks one of <see cref="ChangeFeedRules"/>; nothing was sent.</exception>
    /// <exception cref="OrderPageTokenExpiredException">The page token has expired; read the window again from its start.</exception>
    IAsyncEnumerable<OrderChangePage> ReadChangesAsync(OrderChangeQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Which of an order's times a change query's window applies to.</summary>
public enum OrderChangeTime
{
    /// <summary>When the order last changed (status, items, anything the upstream counts as an update).</summary>
    LastUpdated,

    /// <summary>When the order was placed.</summary>
    Created,
}

/// <summary>What an <see cref="IOrderChangeFeed"/> upstream accepts.</summary>
public sealed record OrderChangeFeedRules
{
    /// <summary>Gets how long before now a window must end: the upstream serves only settled data (two minutes for the Selling Partner API).</summary>
    public required TimeSpan SettleDelay { get; init; }

    /// <summary>Gets the most marketplaces one query may name.</summary>
    public required int MaxMarketplaces { get; init; }

    /// <summary>Gets a value indicating whether a query must name at least one marketplace.</summary>
    public bool RequiresMarketplace { get; init; }

    /// <summary>Gets the largest page the upstream serves.</summary>
    public required int MaxPageSize { get; init; }

    /// <summary>Gets how long a page token stays usable.</summary>
    public required TimeSpan PageTokenLifetime { get; init; }

    /// <summary>Gets the fulfillment statuses a query may filter by.</summary>
    public IReadOnlyList<string> FulfillmentStatuses { get; init; } = [];

    /// <summary>Gets the fulfilling parties a query may filter by.</summary>
    public IReadOnlyList<string> FulfilledBy { get; init; } = [];
}

/// <summary>A window of orders to read from an <see cref="IOrderChangeFeed"/>, and its filters.</summary>
public sealed record OrderChangeQuery
{
    /// <summary>Gets which time the window applies to. The default is <see cref="OrderChangeTime.LastUpdated"/>.</summary>
    public OrderChangeTime Time { get; init; } = OrderChangeTime.LastUpdated;

    /// <summary>Gets the window's start (inclusive).</summary>
    public required DateTimeOffset After { get; init; }

    /// <summary>Gets the window's end (inclusive); <see langword="null"/> lets the upstream end it at its settled present (now less <see cref="OrderChangeFeedRules.SettleDelay"/>).</summary>
    public DateTimeOffset? Before { get; init; }

    /// <summary>Gets the marketplaces to read; empty for all the seller sells in, where the upstream allows it.</summary>
    public IReadOnlyList<string> MarketplaceIds { get; init; } = [];

    /// <summary>Gets the fulfillment statuses to keep (Orders 2026-01-01 names, such as <c>SHIPPED</c>); empty for all.</summary>
    public IReadOnlyList<string> FulfillmentStatuses { get; init; } = [];

    /// <summary>Gets who fulfils the orders to keep (<c>AMAZON</c>, <c>MERCHANT</c>); empty for both.</summary>
    public IReadOnlyList<string> FulfilledBy { get; init; } = [];

    /// <summary>Gets the most orders per page; <see langword="null"/> for the largest the upstream serves.</summary>
    public int? PageSize { get; init; }

    /// <summary>Gets the token of the page to start at, from an earlier <see cref="OrderChangePage.NextPageToken"/> of the same query; <see langword="null"/> for the first page.</summary>
    public string? PageToken { get; init; }

    /// <summary>Gets a value indicating whether to ask for the buyer's and recipient's personal data.</summary>
    public bool IncludePersonalData { get; init; }

    /// <summary>Gets what a page request does when no permit is free; <see langword="null"/> for the source's default.</summary>
    public ThrottleMode? ThrottleMode { get; init; }

    /// <summary>Returns the window and filters; a page token is named, never shown.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() =>
        $"OrderChangeQuery {{ {Time} {After:O} .. {(Before is { } before ? before.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "settled now")}, Marketplaces = [{string.Join(",", MarketplaceIds)}], PageToken = {(PageToken is null ? "none" : "set")} }}";
}

/// <summary>One page of an <see cref="IOrderChangeFeed"/> query.</summary>
public sealed record OrderChangePage
{
    /// <summary>Gets the page's orders, whole, in the unified model.</summary>
    public required IReadOnlyList<Order> Orders { get; init; }

    /// <summary>Gets the token of the next page of the same query; <see langword="null"/> on the last page.</summary>
    public string? NextPageToken { get; init; }

    /// <summary>Gets the end the upstream gave the window (what it answered as <c>lastUpdatedBefore</c> or <c>createdBefore</c>), when it said.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>Gets the upstream's request id of the page.</summary>
    public string? RequestId { get; init; }

    /// <summary>Returns the page's size and request id, never its orders.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => $"OrderChangePage {{ Orders = {Orders.Count}, More = {NextPageToken is not null}, RequestId = {RequestId} }}";
}
