using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Mapping;
using OrderHub.Json;
using OrderHub.SellingPartner.Wire;
using OrderHub.Throttling;

namespace OrderHub.SellingPartner;

/// <summary>
/// Amazon Selling Partner API orders as an <see cref="IOrderSource"/>: Orders API v0 <c>getOrder</c>, authenticated
/// with Login with Amazon, throttled to the operation's usage plan (0.5 requests per second, burst 30, or the rate the
/// API announces), with personal data through restricted data tokens when asked for.
/// </summary>
public sealed partial class SellingPartnerOrderSource : IRateLimitedOrderSource
{
    private static readonly string[] PersonalDataElements = ["buyerInfo", "shippingAddress", "buyerTaxInformation"];

    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly ThrottleMode _defaultThrottleMode;
    private readonly SellingPartnerTransport _transport;
    private readonly LwaAccessTokenSource _lwa;
    private readonly RestrictedDataTokens _restrictedDataTokens;
    private readonly AdaptiveTokenBucketRateLimiter _getOrderLimiter;

    /// <summary>Initializes a new instance of the <see cref="SellingPartnerOrderSource"/> class.</summary>
    /// <param name="httpClient">The client calls go through; its base address and timeout are not used.</param>
    /// <param name="options">The region, endpoint, credentials and limits.</param>
    /// <param name="timeProvider">The clock for token expiry, rate limits and retry delays; <see langword="null"/> for the system clock.</param>
    /// <param name="rateLimiters">The process's rate-limit buckets; <see langword="null"/> for <see cref="RateLimiterRegistry.Shared"/>.</param>
    /// <param name="logger">Where retries and token refreshes are logged (never a token or personal data).</param>
    /// <param name="defaultThrottleMode">What a call does when no permit is free, unless the options or the call say otherwise.</param>
    public SellingPartnerOrderSource(
        HttpClient httpClient,
        SellingPartnerOrderSourceOptions options,
        TimeProvider? timeProvider = null,
        RateLimiterRegistry? rateLimiters = null,
        ILogger<SellingPartnerOrderSource>? logger = null,
        ThrottleMode defaultThrottleMode = ThrottleMode.Wait)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _defaultThrottleMode = options.ThrottleMode ?? defaultThrottleMode;
        timeProvider ??= TimeProvider.System;
        rateLimiters ??= RateLimiterRegistry.Shared;

        _transport = new SellingPartnerTransport(httpClient, options, timeProvider, (ILogger?)logger ?? NullLogger.Instance);
        _lwa = new LwaAccessTokenSource(httpClient, options, timeProvider);
        var partition = PartitionPrefix(options);
        _getOrderLimiter = rateLimiters.GetOrAdd(
            $"{partition}|{SellingPartnerDefaults.GetOrderOperation}",
            new AdaptiveTokenBucketRateLimiterOptions
            {
                PermitsPerSecond = options.GetOrderPermitsPerSecond * (1 - options.PacingMargin),
                Burst = options.GetOrderBurst,
                RefillDelayAfterBurst = options.BurstLatencyAllowance,
            });
        var rdtLimiter = rateLimiters.GetOrAdd(
            $"{partition}|{SellingPartnerDefaults.RestrictedDataTokenOperation}",
            new AdaptiveTokenBucketRateLimiterOptions
            {
                PermitsPerSecond = SellingPartnerDefaults.RestrictedDataTokenPermitsPerSecond * (1 - options.PacingMargin),
                Burst = SellingPartnerDefaults.RestrictedDataTokenBurst,
                RefillDelayAfterBurst = options.BurstLatencyAllowance,
            });
        _restrictedDataTokens = new RestrictedDataTokens(_transport, _lwa, rdtLimiter, options.BaseAddress, timeProvider, options.SourceName);
    }

    /// <summary>Gets the format of Amazon order ids: 3-7-7 digits.</summary>
    public static OrderIdFormat AmazonOrderIdFormat { get; } = new("3-7-7 digits", "902-3159896-1390916", AmazonOrderIdPattern());

    /// <inheritdoc />
    public string Name => _options.SourceName;

    /// <inheritdoc />
    public OrderIdFormat OrderIdFormat => AmazonOrderIdFormat;

    /// <summary>Gets the getOrder rate-limit bucket this source shares with every client of the same seller, region and endpoint.</summary>
    public AdaptiveTokenBucketRateLimiter GetOrderRateLimiter => _getOrderLimiter;

    /// <inheritdoc />
    /// <remarks>With <see cref="OrderReadOptions.IncludePersonalData"/>, a restricted data token is fetched (and cached) first.</remarks>
    public async Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
    {
        AmazonOrderIdFormat.Validate(orderId, Name);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();

        var context = new OrderErrorContext(Name, orderId);
        IAccessTokenSource tokens = options.IncludePersonalData
            ? _restrictedDataTokens.For("GET", SellingPartnerDefaults.GetOrderPathTemplate, PersonalDataElements)
            : _lwa;
        var request = new SellingPartnerRequest(
            HttpMethod.Get,
            new Uri(_options.BaseAddress, $"orders/v0/orders/{orderId}"),
            tokens,
            _getOrderLimiter,
            options.ThrottleMode ?? _defaultThrottleMode,
            context);

        var response = await _transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.GetOrderOperation, _getOrderLimiter.ReplenishmentPeriod);
        }

        return ReadOrder(response, context, Name);
    }

    /// <summary>Reads a getOrder success body into the unified model; anything not as documented is a protocol error.</summary>
    internal static Order ReadOrder(SellingPartnerResponse response, OrderErrorContext context, string sourceName)
    {
        try
        {
            // A non-allocating pass finds the payload's bytes; they are deserialized once and kept as the raw payload.
            var payload = JsonObjectSlice.Find(response.Body, "payload")
                ?? throw SellingPartnerErrors.Malformed(response, context, "the body holds no 'payload' object");
            var wire = JsonSerializer.Deserialize(payload.Span, SellingPartnerJsonContext.Default.V0Order)!;
            var order = OrdersV0Mapper.Map(wire, new RawPayload(payload), sourceName);
            return order.OrderId == context.OrderId
                ? order
                : throw SellingPartnerErrors.Malformed(response, context, "the payload is for another order");
        }
        catch (JsonException e)
        {
            throw SellingPartnerErrors.Malformed(response, context, "the body is not the documented JSON (or was cut short)", e);
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

    [GeneratedRegex(@"^\d{3}-\d{7}-\d{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex AmazonOrderIdPattern();
}
