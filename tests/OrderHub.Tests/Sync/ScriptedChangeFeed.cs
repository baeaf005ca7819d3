using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrderHub.Providers;
using OrderHub.Tests.Sources;

namespace OrderHub.Tests.Sync;

/// <summary>
/// A change feed over a list of orders: pages of <see cref="PageSize"/> in last-update order, page tokens that are
/// offsets, the query rules checked as a real feed checks them, and every page request recorded.
/// </summary>
internal sealed class ScriptedChangeFeed(TimeProvider time) : IOrderChangeFeed
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly List<OrderChangeQuery> _requests = [];
    private readonly Dictionary<(DateTimeOffset After, DateTimeOffset End), string[]> _matched = [];

    public string Name => "feed";

    public OrderIdFormat OrderIdFormat => InMemoryOrderSource.ThreeSevenSeven;

    public int PageSize { get; set; } = 2;

    /// <summary>Gets or sets a page token the feed answers as expired, once.</summary>
    public string? ExpireTokenOnce { get; set; }

    /// <summary>Gets or sets what runs before a page is served (to stop a run at a chosen page).</summary>
    public Action<OrderChangeQuery>? BeforePage { get; set; }

    public OrderChangeFeedRules ChangeFeedRules { get; } = new()
    {
        SettleDelay = TimeSpan.FromMinutes(2),
        MaxMarketplaces = 50,
        MaxPageSize = 100,
        PageTokenLifetime = TimeSpan.FromHours(24),
    };

    public IRateLimitStatus ChangeFeedRateLimit { get; } = new FixedRate(1 / 180.0);

    public IReadOnlyList<OrderChangeQuery> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public ScriptedChangeFeed Put(string orderId, DateTimeOffset lastUpdated, string status = "Unshipped")
    {
        lock (_lock)
        {
            _orders[orderId] = new Order
            {
                Source = Name,
                OrderId = orderId,
                Status = new ProviderValue<OrderStatus>(OrderStatus.Pending, status),
                LastUpdatedAt = lastUpdated,
                RawPayload = RawPayload.FromElement(JsonDocument.Parse($$"""{"id":"{{orderId}}","status":"{{status}}","updated":"{{lastUpdated:O}}"}""").RootElement),
            };
        }

        return this;
    }

    public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The incremental sync reads pages, never single orders, from a change feed.");

    public IAsyncEnumerable<OrderChangePage> ReadChangesAsync(OrderChangeQuery query, CancellationToken cancellationToken = default)
    {
        OrderChangeQueryRules.Validate(query, ChangeFeedRules, time.GetUtcNow(), Name);
        return ReadAsync(query, cancellationToken);
    }

    private async IAsyncEnumerable<OrderChangePage> ReadAsync(OrderChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = query.PageToken;
        while (true)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var asked = query with { PageToken = token };
            Order[] matching;
            lock (_lock)
            {
                _requests.Add(asked);
                if (token is not null && token == ExpireTokenOnce)
                {
                    ExpireTokenOnce = null;
                    throw new OrderPageTokenExpiredException("The page token has expired.", new OrderErrorContext(Name));
                }

                // Like the real feed, a query's pages list what matched when its first page was asked for, and serve
                // each of those orders as it is now: one that changed meanwhile arrives with its new update time.
                var end = query.Before ?? time.GetUtcNow() - ChangeFeedRules.SettleDelay;
                var window = (query.After, end);
                if (token is null || !_matched.TryGetValue(window, out var ids))
                {
                    ids = [.. _orders.Values
                        .Where(o => o.LastUpdatedAt >= query.After && o.LastUpdatedAt <= end)
                        .OrderBy(o => o.LastUpdatedAt)
                        .ThenBy(o => o.OrderId, StringComparer.Ordinal)
                        .Select(o => o.OrderId)];
                    _matched[window] = ids;
                }

                matching = [.. ids.Select(id => _orders[id])];
            }

            BeforePage?.Invoke(asked);
            var offset = token is null ? 0 : int.Parse(token, CultureInfo.InvariantCulture);
            var page = matching.Skip(offset).Take(PageSize).ToArray();
            var next = offset + PageSize < matching.Length ? (offset + PageSize).ToString(CultureInfo.InvariantCulture) : null;
            yield return new OrderChangePage { Orders = page, NextPageToken = next, WindowEnd = query.Before, RequestId = $"req-{_requests.Count}" };
            if (next is null)
            {
                yield break;
            }

            token = next;
        }
    }

    private sealed class FixedRate(double rate) : IRateLimitStatus
    {
        public double PermitsPerSecond => rate;

        public double AvailablePermits => 1;

        public int QueuedPermits => 0;

        public TimeSpan EstimateWait() => TimeSpan.Zero;
    }
}
