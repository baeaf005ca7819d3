using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using OrderHub.Json;
using OrderHub.Providers;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Mapping;
using OrderHub.SellingPartner.PersonalData;
using OrderHub.SellingPartner.Wire;
using OrderHub.RateLimits;

namespace OrderHub.SellingPartner.Changes;

/// <summary>
/// Lists changed orders, page by page: <c>searchOrders</c> on Orders 2026-01-01 (pages of whole orders with the same
/// datasets getOrder asks for) or <c>getOrders</c> on v0. Each page is one request under the operation's own usage
/// plan, so reading a window never spends getOrder's quota.
/// </summary>
internal sealed class SellingPartnerChangeFeed
{

    private static readonly Dictionary<string, string[]> V0Statuses = new(StringComparer.Ordinal)
    {
        ["PENDING_AVAILABILITY"] = ["PendingAvailability"],
        ["PENDING"] = ["Pending"],
        ["UNSHIPPED"] = ["Unshipped"],
        ["PARTIALLY_SHIPPED"] = ["PartiallyShipped"],
        ["SHIPPED"] = ["Shipped", "InvoiceUnconfirmed"],
        ["CANCELLED"] = ["Canceled"],
        ["UNFULFILLABLE"] = ["Unfulfillable"],
    };

    private static readonly Dictionary<string, string> V0Channels = new(StringComparer.Ordinal) { ["AMAZON"] = "AFN", ["MERCHANT"] = "MFN" };

    private readonly SellingPartnerClient _client;
    private readonly PersonalDataReads _personalData;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;
    private readonly bool _isV0;
    private readonly string[] _includedData;
    private readonly string[] _includedPersonalData;
    private readonly ThrottleMode _defaultThrottleMode;

    public SellingPartnerChangeFeed(
        SellingPartnerClient client,
        PersonalDataReads personalData,
        IQuotaLimiter limiter,
        SellingPartnerOrderSourceOptions options,
        bool isV0,
        string[] includedData,
        string[] includedPersonalData,
        ThrottleMode defaultThrottleMode,
        TimeProvider timeProvider)
    {
        _client = client;
        _personalData = personalData;
        Limiter = limiter;
        _sourceName = options.SourceName;
        _isV0 = isV0;
        _includedData = includedData;
        _includedPersonalData = includedPersonalData;
        _defaultThrottleMode = defaultThrottleMode;
        _timeProvider = timeProvider;
        Rules = new OrderChangeFeedRules
        {
            SettleDelay = SellingPartnerDefaults.ChangeFeedSettleDelay,
            MaxMarketplaces = SellingPartnerDefaults.MaxMarketplacesPerQuery,
            RequiresMarketplace = isV0,
            MaxPageSize = SellingPartnerDefaults.MaxOrdersPerPage,
            PageTokenLifetime = SellingPartnerDefaults.PageTokenLifetime,
            FulfillmentStatuses = SellingPartnerDefaults.FulfillmentStatuses,
            FulfilledBy = SellingPartnerDefaults.FulfilledBy,
        };
    }

    public OrderChangeFeedRules Rules { get; }

    public IQuotaLimiter Limiter { get; }

    private string Operation => _isV0 ? SellingPartnerDefaults.GetOrdersOperation : SellingPartnerDefaults.SearchOrdersOperation;

    /// <summary>Checks the query now, then reads its pages as the caller asks for them.</summary>
    public IAsyncEnumerable<OrderChangePage> ReadAsync(OrderChangeQuery query, CancellationToken cancellationToken)
    {
        // Checked when called, not when first enumerated: a bad query fails where it was made.
        OrderChangeQueryRules.Validate(query, Rules, _timeProvider.GetUtcNow(), _sourceName);
        return ReadPagesAsync(query, cancellationToken);
    }

    private async IAsyncEnumerable<OrderChangePage> ReadPagesAsync(OrderChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var token = query.PageToken;
        do
        {
            var page = await ReadPageAsync(query, token, cancellationToken).ConfigureAwait(false);
            yield return page;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    private async Task<OrderChangePage> ReadPageAsync(OrderChangeQuery query, string? pageToken, CancellationToken cancellationToken)
    {
        var context = new OrderErrorContext(_sourceName);
        var (tokens, refused) = await _personalData.TokensAsync(query.IncludePersonalData, SellingPartnerDefaults.GetOrdersPathTemplate, cancellationToken).ConfigureAwait(false);
        var call = _client.Call(tokens, Limiter, query.ThrottleMode ?? _defaultThrottleMode, context, Operation);
        var response = await _client.SendAsync(
            call,
            _isV0 ? (api, c, ct) => api.GetOrdersAsync(V0Parameters(query, pageToken), c, ct) : (api, c, ct) => api.SearchOrdersAsync(SearchParameters(query, pageToken), c, ct),
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            // A 400 to a request that carries a saved page token is the token's, whatever the error says (the API
            // answers an expired one with a generic 'Invalid Input' as well): the window is read again from its first
            // page. The same query refused without a token is the caller's error.
            if (pageToken is not null && response.StatusCode == HttpStatusCode.BadRequest)
            {
                var why = SellingPartnerErrors.SaysTokenIsBad(response.Body) ? "no longer honours the page token" : "refused the request carrying the page token";
                throw new OrderPageTokenExpiredException(
                    $"The Selling Partner API {why} of this {Operation} query (tokens last {SellingPartnerDefaults.PageTokenLifetime.TotalHours:0} hours). Read the window again from its first page.",
                    context with { StatusCode = response.StatusCode, RequestId = response.RequestId });
            }

            throw SellingPartnerErrors.ToException(response, context, Operation, Limiter.ReplenishmentPeriod);
        }

        var read = ReadPage(response, context);
        return query.IncludePersonalData ? read with { Orders = [.. read.Orders.Select(o => PersonalDataReads.Explain(o, refused))] } : read;
    }

    private OrderChangePage ReadPage(SellingPartnerResponse response, OrderErrorContext context)
    {
        try
        {
            // One pass over the page: each order is deserialized where it lies, and its own bytes are its raw payload,
            // as getOrder keeps them: the same order read either way hashes the same.
            var body = response.Body;
            string? next;
            string? end;
            Order[] orders;
            if (_isV0)
            {
                var page = JsonSerializer.Deserialize(body, SellingPartnerJsonContext.Default.GetOrdersResponse)?.Payload
                    ?? throw SellingPartnerErrors.Malformed(response, context, "the body holds no 'payload' object");
                var items = page.Orders ?? throw SellingPartnerErrors.Malformed(response, context, "the page holds no 'Orders' array");
                orders = [.. items.Select(item => OrdersV0Mapper.Map(OrderOf(item, response, context), new RawPayload(item.In(body)), _sourceName))];
                (next, end) = (page.NextToken, page.LastUpdatedBefore ?? page.CreatedBefore);
            }
            else
            {
                var page = JsonSerializer.Deserialize(body, Orders20260101JsonContext.Default.V2026SearchOrdersResponse)
                    ?? throw SellingPartnerErrors.Malformed(response, context, "the body is null");
                var items = page.Orders ?? throw SellingPartnerErrors.Malformed(response, context, "the page holds no 'orders' array");
                orders = [.. items.Select(item => Orders20260101Mapper.Map(OrderOf(item, response, context), new RawPayload(item.In(body)), _sourceName))];
                (next, end) = (page.Pagination?.NextToken, page.LastUpdatedBefore ?? page.CreatedBefore);
            }

            return new OrderChangePage
            {
                Orders = orders,
                NextPageToken = string.IsNullOrEmpty(next) ? null : next,
                WindowEnd = end is not null && DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null,
                RequestId = response.RequestId,
            };
        }
        catch (JsonException e)
        {
            throw SellingPartnerErrors.Malformed(response, context, "the page is not the documented JSON (or was cut short)", e);
        }
        catch (WireFormatException e)
        {
            throw SellingPartnerErrors.Malformed(response, context, $"{e.Field} of an order is not in the documented form", e);
        }
    }

    // An item of the array that is null is not an order.
    private static T OrderOf<T>(OrderHub.Json.Located<T> item, SellingPartnerResponse response, OrderErrorContext context)
        where T : class =>
        item.Value ?? throw SellingPartnerErrors.Malformed(response, context, "an item of the page is not an order");

    private SearchOrdersParameters SearchParameters(OrderChangeQuery query, string? pageToken)
    {
        var created = query.Time == OrderChangeTime.Created;
        string? before = query.Before is { } end ? Stamp(end) : null;
        return new SearchOrdersParameters
        {
            CreatedAfter = created ? Stamp(query.After) : null,
            CreatedBefore = created ? before : null,
            LastUpdatedAfter = created ? null : Stamp(query.After),
            LastUpdatedBefore = created ? null : before,
            MarketplaceIds = NullIfEmpty(query.MarketplaceIds),
            FulfillmentStatuses = NullIfEmpty(query.FulfillmentStatuses),
            FulfilledBy = NullIfEmpty(query.FulfilledBy),
            MaxResultsPerPage = query.PageSize ?? SellingPartnerDefaults.MaxOrdersPerPage,
            IncludedData = query.IncludePersonalData ? _includedPersonalData : _includedData,
            PaginationToken = pageToken,
        };
    }

    private static GetOrdersParameters V0Parameters(OrderChangeQuery query, string? pageToken)
    {
        var created = query.Time == OrderChangeTime.Created;
        string? before = query.Before is { } end ? Stamp(end) : null;
        return new GetOrdersParameters
        {
            MarketplaceIds = NullIfEmpty(query.MarketplaceIds),
            CreatedAfter = created ? Stamp(query.After) : null,
            CreatedBefore = created ? before : null,
            LastUpdatedAfter = created ? null : Stamp(query.After),
            LastUpdatedBefore = created ? null : before,
            OrderStatuses = NullIfEmpty([.. query.FulfillmentStatuses.SelectMany(s => V0Statuses[s]).Distinct()]),
            FulfillmentChannels = NullIfEmpty([.. query.FulfilledBy.Select(f => V0Channels[f])]),
            MaxResultsPerPage = query.PageSize ?? SellingPartnerDefaults.MaxOrdersPerPage,
            NextToken = pageToken,
        };
    }

    private static IReadOnlyList<string>? NullIfEmpty(IReadOnlyList<string> values) => values.Count == 0 ? null : values;

    // Whole seconds, rounded down: a window is never narrower than asked.
    private static string Stamp(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
