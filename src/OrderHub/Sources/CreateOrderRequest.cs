namespace OrderHub;

/// <summary>What to order from a source that can create orders: either lines, or a quote and one of its options.</summary>
public sealed record CreateOrderRequest
{
    /// <summary>Gets the account or container to order for (for Outposts, an Outpost id or ARN).</summary>
    public required string AccountId { get; init; }

    /// <summary>Gets the items and quantities to order.</summary>
    public IReadOnlyList<CreateOrderLine> Lines { get; init; } = [];

    /// <summary>Gets the id or ARN of the quote to order from.</summary>
    public string? QuoteId { get; init; }

    /// <summary>Gets the id of the quote option to order from.</summary>
    public string? QuoteOptionId { get; init; }

    /// <summary>Gets how much is paid up front.</summary>
    public required PaymentOption PaymentOption { get; init; }

    /// <summary>Gets the term to pay over, where the source needs one.</summary>
    public PaymentTerm? PaymentTerm { get; init; }
}

/// <summary>One item and quantity to order.</summary>
/// <param name="CatalogItemId">The source's catalog id of the item.</param>
/// <param name="Quantity">How many; at least 1.</param>
public sealed record CreateOrderLine(string CatalogItemId, int Quantity);

/// <summary>What to list from a source that can enumerate orders.</summary>
public sealed record OrderListQuery
{
    /// <summary>Gets the account or container to list the orders of; <see langword="null"/> for all.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets how many orders to ask for in one page; <see langword="null"/> for the source's default.</summary>
    public int? PageSize { get; init; }
}
