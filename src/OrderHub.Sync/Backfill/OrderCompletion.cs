using System.Runtime.CompilerServices;

namespace OrderHub.Sync;

/// <summary>
/// Reads a source's partial orders again in full: every stored copy that came from a bulk export
/// (<see cref="OrderCompleteness.Partial"/>, an order report's row), newest update first, read through the source's
/// own order read (Selling Partner getOrder, its own quota, apart from searchOrders' that a follower spends) and
/// stored through the normal path, where a full copy replaces the partial one. The work is an <see cref="OrderSync"/>
/// run named after the source, so a run stopped and started again reads only what it has not read, and partial
/// orders stored since are added to it.
/// </summary>
public sealed class OrderCompletion
{
    private readonly OrderSync _sync;
    private readonly IOrderQuery _query;

    /// <summary>Initializes a new instance of the <see cref="OrderCompletion"/> class.</summary>
    /// <param name="sync">The run that reads and stores the orders.</param>
    /// <param name="query">The store's query, to find the partial copies.</param>
    public OrderCompletion(OrderSync sync, IOrderQuery query)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(query);
        _sync = sync;
        _query = query;
    }

    /// <summary>The name of a source's completion run in the store.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The run id.</returns>
    public static string RunIdFor(string source) => $"complete-{source}";

    /// <summary>Reads every partial order of a source in full.</summary>
    /// <param name="source">The source.</param>
    /// <param name="progress">Told after each batch stored.</param>
    /// <param name="cancellationToken">Stops after the batch being stored; the next run goes on from there.</param>
    /// <returns>What the run did, over all its runs so far.</returns>
    public async Task<SyncProgress> RunAsync(string source, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var runId = RunIdFor(source);
        await _sync.AddReferencesAsync(runId, PartialOrdersAsync(source, cancellationToken), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await _sync.RunAsync(runId, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<OrderReference> PartialOrdersAsync(string source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new OrderQuery
        {
            Filter = new OrderFilter { Sources = [source], Completeness = OrderCompleteness.Partial },
            Sort = OrderSort.LastUpdatedDescending,
            PageSize = OrderQueryDefaults.MaxPageSize,
        };
        while (true)
        {
            var page = await _query.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item.Reference;
            }

            if (page.NextCursor is not { } next)
            {
                yield break;
            }

            query = query with { Cursor = next };
        }
    }
}
