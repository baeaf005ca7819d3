using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrderHub.Sync;

namespace OrderHub.Api.Tests;

/// <summary>A store that can be broken and mended while the API runs, as a disk that fills or a file that is locked.</summary>
internal sealed class BreakableStore(IOrderStore inner) : IOrderStore
{
    private volatile bool _broken;

    public void Break() => _broken = true;

    public void Mend() => _broken = false;

    private Task<T> Guard<T>(Func<Task<T>> call) =>
        _broken ? Task.FromException<T>(new OrderStoreException("The database '/srv/orderhub/api.db' is locked by another process.", "/srv/orderhub/api.db")) : call();

    public Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default) =>
        Guard(() => inner.AddToRunAsync(runId, references, cancellationToken));

    public IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, CancellationToken cancellationToken = default) => inner.GetPendingAsync(runId, cancellationToken);

    public Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default) =>
        Guard(() => inner.CommitAsync(runId, results, cancellationToken));

    public Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default) => Guard(() => inner.UpsertAsync(order, cancellationToken));

    public Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default) => Guard(() => inner.GetAsync(source, orderId, cancellationToken));

    public Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default) => Guard(() => inner.CountRunAsync(runId, cancellationToken));

    public Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default) => Guard(() => inner.GetFailuresAsync(runId, cancellationToken));

    public Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default) => Guard(() => inner.RequeueAsync(runId, cancellationToken));
}

/// <summary>A store that counts the API's store-hit reads (<see cref="IOrderStore.GetPublicAsync"/>) and passes everything on.</summary>
internal sealed class CountingStore(IOrderStore inner) : IOrderStore
{
    private int _publicReads;

    public int PublicReads => Volatile.Read(ref _publicReads);

    public Task<StoredPublicOrder?> GetPublicAsync(string source, string orderId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _publicReads);
        return inner.GetPublicAsync(source, orderId, cancellationToken);
    }

    public Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default) =>
        inner.AddToRunAsync(runId, references, cancellationToken);

    public IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, CancellationToken cancellationToken = default) => inner.GetPendingAsync(runId, cancellationToken);

    public Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default) =>
        inner.CommitAsync(runId, results, cancellationToken);

    public Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default) => inner.UpsertAsync(order, cancellationToken);

    public Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default) => inner.GetAsync(source, orderId, cancellationToken);

    public Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default) => inner.CountRunAsync(runId, cancellationToken);

    public Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default) => inner.GetFailuresAsync(runId, cancellationToken);

    public Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default) => inner.RequeueAsync(runId, cancellationToken);
}
