using System.Runtime.CompilerServices;

namespace OrderHub.Sync;

/// <summary>
/// Reads the stored orders of every source at once: filtered pages in a stable order, and counts and totals by group.
/// Every store implements it beside <see cref="IOrderStore"/>. What it gives is what a reader without personal data is
/// shown: the orders' public JSON (no address, no buyer or tax details, no raw payload).
/// </summary>
/// <remarks>
/// <para>
/// A page is sorted by the <see cref="OrderQuery.Sort"/> time, ties broken by source and then order id (compared
/// ordinally), in the same direction. An order without that time sorts as if earlier than every order with one: first
/// in an ascending order, last in a descending one.
/// </para>
/// <para>
/// Pages are read by keyset: a page's <see cref="OrderPage.NextCursor"/> holds the last order's place, and the next page
/// starts after it. While other writers insert and update orders, a read from the first page to the last sees every
/// order whose sorted time does not change during the read exactly once, in order. Sorted by creation, that is every
/// order (its creation time does not change): none is skipped or repeated, and orders inserted during the read appear
/// when they sort after the current place. Sorted by last update, an order updated during the read moves: ascending, it
/// is seen again at its new place; descending, it may not be seen at all if it moves before the current place.
/// </para>
/// <para>
/// An order is listed once the store keeps its public view: every order stored by this version, and every order a
/// migrated database holds, except in a SQLite file of the first schema those stored before public views existed
/// (listed once they are stored again, by the next sync).
/// </para>
/// </remarks>
public interface IOrderQuery
{
    /// <summary>Reads one page of stored orders.</summary>
    /// <param name="query">The filters, the order, the page size, and the cursor of the previous page, if any.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, and the cursor of the next one when there are more orders.</returns>
    /// <exception cref="InvalidOrderRequestException">
    /// A parameter is not accepted (named by <see cref="InvalidOrderRequestException.ParameterName"/>), found before any
    /// I/O: a page size outside 1 to 1,000, an empty value in a list, a window that ends before it starts, or a cursor
    /// that is malformed or was made for other filters or another order.
    /// </exception>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    Task<OrderPage> QueryAsync(OrderQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads every order a query selects, page after page from its cursor (or the first page), holding one page at a
    /// time: for exports and scripts. The guarantees under concurrent writers are those of a read of pages
    /// (see <see cref="IOrderQuery"/>).
    /// </summary>
    /// <param name="query">The filters, the order, the page size (how many orders are read at once), and where to start.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The orders, in the query's order.</returns>
    /// <exception cref="InvalidOrderRequestException">A parameter is not accepted, found before any I/O.</exception>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    async IAsyncEnumerable<StoredPublicOrder> QueryAllAsync(OrderQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var next = query;
        while (true)
        {
            var page = await QueryAsync(next, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.NextCursor is null)
            {
                yield break;
            }

            next = next with { Cursor = page.NextCursor };
        }
    }

    /// <summary>
    /// Counts the orders a filter selects, and totals their money per currency (amounts in different currencies are
    /// never added together), by group.
    /// </summary>
    /// <param name="filter">The orders to count, as for a page.</param>
    /// <param name="groupBy">What to group by: any of source, account, status, and the UTC day or month of creation; <see cref="OrderGrouping.None"/> for one group of everything.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// One entry per group that has orders, sorted by source, account, status and period (a missing value first);
    /// with <see cref="OrderGrouping.None"/>, one entry, even when nothing is stored.
    /// </returns>
    /// <exception cref="InvalidOrderRequestException">A parameter is not accepted (both day and month, for example), found before any I/O.</exception>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    Task<IReadOnlyList<OrderGroupSummary>> SummarizeAsync(OrderFilter filter, OrderGrouping groupBy = OrderGrouping.None, CancellationToken cancellationToken = default);
}
