using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon;
using Microsoft.Extensions.Logging;
using OrderHub.Http;
using OrderHub.Json;
using OrderHub.Outposts.Http;
using OrderHub.Outposts.Mapping;
using OrderHub.Outposts.Wire;
using OrderHub.Providers;

namespace OrderHub.Outposts;

/// <summary>
/// AWS Outposts orders (API version 2019-12-03) as an <see cref="IOrderSource"/> that can also create, list and cancel
/// orders. Requests are signed with SigV4 by AWSSDK.Core and checked against the service model's rules before they
/// are sent.
/// </summary>
public sealed class OutpostsOrderSource : IOrderCreator, IOrderEnumerator, IOrderCanceller, ICredentialStatus, IDisposable
{
    private int _disposed;

    private readonly OutpostsOrderSourceOptions _options;
    private readonly CredentialStateTracker _credentials = new();
    private readonly UpstreamTransport _transport;
    private readonly OutpostsClient _client;

    /// <summary>Initializes a new instance of the <see cref="OutpostsOrderSource"/> class.</summary>
    /// <param name="options">Region, endpoint, credentials and retries.</param>
    /// <param name="timeProvider">The clock for retry delays and timeouts; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where retries are logged (never a credential).</param>
    /// <param name="innerHandler">
    /// The handler under the signer (for example from <c>IHttpMessageHandlerFactory</c>); it must not follow redirects,
    /// since the signed headers and session token would follow them. <see langword="null"/> creates and owns one.
    /// </param>
    /// <exception cref="ArgumentException">The options break a rule (the message names the setting), no region is set, or the handler follows redirects.</exception>
    public OutpostsOrderSource(
        OutpostsOrderSourceOptions options,
        TimeProvider? timeProvider = null,
        ILogger<OutpostsOrderSource>? logger = null,
        HttpMessageHandler? innerHandler = null)
        : this(options, UpstreamContext.Create(timeProvider, logger, innerHandler, nameof(innerHandler)))
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="OutpostsOrderSource"/> class: the shape every source's internal
    /// constructor has (its options and its upstream context; Outposts needs nothing more).
    /// </summary>
    internal OutpostsOrderSource(OutpostsOrderSourceOptions options, UpstreamContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        // The same rules as dependency injection's validation at start, for sources built by hand.
        OrderSourceRegistration.ThrowIfInvalid(options, nameof(options));

        _options = options;
        Region = OutpostsEndpoint.ResolveRegion(options, context.Environment);
        ServiceUrl = OutpostsEndpoint.ResolveServiceUrl(options, Region, context.Environment);
        var credentials = OutpostsEndpoint.ResolveCredentials(options);

        // Every attempt is signed by AWSSDK.Core's signer, at the end of the client's chain, over the transport.
        _transport = context.Transport;
        _client = new OutpostsClient(options, ServiceUrl, credentials, RegionEndpoint.GetBySystemName(Region), context);
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
        var response = await SendAsync(new UpstreamCall { Operation = "GetOrder", Context = context }, (api, call, ct) => api.GetOrderAsync(orderId, call, ct), cancellationToken).ConfigureAwait(false);
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
        var response = await SendAsync(new UpstreamCall { Operation = "CreateOrder", Context = context, MayRepeat = false }, (api, call, ct) => api.CreateOrderAsync(input, call, ct), cancellationToken).ConfigureAwait(false);
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
            var response = await _credentials.TrackAsync(() => SendAsync(
                new UpstreamCall { Operation = "ListOrders", Context = context },
                (api, call, ct) => api.ListOrdersAsync(query?.AccountId, page, query?.PageSize, call, ct),
                cancellationToken)).ConfigureAwait(false);
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
        await SendAsync(new UpstreamCall { Operation = "CancelOrder", Context = new OrderErrorContext(Name, orderId) }, (api, call, ct) => api.CancelOrderAsync(orderId, call, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Once: a source configuration lists is disposed by its set and, when resolved by name, by the container too.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _client.Dispose();
        _transport.Dispose();
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

    private async Task<OutpostsResponse> SendAsync(UpstreamCall call, Func<IOutpostsApi, UpstreamCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var response = await _client.SendAsync(call, send, cancellationToken).ConfigureAwait(false);
        return response.IsSuccess ? response : throw OutpostsErrors.ToException(response, call.Context, call.Operation);
    }

    private InvalidOrderRequestException Invalid(Violation violation) =>
        new(violation.Message, new OrderErrorContext(Name)) { ParameterName = violation.Field };
}
