namespace OrderHub;

/// <summary>A marketplace or service that orders can be read from.</summary>
/// <remarks>
/// Every implementation rejects an id that does not match <see cref="OrderIdFormat"/> before any request, with an
/// <see cref="InvalidOrderRequestException"/> whose message names the format; reports a missing order as
/// <see cref="OrderNotFoundException"/>; and honours cancellation at every wait.
/// </remarks>
public interface IOrderSource
{
    /// <summary>Gets the source's name, unique among the registered sources (for example <c>sp-api</c>).</summary>
    string Name { get; }

    /// <summary>Gets the format of the order ids this source recognizes.</summary>
    OrderIdFormat OrderIdFormat { get; }

    /// <summary>Reads one order.</summary>
    /// <param name="orderId">The order's id, in <see cref="OrderIdFormat"/>.</param>
    /// <param name="options">What to include and how to behave when throttled.</param>
    /// <param name="cancellationToken">Cancels the read, including any wait for a rate-limit permit.</param>
    /// <returns>The order in the unified model.</returns>
    Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default);
}

/// <summary>A source that can create orders.</summary>
public interface IOrderCreator : IOrderSource
{
    /// <summary>Creates an order. It may buy something: it is never retried once the request may have reached the source.</summary>
    /// <param name="request">What to order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created order.</returns>
    Task<Order> CreateOrderAsync(CreateOrderRequest request, CancellationToken cancellationToken = default);
}

/// <summary>A source that can list its orders.</summary>
public interface IOrderEnumerator : IOrderSource
{
    /// <summary>Lists orders, following the source's pages as the caller reads.</summary>
    /// <param name="query">What to list; <see langword="null"/> for everything.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The orders' summaries.</returns>
    IAsyncEnumerable<OrderSummary> ListOrdersAsync(OrderListQuery? query = null, CancellationToken cancellationToken = default);
}

/// <summary>A source that can cancel orders.</summary>
public interface IOrderCanceller : IOrderSource
{
    /// <summary>Cancels an order.</summary>
    /// <param name="orderId">The order's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the source has accepted the cancellation.</returns>
    Task CancelOrderAsync(string orderId, CancellationToken cancellationToken = default);
}
