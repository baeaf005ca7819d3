namespace OrderHub;

/// <summary>
/// The unified lookup: one call for an order from any registered source, chosen by name or recognized from the
/// order id's format.
/// </summary>
public sealed class OrderLookup
{
    private readonly Dictionary<string, IOrderSource> _byName;

    /// <summary>Initializes a new instance of the <see cref="OrderLookup"/> class.</summary>
    /// <param name="sources">The sources; their names must be unique (ignoring case).</param>
    public OrderLookup(IEnumerable<IOrderSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Sources = [.. sources];
        _byName = new Dictionary<string, IOrderSource>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in Sources)
        {
            if (!_byName.TryAdd(source.Name, source))
            {
                throw new ArgumentException($"Two order sources are named '{source.Name}'; source names must be unique.", nameof(sources));
            }
        }
    }

    /// <summary>Gets the registered sources.</summary>
    public IReadOnlyList<IOrderSource> Sources { get; }

    /// <summary>Gets a source by name.</summary>
    /// <param name="sourceName">The source's name (case is ignored).</param>
    /// <returns>The source.</returns>
    /// <exception cref="InvalidOrderRequestException">No source has that name; the message lists the names there are.</exception>
    public IOrderSource GetSource(string sourceName)
    {
        if (sourceName is not null && _byName.TryGetValue(sourceName, out var source))
        {
            return source;
        }

        throw new InvalidOrderRequestException(
            $"There is no order source named '{OrderIdFormat.Shorten(sourceName)}'. Registered sources: {DescribeNames()}.",
            new OrderErrorContext(SourceName: sourceName))
        {
            ParameterName = "source",
        };
    }

    /// <summary>Finds the one source whose id format an order id is in.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>The source.</returns>
    /// <exception cref="InvalidOrderRequestException">No source, or more than one, recognizes the id; the message names the accepted formats.</exception>
    public IOrderSource ResolveSource(string orderId)
    {
        IOrderSource? found = null;
        foreach (var source in Sources)
        {
            if (!source.OrderIdFormat.IsMatch(orderId))
            {
                continue;
            }

            if (found is not null)
            {
                throw new InvalidOrderRequestException(
                    $"The order id '{OrderIdFormat.Shorten(orderId)}' is claimed by both '{found.Name}' and '{source.Name}'; name the source explicitly.",
                    new OrderErrorContext(OrderId: orderId))
                {
                    ParameterName = "orderId",
                };
            }

            found = source;
        }

        return found ?? throw new InvalidOrderRequestException(
            $"No order source recognizes the order id '{OrderIdFormat.Shorten(orderId)}'. Accepted formats: {DescribeFormats()}.",
            new OrderErrorContext(OrderId: orderId))
        {
            ParameterName = "orderId",
        };
    }

    /// <summary>Reads an order from the source that recognizes its id.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string orderId, CancellationToken cancellationToken = default) =>
        GetOrderAsync(orderId, OrderReadOptions.Default, cancellationToken);

    /// <summary>Reads an order from the source that recognizes its id.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="options">What to include and how to behave when throttled.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        ResolveSource(orderId).GetOrderAsync(orderId, options, cancellationToken);

    /// <summary>Reads an order from a named source.</summary>
    /// <param name="sourceName">The source's name.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string sourceName, string orderId, CancellationToken cancellationToken = default) =>
        GetOrderAsync(sourceName, orderId, OrderReadOptions.Default, cancellationToken);

    /// <summary>Reads an order from a named source.</summary>
    /// <param name="sourceName">The source's name.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="options">What to include and how to behave when throttled.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string sourceName, string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        GetSource(sourceName).GetOrderAsync(orderId, options, cancellationToken);

    private string DescribeNames() => Sources.Count == 0 ? "(none)" : string.Join(", ", Sources.Select(s => s.Name));

    private string DescribeFormats() => Sources.Count == 0
        ? "(no sources are registered)"
        : string.Join("; ", Sources.Select(s => $"{s.Name}: {s.OrderIdFormat}"));
}
