using System.Globalization;

namespace OrderHub.Sync;

/// <summary>A page of stored orders to read: which orders, in which order, how many, and from where.</summary>
public sealed record OrderQuery
{
    /// <summary>The largest page a query reads: 1,000 orders.</summary>
    public const int MaxPageSize = OrderQueryDefaults.MaxPageSize;

    /// <summary>Gets which orders to read.</summary>
    /// <value>The default reads every order.</value>
    public OrderFilter Filter { get; init; } = new();

    /// <summary>Gets the order of the pages.</summary>
    /// <value>The default is <see cref="OrderSort.LastUpdatedDescending"/>: the most recently updated first.</value>
    public OrderSort Sort { get; init; } = OrderSort.LastUpdatedDescending;

    /// <summary>Gets how many orders a page holds at most, from 1 to <see cref="MaxPageSize"/>.</summary>
    /// <value>The default is 100.</value>
    public int PageSize { get; init; } = OrderQueryDefaults.PageSize;

    /// <summary>
    /// Gets the <see cref="OrderPage.NextCursor"/> of the previous page, or <see langword="null"/> for the first page.
    /// A cursor continues only the query that made it: with other filters or another sort it is refused (the page size
    /// may change from page to page).
    /// </summary>
    public string? Cursor { get; init; }

    /// <summary>Checks every parameter, the cursor included, before any I/O. Stores call it.</summary>
    /// <exception cref="InvalidOrderRequestException">A parameter is not accepted; <see cref="InvalidOrderRequestException.ParameterName"/> names it.</exception>
    public void Validate() => _ = OrderQueryCursor.Read(this);

    /// <summary>Returns the sort, the page size and whether a cursor is given; never the filters' values.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"OrderQuery {{ {Filter}, Sort = {Sort}, PageSize = {PageSize}, Cursor = {Cursor is not null} }}");

    internal void ValidateParameters()
    {
        if (Filter is null)
        {
            throw OrderFilter.Invalid("filter", "The filter must be given (an empty one reads every order).");
        }

        Filter.Validate();
        if (!Enum.IsDefined(Sort))
        {
            throw OrderFilter.Invalid("sort", $"'{(int)Sort}' is not a sort; expected one of {string.Join(", ", Enum.GetNames<OrderSort>())}.");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            throw OrderFilter.Invalid("pageSize", string.Create(CultureInfo.InvariantCulture, $"The page size must be from 1 to {MaxPageSize}; {PageSize} was given."));
        }
    }
}

/// <summary>The order of a query's pages. Ties are broken by source, then order id, in the same direction.</summary>
public enum OrderSort
{
    /// <summary>The most recently updated first; orders without a last-update time last.</summary>
    LastUpdatedDescending,

    /// <summary>The least recently updated first; orders without a last-update time first.</summary>
    LastUpdatedAscending,

    /// <summary>The most recently created first; orders without a creation time last.</summary>
    CreatedDescending,

    /// <summary>The earliest created first; orders without a creation time first.</summary>
    CreatedAscending,
}

/// <summary>Extensions of <see cref="OrderSort"/>.</summary>
public static class OrderSortExtensions
{
    /// <summary>Tells whether a sort is by creation time (otherwise it is by last update).</summary>
    /// <param name="sort">The sort.</param>
    /// <returns><see langword="true"/> for <see cref="OrderSort.CreatedAscending"/> and <see cref="OrderSort.CreatedDescending"/>.</returns>
    public static bool IsByCreation(this OrderSort sort) => sort is OrderSort.CreatedAscending or OrderSort.CreatedDescending;

    /// <summary>Tells whether a sort puts the latest first.</summary>
    /// <param name="sort">The sort.</param>
    /// <returns><see langword="true"/> for the descending sorts.</returns>
    public static bool IsDescending(this OrderSort sort) => sort is OrderSort.LastUpdatedDescending or OrderSort.CreatedDescending;
}
