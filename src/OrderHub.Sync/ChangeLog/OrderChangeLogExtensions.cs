using System.Runtime.CompilerServices;

namespace OrderHub.Sync;

/// <summary>Reading a change log from where a reader stands, or from what it keeps, and following it as it grows.</summary>
public static class OrderChangeLogExtensions
{
    /// <summary>How long <see cref="FollowAsync"/> waits for a new entry in one call to the store.</summary>
    private static readonly TimeSpan FollowWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads the entries after a position, or, without one, from the oldest entry the log keeps: a new reader starts
    /// from what there is rather than be refused because the store has pruned since it was created.
    /// </summary>
    /// <param name="log">The change log.</param>
    /// <param name="after">The last position seen; <see langword="null"/> for the oldest entry kept.</param>
    /// <param name="limit">The most entries to return, from 1 to <see cref="IOrderChangeLog.MaxReadLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, in position order, and the last position.</returns>
    /// <exception cref="OrderChangePositionExpiredException">A position was given, and entries after it were pruned.</exception>
    public static async Task<OrderChangeLogPage> ReadAsync(this IOrderChangeLog log, long? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            return await log.ReadAsync(after ?? 0, limit, cancellationToken).ConfigureAwait(false);
        }
        catch (OrderChangePositionExpiredException e) when (after is null)
        {
            return await log.ReadAsync(e.PrunedThrough, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Yields the entries after a position (or from the oldest kept) a page at a time, in position order, then each
    /// new page as it is committed, until cancelled: the reader waits on the store (<see cref="IOrderChangeLog.WaitAsync"/>)
    /// whenever it has caught up, and never gets an empty page.
    /// </summary>
    /// <param name="log">The change log.</param>
    /// <param name="after">The last position seen; <see langword="null"/> for the oldest entry kept.</param>
    /// <param name="pageSize">How many entries a page holds at most, from 1 to <see cref="IOrderChangeLog.MaxReadLimit"/>.</param>
    /// <param name="cancellationToken">Ends the following.</param>
    /// <returns>The pages, as they come; a consumer that stores its position stores each page's <see cref="OrderChangeLogPage.LastPosition"/>.</returns>
    /// <exception cref="OrderChangePositionExpiredException">Entries after the position were pruned.</exception>
    public static async IAsyncEnumerable<OrderChangeLogPage> FollowAsync(this IOrderChangeLog log, long? after, int pageSize = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var page = await log.ReadAsync(after, pageSize, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            if (page.Changes.Count > 0)
            {
                yield return page;
            }

            if (page.Changes.Count < pageSize)
            {
                await log.WaitAsync(page.LastPosition, FollowWait, cancellationToken).ConfigureAwait(false);
            }

            page = await log.ReadAsync(page.LastPosition, pageSize, cancellationToken).ConfigureAwait(false);
        }
    }
}
