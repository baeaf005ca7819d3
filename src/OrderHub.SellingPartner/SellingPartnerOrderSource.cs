using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OrderHub.Http;
using OrderHub.Providers;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Changes;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Mapping;
using OrderHub.SellingPartner.Notifications;
using OrderHub.SellingPartner.PersonalData;
using OrderHub.SellingPartner.Reports;
using OrderHub.Json;
using OrderHub.SellingPartner.Wire;
using OrderHub.RateLimits;

namespace OrderHub.SellingPartner;

/// <summary>
/// Amazon Selling Partner API orders as an <see cref="IOrderSource"/>: <c>getOrder</c> of Orders API v0 or 2026-01-01
/// (<see cref="SellingPartnerOrderSourceOptions.OrdersApiVersion"/>), authenticated with Login with Amazon, throttled
/// to the operation's usage plan (0.5 requests per second, burst 30, or the rate the API announces). Personal data,
/// when asked for, comes through a restricted data token (v0) or the <c>BUYER</c> and <c>RECIPIENT</c> datasets
/// (2026-01-01). Both versions share the transport, tokens, retries and errors; only the request and mapping differ.
/// </summary>
public sealed partial class SellingPartnerOrderSource : IRateLimitedOrderSource, IOrderChangeFeed, IOrderBackfillSource, ICredentialStatus, IDisposable
{

    private int _disposed;

    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly CredentialStateTracker _credentials = new();
    private readonly UpstreamTransport _transport;
    private readonly ThrottleMode _defaultThrottleMode;
    private readonly SellingPartnerClient _client;
    private readonly LwaAccessTokenSource _lwa;
    private readonly PersonalDataReads _personalData;
    private readonly IQuotaLimiter _getOrderLimiter;
    private readonly SellingPartnerChangeFeed _changeFeed;
    private readonly SellingPartnerReports _reports;
    private readonly IDisposable[] _limitGauges;
    private readonly string _ordersApiVersion;
    private readonly string[] _includedData;
    private readonly string[] _includedPersonalData;

    /// <summary>Initializes a new instance of the <see cref="SellingPartnerOrderSource"/> class.</summary>
    /// <param name="options">The region, endpoint, credentials and limits.</param>
    /// <param name="timeProvider">The clock for token expiry, rate limits and retry delays; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where retries and token refreshes are logged (never a token or personal data).</param>
    /// <param name="handler">
    /// The HTTP handler calls go through (for example from <c>IHttpMessageHandlerFactory</c>); it must not follow
    /// redirects, since the access token would follow them. <see langword="null"/> creates and owns one.
    /// </param>
    /// <param name="defaultThrottleMode">What a call does when no permit is free, unless the options or the call say otherwise.</param>
    /// <param name="rateLimits">
    /// Where the rate-limit buckets live, shared with every process that uses the same store and credentials.
    /// <see langword="null"/> for buckets in this process, on <paramref name="timeProvider"/>, shared by every source built
    /// by hand with the same clock (<see cref="RateLimiterRegistry.ForProcess"/>); nothing is written anywhere. A
    /// <see cref="LocalFileQuotaStore"/> (<see cref="LocalFileQuotaStore.DefaultPath"/>: the file every OrderHub process
    /// of this user shares) or a Redis store (the OrderHub.RateLimits.Redis package) to share with other processes.
    /// </param>
    /// <exception cref="ArgumentException">The options break a rule (the message names the setting), or the handler follows redirects.</exception>
    public SellingPartnerOrderSource(
        SellingPartnerOrderSourceOptions options,
        TimeProvider? timeProvider = null,
        ILogger<SellingPartnerOrderSource>? logger = null,
        HttpMessageHandler? handler = null,
        ThrottleMode defaultThrottleMode = ThrottleMode.Wait,
        IQuotaStore? rateLimits = null)
        : this(
            options,
            UpstreamContext.Create(timeProvider, logger, handler, nameof(handler)),
            rateLimits is null ? RateLimiterRegistry.ForProcess(timeProvider) : new RateLimiterRegistry(rateLimits, timeProvider, logger),
            defaultThrottleMode)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="SellingPartnerOrderSource"/> class: the shape every source's
    /// internal constructor has (its options, its upstream context, then what its own features need: here the
    /// rate-limit buckets and the throttle mode of the registration).
    /// </summary>
    internal SellingPartnerOrderSource(
        SellingPartnerOrderSourceOptions options,
        UpstreamContext context,
        RateLimiterRegistry rateLimiters,
        ThrottleMode defaultThrottleMode = ThrottleMode.Wait)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rateLimiters);
        // The same rules as dependency injection's validation at start, for sources built by hand.
        OrderSourceRegistration.ThrowIfInvalid(options, nameof(options));

        _transport = context.Transport;
        _options = options;
        _defaultThrottleMode = options.ThrottleMode ?? defaultThrottleMode;
        var timeProvider = context.Clock;

        _client = new SellingPartnerClient(options, context);
        _lwa = new LwaAccessTokenSource(options, context);
        _ordersApiVersion = SellingPartnerOrdersApi.TryParse(options.OrdersApiVersion, out var version)
            ? version
            : throw new ArgumentException($"OrdersApiVersion must be one of {string.Join(", ", SellingPartnerOrdersApi.All)}.", nameof(options));
        var includedData = options.IncludedData ?? SellingPartnerDefaults.IncludedData;
        _includedData = [.. includedData];
        _includedPersonalData = [.. includedData.Union(SellingPartnerDefaults.PersonalIncludedData, StringComparer.Ordinal)];

        // The two versions' getOrder are separate operations with separate quotas.
        var partition = QuotaPartition = PartitionPrefix(options);
        var getOrderOperation = _ordersApiVersion == SellingPartnerOrdersApi.V0 ? SellingPartnerDefaults.GetOrderOperation : SellingPartnerDefaults.GetOrder20260101Operation;
        _getOrderLimiter = rateLimiters.GetOrAdd(
            new QuotaDefinition(
                $"{partition}|{getOrderOperation}",
                options.GetOrderPermitsPerSecond * (1 - options.PacingMargin),
                options.GetOrderBurst)
            { RefillDelayAfterBurst = options.BurstLatencyAllowance });
        var rdtLimiter = rateLimiters.GetOrAdd(
            new QuotaDefinition(
                $"{partition}|{SellingPartnerDefaults.RestrictedDataTokenOperation}",
                SellingPartnerDefaults.RestrictedDataTokenPermitsPerSecond * (1 - options.PacingMargin),
                SellingPartnerDefaults.RestrictedDataTokenBurst)
            { RefillDelayAfterBurst = options.BurstLatencyAllowance });

        // searchOrders (2026-01-01) and getOrders (v0) list changed orders under usage plans of their own.
        var isV0 = _ordersApiVersion == SellingPartnerOrdersApi.V0;
        _personalData = new PersonalDataReads(new RestrictedDataTokens(_client, _lwa, rdtLimiter, timeProvider, options.SourceName), _lwa, isV0);
        var changeLimiter = rateLimiters.GetOrAdd(
            new QuotaDefinition(
                $"{partition}|{(isV0 ? SellingPartnerDefaults.GetOrdersOperation : SellingPartnerDefaults.SearchOrdersOperation)}",
                (isV0 ? options.GetOrdersPermitsPerSecond : options.SearchOrdersPermitsPerSecond) * (1 - options.PacingMargin),
                isV0 ? options.GetOrdersBurst : options.SearchOrdersBurst)
            { RefillDelayAfterBurst = options.BurstLatencyAllowance });
        // The Reports API's four operations, each under its own plan, for backfills.
        _reports = new SellingPartnerReports(_client, _lwa, rateLimiters, partition, options, context, _defaultThrottleMode);
        // The Notifications API, to set up ORDER_CHANGE deliveries to an SQS queue.
        Notifications = new SellingPartnerNotifications(_client, _lwa, rateLimiters, partition, options, context, _defaultThrottleMode);

        // Free permits and waiters as gauges (meter "OrderHub"), by source and operation, while the source lives.
        _limitGauges =
        [
            OrderHub.Diagnostics.OrderHubTelemetry.ObserveLimit(options.SourceName, getOrderOperation, _getOrderLimiter),
            OrderHub.Diagnostics.OrderHubTelemetry.ObserveLimit(options.SourceName, isV0 ? SellingPartnerDefaults.GetOrdersOperation : SellingPartnerDefaults.SearchOrdersOperation, changeLimiter),
            OrderHub.Diagnostics.OrderHubTelemetry.ObserveLimit(options.SourceName, SellingPartnerDefaults.CreateReportOperation, _reports.CreateLimiter),
            OrderHub.Diagnostics.OrderHubTelemetry.ObserveLimit(options.SourceName, SellingPartnerDefaults.GetReportOperation, _reports.GetLimiter),
            OrderHub.Diagnostics.OrderHubTelemetry.ObserveLimit(options.SourceName, SellingPartnerDefaults.GetReportsOperation, _reports.ListLimiter),
            OrderHub.Diagnostics.OrderHubTelemetry.ObserveLimit(options.SourceName, SellingPartnerDefaults.GetReportDocumentOperation, _reports.DocumentLimiter),
        ];
        _changeFeed = new SellingPartnerChangeFeed(_client, _personalData, changeLimiter, options, isV0, _includedData, _includedPersonalData, _defaultThrottleMode, timeProvider);
        if (_ordersApiVersion == SellingPartnerOrdersApi.V0)
        {
            LogV0Deprecated(context.Logger, options.SourceName);
        }
    }

    /// <summary>Gets the seller's order-change notifications through the Notifications API: their SQS destination and subscription.</summary>
    public SellingPartnerNotifications Notifications { get; }

    /// <summary>Gets the format of Amazon order ids: 3-7-7 digits.</summary>
    public static OrderIdFormat AmazonOrderIdFormat => KnownOrderIdFormats.AmazonOrderId;

    /// <inheritdoc />
    public string Name => _options.SourceName;

    /// <inheritdoc />
    public OrderIdFormat OrderIdFormat => AmazonOrderIdFormat;

    /// <summary>Gets the Orders API version this source reads through: <c>v0</c> or <c>2026-01-01</c>.</summary>
    public string OrdersApiVersion => _ordersApiVersion;

    /// <summary>Gets the getOrder rate-limit bucket this source shares with every client of the same seller, region and endpoint.</summary>
    internal IQuotaLimiter GetOrderRateLimiter => _getOrderLimiter;

    /// <inheritdoc />
    public IRateLimitStatus GetOrderRateLimit => _getOrderLimiter;

    /// <inheritdoc />
    public OrderChangeFeedRules ChangeFeedRules => _changeFeed.Rules;

    /// <inheritdoc />
    public IRateLimitStatus ChangeFeedRateLimit => _changeFeed.Limiter;

    /// <inheritdoc />
    /// <remarks>
    /// Orders API 2026-01-01 reads <c>searchOrders</c> (0.0056 requests per second, burst 20): its pages carry whole
    /// orders with the same datasets <see cref="GetOrderAsync"/> asks for, so an order read either way is stored the
    /// same. v0 reads <c>getOrders</c> (0.0167 per second, burst 20), which needs at least one marketplace id.
    /// </remarks>
    public IAsyncEnumerable<OrderChangePage> ReadChangesAsync(OrderChangeQuery query, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(_changeFeed.ReadAsync(query, cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Order reports (Reports API 2021-06-30): windows of at most 30 days, <see cref="SellingPartnerOrderReports.ByOrderDate"/>
    /// within two years of now and <see cref="SellingPartnerOrderReports.ArchivedByOrderDate"/> before; as many in flight
    /// as <c>createReport</c>'s burst (<see cref="SellingPartnerOrderSourceOptions.CreateReportBurst"/>, 15).
    /// </remarks>
    public OrderBackfillRules BackfillRules => _reports.Rules;

    /// <summary>Gets the <c>createReport</c> bucket this source shares with every client of the same seller, region and endpoint.</summary>
    internal IQuotaLimiter CreateReportRateLimiter => _reports.CreateLimiter;

    /// <summary>Gets the <c>getReport</c> bucket.</summary>
    internal IQuotaLimiter GetReportRateLimiter => _reports.GetLimiter;

    /// <summary>Gets the <c>getReports</c> bucket.</summary>
    internal IQuotaLimiter GetReportsRateLimiter => _reports.ListLimiter;

    /// <summary>Gets the <c>getReportDocument</c> bucket.</summary>
    internal IQuotaLimiter GetReportDocumentRateLimiter => _reports.DocumentLimiter;

    /// <inheritdoc />
    /// <remarks>
    /// <c>getReports</c> (0.0222 requests per second, burst 10) for reports of the window's type and the configured
    /// marketplaces created in the last 30 days, <c>DONE</c> or <c>CANCELLED</c> (one that was processed and found no
    /// data: a report cancelled while queued says nothing of its window). The window's ends are compared as instants.
    /// </remarks>
    /// <exception cref="InvalidOrderRequestException">The window breaks <see cref="BackfillRules"/>, or <see cref="SellingPartnerOrderSourceOptions.MarketplaceIds"/> is empty; no request is sent.</exception>
    public Task<OrderBackfillJob?> FindFinishedAsync(OrderBackfillWindow window, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(() => _reports.FindFinishedAsync(window, cancellationToken));

    /// <inheritdoc />
    /// <remarks><c>createReport</c> (0.0167 requests per second, burst 15), for <see cref="SellingPartnerOrderSourceOptions.MarketplaceIds"/>.</remarks>
    /// <exception cref="InvalidOrderRequestException">The window breaks <see cref="BackfillRules"/>, or <see cref="SellingPartnerOrderSourceOptions.MarketplaceIds"/> is empty; no request is sent.</exception>
    public Task<OrderBackfillJob> RequestAsync(OrderBackfillWindow window, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(() => _reports.RequestAsync(window, cancellationToken));

    /// <inheritdoc />
    /// <remarks>
    /// <c>getReport</c> (2 requests per second, burst 15): <c>IN_QUEUE</c> is <see cref="OrderBackfillJobState.Queued"/>,
    /// <c>IN_PROGRESS</c> <see cref="OrderBackfillJobState.InProgress"/>, <c>DONE</c> <see cref="OrderBackfillJobState.Done"/>,
    /// <c>CANCELLED</c> <see cref="OrderBackfillJobState.Empty"/> (what Amazon answers for a window without data),
    /// <c>FATAL</c> <see cref="OrderBackfillJobState.Failed"/>; any other word is <see cref="OrderBackfillJobState.Unknown"/>, kept in <see cref="OrderBackfillJob.RawState"/>.
    /// </remarks>
    public Task<OrderBackfillJob> GetAsync(OrderBackfillJob job, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(() => _reports.GetAsync(job, cancellationToken));

    /// <inheritdoc />
    /// <remarks>
    /// <c>getReportDocument</c> (0.0167 requests per second, burst 15), then the document from its pre-signed URL at
    /// once, without the access token (the document host is not the API's); a URL the host refuses (expired after its
    /// 5 minutes) is asked for again, up to 3 times. Each order is <see cref="OrderCompleteness.Partial"/>, with its
    /// rows as a JSON array of column-to-value objects as its raw payload; rows without an order id or with a malformed
    /// date are skipped, and counted in one warning when the report has been read.
    /// </remarks>
    /// <exception cref="InvalidOrderRequestException">The job is not <see cref="OrderBackfillJobState.Done"/> with a document.</exception>
    public IAsyncEnumerable<Order> ReadAsync(OrderBackfillJob job, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(_reports.ReadAsync(job, cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="OrderReadOptions.IncludePersonalData"/>, v0 fetches (and caches) a restricted data token first;
    /// 2026-01-01 asks for the <c>BUYER</c> and <c>RECIPIENT</c> datasets.
    /// </remarks>
    public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(() => GetOrderCoreAsync(orderId, options, cancellationToken));

    /// <inheritdoc />
    public CredentialState CredentialState => _credentials.CredentialState;

    /// <summary>
    /// Gets the start of the partitions of this source's rate-limit buckets (<c>sp-api|&lt;hash of the credential&gt;|&lt;region&gt;</c>,
    /// then <c>|&lt;operation&gt;</c>): shared by every source, process and machine that uses the same credential in
    /// the same region; no secret can be read from it.
    /// </summary>
    public string QuotaPartition { get; }

    private async Task<Order> GetOrderCoreAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken)
    {
        AmazonOrderIdFormat.Validate(orderId, Name);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();

        var context = new OrderErrorContext(Name, orderId);
        var isV0 = _ordersApiVersion == SellingPartnerOrdersApi.V0;
        var (tokens, refused) = await _personalData.TokensAsync(options.IncludePersonalData, SellingPartnerDefaults.GetOrderPathTemplate, cancellationToken).ConfigureAwait(false);
        var call = _client.Call(
            tokens,
            _getOrderLimiter,
            options.ThrottleMode ?? _defaultThrottleMode,
            context,
            isV0 ? SellingPartnerDefaults.GetOrderOperation : SellingPartnerDefaults.GetOrder20260101Operation,
            options.MaxPermitWait);
        var datasets = options.IncludePersonalData ? _includedPersonalData : _includedData;
        var response = await _client.SendAsync(
            call,
            isV0 ? (api, c, ct) => api.GetOrderV0Async(orderId, c, ct) : (api, c, ct) => api.GetOrder20260101Async(orderId, datasets, c, ct),
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.GetOrderOperation, _getOrderLimiter.ReplenishmentPeriod);
        }

        var order = isV0 ? ReadOrder(response, context, Name) : ReadOrder20260101(response, context, Name);
        return options.IncludePersonalData ? PersonalDataReads.Explain(order, refused) : order;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Once: a source configuration lists is disposed by its set and, when resolved by name, by the container too.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var gauge in _limitGauges)
        {
            gauge.Dispose();
        }

        _client.Dispose();
        _lwa.Dispose();
        Notifications.Dispose();
        _transport.Dispose();
    }

    /// <summary>Reads a v0 getOrder success body (<c>{"payload": Order}</c>) into the unified model.</summary>
    internal static Order ReadOrder(SellingPartnerResponse response, OrderErrorContext context, string sourceName) =>
        ReadBody(response, context, "payload", body =>
        {
            var payload = JsonSerializer.Deserialize(body, SellingPartnerJsonContext.Default.GetOrderResponse)?.Payload ?? default;
            return payload.Value is { } order ? OrdersV0Mapper.Map(order, new RawPayload(payload.In(body)), sourceName) : null;
        });

    /// <summary>Reads a 2026-01-01 getOrder success body (<c>{"order": Order}</c>) into the unified model.</summary>
    internal static Order ReadOrder20260101(SellingPartnerResponse response, OrderErrorContext context, string sourceName) =>
        ReadBody(response, context, "order", body =>
        {
            var located = JsonSerializer.Deserialize(body, Orders20260101JsonContext.Default.V2026GetOrderResponse)?.Order ?? default;
            return located.Value is { } order ? Orders20260101Mapper.Map(order, new RawPayload(located.In(body)), sourceName) : null;
        });

    // Anything not as documented is a protocol error that carries the upstream request id. The body is read in one
    // pass: the envelope's deserialization also finds the order's bytes, kept (not copied) as the raw payload.
    private static Order ReadBody(SellingPartnerResponse response, OrderErrorContext context, string member, Func<byte[], Order?> read)
    {
        try
        {
            var order = read(response.Body)
                ?? throw SellingPartnerErrors.Malformed(response, context, $"the body holds no '{member}' object");
            return order.OrderId == context.OrderId
                ? order
                : throw SellingPartnerErrors.Malformed(response, context, "the payload is for another order");
        }
        catch (JsonException e)
        {
            // The path (such as $.PurchaseDate within the order) names the field, never its value.
            throw SellingPartnerErrors.Malformed(response, context, $"the body is not the documented JSON (at {e.Path ?? "$"}, or it was cut short)", e);
        }
        catch (WireFormatException e)
        {
            throw SellingPartnerErrors.Malformed(response, context, $"{e.Field} is not in the documented form", e);
        }
    }

    // One quota per selling partner authorization, region (or endpoint) and operation. The refresh token is hashed:
    // the key is safe to log, and two sources built from the same credential share one bucket.
    private static string PartitionPrefix(SellingPartnerOrderSourceOptions options)
    {
        var credential = SHA256.HashData(Encoding.UTF8.GetBytes($"{options.ClientId}\n{options.RefreshToken}"));
        var where = options.Endpoint is { } endpoint ? endpoint.GetLeftPart(UriPartial.Authority) : SellingPartnerEndpoints.Code(options.Region) + (options.Sandbox ? "-sandbox" : string.Empty);
        return $"sp-api|{Convert.ToHexStringLower(credential, 0, 12)}|{where}";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Source {SourceName} reads orders through Orders API v0, which Amazon has deprecated; set OrdersApiVersion to 2026-01-01 before 27 March 2027.")]
    private static partial void LogV0Deprecated(ILogger logger, string sourceName);

}
