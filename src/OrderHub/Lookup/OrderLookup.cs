namespace OrderHub;

/// <summary>
/// The unified lookup: one call for an order from any registered source, chosen by name or recognized from the
/// order id's format.
/// </summary>
public sealed class OrderLookup
{
    private readonly Dictionary<string, IOrderSource> _byName;
    private readonly IReadOnlyList<(string Marketplace, OrderIdFormat Format, string HowToConfigure)> _known;

    /// <summary>Initializes a new instance of the <see cref="OrderLookup"/> class.</summary>
    /// <param name="sources">The sources; their names must be unique (ignoring case).</param>
    public OrderLookup(IEnumerable<IOrderSource> sources)
        : this(sources, [])
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OrderLookup"/> class that says how to configure a missing source in the application's words.</summary>
    /// <param name="sources">The sources; their names must be unique (ignoring case).</param>
    /// <param name="configurationHints">How to configure a source of each marketplace; a hint for a known format replaces the library's own.</param>
    public OrderLookup(IEnumerable<IOrderSource> sources, IEnumerable<OrderSourceConfigurationHint> configurationHints)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(configurationHints);
        Sources = [.. sources];
        OrderSourceConfigurationHint[] hints = [.. configurationHints];
        _known =
        [
            .. hints.Select(h => (h.Marketplace, h.Format, h.HowToConfigure)),
            .. KnownOrderIdFormats.All.Where(k => !hints.Any(h => h.Format.Pattern == k.Format.Pattern)),
        ];
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

    /// <summary>
    /// Finds the one source that recognizes an id's format. Where several registered sources recognize it (two sellers
    /// of one marketplace), use <see cref="ResolveSources"/> or name the source.
    /// </summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>The source.</returns>
    /// <exception cref="InvalidOrderRequestException">No source, or more than one, recognizes the id; the message names the formats and sources.</exception>
    public IOrderSource ResolveSource(string orderId)
    {
        var candidates = ResolveSources(orderId);
        return candidates.Count == 1
            ? candidates[0]
            : throw new InvalidOrderRequestException(
                $"The order id '{OrderIdFormat.Shorten(orderId)}' is recognized by several sources ({string.Join(", ", candidates.Select(c => c.Name))}); name the source.",
                new OrderErrorContext(OrderId: orderId))
            {
                ParameterName = "orderId",
            };
    }

    /// <summary>
    /// Finds every source that recognizes an id's format, in registration order: the order in which
    /// <see cref="GetOrderAsync(string, OrderReadOptions, CancellationToken)"/> tries them.
    /// </summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>One source or more.</returns>
    /// <exception cref="InvalidOrderRequestException">
    /// No source recognizes the id; the message names the formats of the sources registered and, for marketplaces with
    /// none, what to configure. No request is sent.
    /// </exception>
    public IReadOnlyList<IOrderSource> ResolveSources(string orderId)
    {
        var candidates = Sources.Where(s => s.OrderIdFormat.IsMatch(orderId)).ToArray();
        if (candidates.Length > 0)
        {
            return candidates;
        }

        var unconfigured = _known
            .Where(k => !Sources.Any(s => s.OrderIdFormat.Pattern == k.Format.Pattern))
            .ToArray();
        var hint = unconfigured.FirstOrDefault(k => k.Format.IsMatch(orderId)) is { Marketplace: not null } match
            ? $" It is an {match.Marketplace} order id, and no {match.Marketplace} source is configured: {match.HowToConfigure}."
            : unconfigured.Length > 0
                ? $" Not configured: {string.Join("; ", unconfigured.Select(k => $"{k.Marketplace} ({k.Format})"))}."
                : string.Empty;
        throw new InvalidOrderRequestException(
            $"No order source recognizes the order id '{OrderIdFormat.Shorten(orderId)}'. Accepted formats: {DescribeFormats()}.{hint}",
            new OrderErrorContext(OrderId: orderId))
        {
            ParameterName = "orderId",
        };
    }

    /// <summary>Reads an order, routed on the id's format alone.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string orderId, CancellationToken cancellationToken = default) =>
        GetOrderAsync(orderId, OrderReadOptions.Default, cancellationToken);

    /// <summary>
    /// Reads an order, routed on the id's format alone. Where several sources recognize it (two sellers of one
    /// marketplace), they are tried in registration order: a source that does not have the order passes to the next
    /// (each try costs that source a rate-limit permit); any other error ends the call.
    /// </summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="options">How to read it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order.</returns>
    /// <exception cref="OrderNotFoundException">No candidate source has the order; the message names them all.</exception>
    public async Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
    {
        var candidates = ResolveSources(orderId);
        OrderNotFoundException? notFound = null;
        foreach (var source in candidates)
        {
            try
            {
                return await source.GetOrderAsync(orderId, options, cancellationToken).ConfigureAwait(false);
            }
            catch (OrderNotFoundException e) when (candidates.Count > 1)
            {
                notFound = e;
            }
        }

        throw new OrderNotFoundException(
            $"None of the sources that recognize '{orderId}' has it: {string.Join(", ", candidates.Select(c => c.Name))}.",
            new OrderErrorContext(OrderId: orderId, StatusCode: notFound?.StatusCode, RequestId: notFound?.RequestId),
            notFound);
    }

    /// <summary>Reads an order from a named source.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string sourceName, string orderId, CancellationToken cancellationToken = default) =>
        GetOrderAsync(sourceName, orderId, OrderReadOptions.Default, cancellationToken);

    /// <summary>Reads an order from a named source.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="options">How to read it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order.</returns>
    public Task<Order> GetOrderAsync(string sourceName, string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        GetSource(sourceName).GetOrderAsync(orderId, options, cancellationToken);

    private string DescribeNames() => Sources.Count == 0 ? "(none)" : string.Join(", ", Sources.Select(s => s.Name));

    private string DescribeFormats() => Sources.Count == 0
        ? "(no sources are registered)"
        : string.Join("; ", Sources.Select(s => $"{s.Name}: {s.OrderIdFormat}"));
}
