namespace OrderHub;

/// <summary>Conveniences over <see cref="IOrderSource"/>.</summary>
public static class OrderSourceExtensions
{
    /// <summary>Reads one order with the default options.</summary>
    /// <param name="source">The source.</param>
    /// <param name="orderId">The order's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order in the unified model.</returns>
    public static Task<Order> GetOrderAsync(this IOrderSource source, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.GetOrderAsync(orderId, OrderReadOptions.Default, cancellationToken);
    }
}
