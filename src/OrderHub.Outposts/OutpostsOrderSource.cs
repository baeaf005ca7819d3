using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Json;
using OrderHub.Outposts.Http;
using OrderHub.Outposts.Mapping;
using OrderHub.Outposts.Wire;

namespace OrderHub.Outposts;

/// <summary>
/// AWS Outposts orders (API version 2019-12-03) as an <see cref="IOrderSource"/> that can also create, list and cancel
/// orders. Requests are signed with SigV4 by AWSSDK.Core and checked against the service model's rules before they
/// are sent.
/// </summary>
public sealed class OutpostsOrderSource : IOrderCreator, IOrderEnumerator, IOrderCanceller, ICredentialStatus, IDisposable
{
    private readonly OutpostsOrderSourceOptions _options;
    private readonly CredentialStateTracker _credentials = new();
    private readonly OrderHub.Http.UpstreamClient _http;
    private readonly OutpostsClient _client;

    /// <summary>Initializes a new instance of the <see cref="OutpostsOrderSource"/> class.</summary>
    /// <param name="options">Region, endpoint, credentials and retries.</param>
    /// <param name="timeProvider">The clock for retry delays and timeouts; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where retries are logged (never a credential).</param>
    /// <param name="innerHandler">
    /// The handler under the signer (for example from <c>IHttpMessageHandlerFactory</c>); it must not follow redirects,
    /// since the signed headers and session token would follow them. <see langword="null"/> creates and owns one.
    /// </param>
    /// <param name="environment">Reads environment variables; <see langword="null"/> for the process environment.</param>
    public OutpostsOrderSource(
        OutpostsOrderSourceOptions options,
        TimeProvider? timeProvider = null,
        ILogger<OutpostsOrderSource>? logger = null,
        HttpMessageHandler? innerHandler = null,
        Func<string, string?>? environment = null)
        : this(options, timeProvider, logger, InnerHandlers(innerHandler), environment)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OutpostsOrderSource"/> class over a handler chain given per exchange.</summary>
    internal OutpostsOrderSource(
        OutpostsOrderSourceOptions options,
        TimeProvider? timeProvider,
        ILogger<OutpostsOrderSource>? logger,
        (Func<HttpMessageHandler> Next, bool Once, bool Owned) innerHandlers,
        Func<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The same rules as dependency injection's validation at start, for sources built by hand.
        OrderSourceRegistration.ThrowIfInvalid(options, nameof(options));

        _options = options;
        environment ??= Environment.GetEnvironmentVariable;
        Region = OutpostsEndpoint.ResolveRegion(options, environment);
        ServiceUrl = OutpostsEndpoint.ResolveServiceUrl(options, Region, environment);
        var credentials = OutpostsEndpoint.ResolveCredentials(options);
        var region = RegionEndpoint.GetBySystemName(Region);

        // Every attempt is signed by AWSSDK.Core's signer, at the end of the client's chain, over the handlers below it.
        _http = innerHandlers.Once
            ? OrderHub.Http.UpstreamClient.Over(innerHandlers.Next(), ownsHandler: innerHandlers.Owned)
            : OrderHub.Http.UpstreamClient.PerExchange(innerHandlers.Next, "innerHandler");
        _client = new OutpostsClient(_http, ServiceUrl, credentials, region, options, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <summary>Gets the format of Outposts order ids.</summary>
    public static OrderIdFormat OutpostsOrderIdFormat => KnownOrderIdFormats.OutpostsOrderId;

    /// <inheritdoc />
    public string Name => _options.SourceName;

    /// <inheritdoc />
    public OrderIdFormat OrderIdFormat => OutpostsOrderIdFormat;

    /// <summary>Gets the AWS region requests are signed for.</summary>
    public string Region { get; }

    /// <summary>Gets the service URL requests are sent to.</summary>
    public Uri ServiceUrl { get; }

    /// <inheritdoc />
    public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        _credentials.TrackAsync(() => GetOrderCoreAsync(orderId, options, cancellationToken));

    /// <inheritdoc />
    public CredentialState CredentialState => _credentials.CredentialState;

    private async Task<Order> GetOrderCoreAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken)
    {
        OutpostsOrderIdFormat.Validate(orderId, Name);
        cancellationToken.ThrowIfCancellationRequested();
        var context = new OrderErrorContext(Name, orderId);
        var response = await SendAsync(_client.Call("GetOrder", context, mayRepeat: true), (api, call, ct) => api.GetOrderAsync(orderId, call, ct), cancellationToken).ConfigureAwait(false);
        var order = ReadOrder(response, context);
        return order.OrderId == orderId ? order : throw OutpostsErrors.Malformed(response, context, "the order returned is another order");
    }

    /// <inheritdoc />
    /// <remarks>
    /// The request is checked against the service model's rules first. It is sent at most once unless the service
    /// throttles it or the connection could not be made: a CreateOrder that may have been processed is never repeated.
    /// </remarks>
    public async Task<Order> CreateOrderAsync(CreateOrderRequest request, CancellationToken cancellationToken = default)
    {
        ValidateCreateOrder(request);
        var lines = request.Lines.Select(l => (l.CatalogItemId, l.Quantity)).ToArray();

        string paymentOption;
        string? paymentTerm;
        try
        {
            paymentOption = OutpostsValueMaps.ToWire(request.PaymentOption);
            paymentTerm = request.PaymentTerm is { } term ? OutpostsValueMaps.ToWire(term) : null;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidOrderRequestException(e.Message.Split(Environment.NewLine)[0], new OrderErrorContext(Name), e) { ParameterName = e.ParamName };
        }

        cancellationToken.ThrowIfCancellationRequested();
        var input = new CreateOrderInput
        {
            OutpostIdentifier = request.AccountId,
            QuoteIdentifier = request.QuoteId,
            QuoteOptionIdentifier = request.QuoteOptionId,
            LineItems = lines.Length == 0 ? null : lines.Select(l => new LineItemRequest(l.CatalogItemId, l.Quantity)).ToArray(),
            PaymentOption = paymentOption,
            PaymentTerm = paymentTerm,
        };
        var context = new OrderErrorContext(Name);
        var response = await SendAsync(_client.Call("CreateOrder", context, mayRepeat: false), (api, call, ct) => api.CreateOrderAsync(input, call, ct), cancellationToken).ConfigureAwait(false);
        return ReadOrder(response, context);
    }

    /// <summary>
    /// Checks an order against the service model's rules, as <see cref="CreateOrderAsync"/> does before sending it: a
    /// program can refuse a bad order before asking anyone to confirm it.
    /// </summary>
    /// <param name="request">The order.</param>
    /// <exception cref="InvalidOrderRequestException">A rule is broken; the message names the field and what it must be.</exception>
    public void ValidateCreateOrder(CreateOrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lines = request.Lines.Select(l => (l.CatalogItemId, l.Quantity)).ToArray();
        if (OutpostsInputRules.CheckCreateOrder(request.AccountId, lines, request.QuoteId, request.QuoteOptionId) is { } violation)
        {
            throw Invalid(violation);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OrderSummary> ListOrdersAsync(OrderListQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (query?.AccountId is { } outpost && OutpostsInputRules.OutpostIdentifier.Check(outpost) is { } badOutpost)
        {
            throw Invalid(badOutpost);
        }

        if (OutpostsInputRules.CheckMaxResults(query?.PageSize) is { } badSize)
        {
            throw Invalid(badSize);
        }

        var context = new OrderErrorContext(Name);
        string? nextToken = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = nextToken;
            var response = await SendAsync(
                _client.Call("ListOrders", context, mayRepeat: true),
                (api, call, ct) => api.ListOrdersAsync(query?.AccountId, page, query?.PageSize, call, ct),
                cancellationToken).ConfigureAwait(false);
            var (summaries, token) = ReadPage(response, context);
            foreach (var summary in summaries)
            {
                yield return summary;
            }

            if (token is not null && token == nextToken)
            {
                throw OutpostsErrors.Malformed(response, context, "the service returned the same NextToken again");
            }

            nextToken = token;
        }
        while (nextToken is not null);
    }

    /// <inheritdoc />
    public async Task CancelOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        OutpostsOrderIdFormat.Validate(orderId, Name);
        cancellationToken.ThrowIfCancellationRequested();
        await SendAsync(_client.Call("CancelOrder", new OrderErrorContext(Name, orderId), mayRepeat: true), (api, call, ct) => api.CancelOrderAsync(orderId, call, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _http.Dispose();
    }

    // A handler given by the caller must not follow redirects (it is not disposed with the source); none given, the
    // source creates and owns one that does not.
    private static (Func<HttpMessageHandler> Next, bool Once, bool Owned) InnerHandlers(HttpMessageHandler? innerHandler)
    {
        if (innerHandler is null)
        {
            return (OrderHub.Http.UpstreamHttp.CreateHandler, true, true);
        }

        OrderHub.Http.UpstreamHttp.EnsureRedirectsNotFollowed(innerHandler, nameof(innerHandler));
        return (() => innerHandler, true, false);
    }

    internal Order ReadOrder(OutpostsResponse response, OrderErrorContext context)
    {
        try
        {
            // One pass: the envelope's deserialization also finds the order's bytes, kept (not copied) as the raw payload.
            var located = JsonSerializer.Deserialize(response.Body, OutpostsJsonContext.Default.OrderEnvelope)?.Order ?? default;
            var wire = located.Value ?? throw OutpostsErrors.Malformed(response, context, "the body holds no 'Order' object");
            return string.IsNullOrEmpty(wire.OrderId)
                ? throw OutpostsErrors.Malformed(response, context, "the order has no OrderId")
                : OutpostsMapper.Map(wire, new RawPayload(located.In(response.Body)), Name);
        }
        catch (JsonException e)
        {
            throw OutpostsErrors.Malformed(response, context, "the body is not the documented JSON (or was cut short)", e);
        }
    }

    private (IReadOnlyList<OrderSummary> Summaries, string? NextToken) ReadPage(OutpostsResponse response, OrderErrorContext context)
    {
        try
        {
            var page = JsonSerializer.Deserialize(response.Body, OutpostsJsonContext.Default.ListOrdersOutput)
                ?? throw OutpostsErrors.Malformed(response, context, "the body is null");
            if (page.Orders is not { Count: > 0 } orders)
            {
                return ([], page.NextToken);
            }

            using var document = JsonDocument.Parse(response.Body);
            var elements = document.RootElement.GetProperty("Orders");
            var summaries = new OrderSummary[orders.Count];
            for (var i = 0; i < orders.Count; i++)
            {
                summaries[i] = OutpostsMapper.Map(orders[i], RawPayload.FromElement(elements[i]), Name);
            }

            return (summaries, page.NextToken);
        }
        catch (JsonException e)
        {
            throw OutpostsErrors.Malformed(response, context, "the body is not the documented JSON (or was cut short)", e);
        }
    }

    private async Task<OutpostsResponse> SendAsync(OutpostsCall call, Func<IOutpostsApi, OutpostsCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var response = await _client.SendAsync(call, send, cancellationToken).ConfigureAwait(false);
        return response.IsSuccess ? response : throw OutpostsErrors.ToException(response, call.Context, call.Operation);
    }

    private InvalidOrderRequestException Invalid(Violation violation) =>
        new(violation.Message, new OrderErrorContext(Name)) { ParameterName = violation.Field };
}
