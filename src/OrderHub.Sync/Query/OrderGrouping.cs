namespace OrderHub.Sync;

/// <summary>What <see cref="IOrderQuery.SummarizeAsync"/> groups orders by: any combination, with at most one period.</summary>
[Flags]
public enum OrderGrouping
{
    /// <summary>One group of every order the filter selects.</summary>
    None = 0,

    /// <summary>By source.</summary>
    Source = 1,

    /// <summary>By account (<see cref="Order.AccountId"/>).</summary>
    Account = 2,

    /// <summary>By unified status.</summary>
    Status = 4,

    /// <summary>By the UTC day of creation.</summary>
    CreatedDay = 8,

    /// <summary>By the UTC month of creation.</summary>
    CreatedMonth = 16,
}

/// <summary>
/// The orders of one group: how many, and their totals per currency. The members a summary was not grouped by are
/// <see langword="null"/>; so are those the group's orders do not have (no account, no creation time).
/// </summary>
public sealed record OrderGroupSummary
{
    /// <summary>Gets the group's source.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the group's account.</summary>
    public string? AccountId { get; init; }

    /// <summary>Gets the group's unified status.</summary>
    public OrderStatus? Status { get; init; }

    /// <summary>Gets the group's UTC day of creation, or the first day of its month when grouped by month.</summary>
    public DateOnly? CreatedOn { get; init; }

    /// <summary>Gets how many orders are in the group.</summary>
    public long Count { get; init; }

    /// <summary>
    /// Gets the sum of the group's order totals, one per currency, by currency code (an amount without a currency
    /// first). Orders without a total add to <see cref="Count"/> only.
    /// </summary>
    public IReadOnlyList<Money> Totals { get; init; } = [];
}

/// <summary>Extensions of <see cref="OrderGrouping"/>.</summary>
public static class OrderGroupingExtensions
{
    private const OrderGrouping All = OrderGrouping.Source | OrderGrouping.Account | OrderGrouping.Status | OrderGrouping.CreatedDay | OrderGrouping.CreatedMonth;

    /// <summary>Checks a grouping before any I/O. Stores call it.</summary>
    /// <param name="groupBy">The grouping.</param>
    /// <exception cref="InvalidOrderRequestException">Unknown flags, or both day and month (<c>groupBy</c>).</exception>
    public static void Validate(this OrderGrouping groupBy)
    {
        if ((groupBy & ~All) != 0)
        {
            throw OrderFilter.Invalid("groupBy", $"'{(int)groupBy}' is not a grouping; expected any of Source, Account, Status, and one of CreatedDay or CreatedMonth.");
        }

        if (groupBy.HasFlag(OrderGrouping.CreatedDay) && groupBy.HasFlag(OrderGrouping.CreatedMonth))
        {
            throw OrderFilter.Invalid("groupBy", "Group by the day or by the month of creation, not both.");
        }
    }

    /// <summary>
    /// Puts a store's rows of (group, currency) together into the groups a summary returns, in its documented order:
    /// for store implementers, so every store answers alike.
    /// </summary>
    /// <param name="groupBy">The grouping.</param>
    /// <param name="rows">Per group and currency: the count of orders, and the sum of their totals where any has one.</param>
    /// <returns>The summary.</returns>
    public static IReadOnlyList<OrderGroupSummary> Combine(this OrderGrouping groupBy, IEnumerable<(OrderGroupSummary Group, long Count, Money? Total)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var groups = rows
            .GroupBy(r => (r.Group.Source, r.Group.AccountId, r.Group.Status, r.Group.CreatedOn))
            .Select(g => new OrderGroupSummary
            {
                Source = g.Key.Source,
                AccountId = g.Key.AccountId,
                Status = g.Key.Status,
                CreatedOn = g.Key.CreatedOn,
                Count = g.Sum(r => r.Count),
                Totals = [.. g.Where(r => r.Total is not null).Select(r => r.Total!.Value).OrderBy(m => m.CurrencyCode, StringComparer.Ordinal)],
            })
            .OrderBy(g => g.Source, StringComparer.Ordinal)
            .ThenBy(g => g.AccountId, StringComparer.Ordinal)
            .ThenBy(g => g.Status)
            .ThenBy(g => g.CreatedOn)
            .ToList();
        return groupBy == OrderGrouping.None && groups.Count == 0 ? [new OrderGroupSummary()] : groups;
    }
}
