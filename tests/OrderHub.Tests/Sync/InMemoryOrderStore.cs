using System.Runtime.CompilerServices;
using OrderHub.Json;
using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>An <see cref="IOrderStore"/>, <see cref="IOrderQuery"/> and <see cref="IOrderChangeLog"/> over dictionaries, for engine tests that need no database.</summary>
internal sealed class InMemoryOrderStore(TimeProvider? timeProvider = null, TimeSpan? changeLogRetention = null) : IOrderStore, ISyncCursorStore, IOrderQuery, IOrderChangeLog, IOrderNotificationLedger
{
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly TimeSpan _retention = changeLogRetention ?? TimeSpan.FromDays(7);
    private readonly List<(long Position, OrderReference Reference, OrderChangeKind Kind, OrderStatus? Before, OrderStatus After, DateTimeOffset At)> _changes = [];
    private readonly Dictionary<string, OrderChangeConsumer> _consumers = [];
    private long _lastPosition;
    private long _prunedThrough;
    private DateTimeOffset _nextPruneAt = DateTimeOffset.MinValue;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<(string, string), SyncCursor> _cursors = [];

    private readonly Lock _lock = new();
    private readonly Dictionary<OrderReference, StoredOrder> _orders = [];
    private readonly Dictionary<OrderReference, DateTimeOffset?> _lastUpdated = [];
    private readonly HashSet<OrderReference> _partial = [];
    // The stored orders without personal data, as the query reads them.
    private readonly Dictionary<OrderReference, Order> _public = [];
    private readonly Dictionary<string, List<(OrderReference Reference, int State, SyncFailure? Failure)>> _runs = [];

    public int OrderCount
    {
        get
        {
            lock (_lock)
            {
                return _orders.Count;
            }
        }
    }

    public Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var run = _runs.TryGetValue(runId, out var existing) ? existing : _runs[runId] = [];
            var added = 0;
            foreach (var reference in references.Where(r => run.All(i => i.Reference != r)))
            {
                run.Add((reference, 0, null));
                added++;
            }

            return Task.FromResult(added);
        }
    }

    public async IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OrderReference[] pending;
        lock (_lock)
        {
            pending = [.. _runs.GetValueOrDefault(runId, []).Where(i => i.State is 0 or 2).Select(i => i.Reference)];
        }

        foreach (var reference in pending)
        {
            await Task.Yield();
            yield return reference;
        }
    }

    public Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var run = _runs[runId];
            var outcomes = new List<StoreOutcome>();
            foreach (var result in results)
            {
                var index = run.FindIndex(i => i.Reference == result.Reference);
                if (result.Order is { } order)
                {
                    outcomes.Add(Put(result.Reference, order));
                    run[index] = (result.Reference, 1, null);
                }
                else
                {
                    outcomes.Add(StoreOutcome.Failed);
                    run[index] = (result.Reference, result.Failure!.Permanent ? 3 : 2, result.Failure);
                }
            }

            return Task.FromResult<IReadOnlyList<StoreOutcome>>(outcomes);
        }
    }

    private readonly Dictionary<(string Source, string Id), DateTimeOffset> _notifications = [];

    public int NotificationLookups { get; private set; }

    public Task<NotificationLookup> LookUpNotificationAsync(string source, string notificationId, string orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            NotificationLookups++;
            var reference = new OrderReference(source, orderId);
            return Task.FromResult(new NotificationLookup(
                _notifications.ContainsKey((source, notificationId)),
                _orders.ContainsKey(reference),
                _lastUpdated.GetValueOrDefault(reference),
                _partial.Contains(reference)));
        }
    }

    public Task<NotificationCommit> CommitNotificationAsync(string source, string notificationId, Order? order, CancellationToken cancellationToken = default)
    {
        if (order is not null && order.Source != source)
        {
            throw new ArgumentException($"The order is from source '{order.Source}', not '{source}'.", nameof(order));
        }

        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var old in _notifications.Where(n => n.Value < now - IOrderNotificationLedger.Retention).Select(n => n.Key).ToArray())
            {
                _notifications.Remove(old);
            }

            if (!_notifications.TryAdd((source, notificationId), now))
            {
                return Task.FromResult(new NotificationCommit(true, null));
            }

            return Task.FromResult(new NotificationCommit(false, order is null ? null : Put(new OrderReference(order.Source, order.OrderId), order)));
        }
    }

    public Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Put(new OrderReference(order.Source, order.OrderId), order));
        }
    }

    private StoreOutcome Put(OrderReference reference, Order order)
    {
        var hash = OrderJson.ContentHash(order);
        var partial = order.Completeness == OrderCompleteness.Partial;
        if (_orders.ContainsKey(reference))
        {
            var storedPartial = _partial.Contains(reference);
            var stored = _lastUpdated.GetValueOrDefault(reference);
            var superseded = partial && !storedPartial ? !(order.LastUpdatedAt > stored)
                : (partial || !storedPartial) && order.LastUpdatedAt < stored;
            if (superseded)
            {
                return StoreOutcome.Superseded;
            }
        }

        if (partial)
        {
            _partial.Add(reference);
        }
        else
        {
            _partial.Remove(reference);
        }

        _lastUpdated[reference] = order.LastUpdatedAt;

        var outcome = _orders.TryGetValue(reference, out var old) ? old.ContentHash == hash ? StoreOutcome.Unchanged : StoreOutcome.Updated : StoreOutcome.Inserted;
        if (outcome is StoreOutcome.Inserted or StoreOutcome.Updated)
        {
            var now = _timeProvider.GetUtcNow();
            _changes.Add((++_lastPosition, reference, outcome == StoreOutcome.Inserted ? OrderChangeKind.Created : OrderChangeKind.Updated, outcome == StoreOutcome.Inserted ? null : _public[reference].Status.Value, order.Status.Value, now));
            if (now >= _nextPruneAt)
            {
                Prune();
                _nextPruneAt = now.AddMinutes(1);
            }

            _appended.TrySetResult();
            _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _orders[reference] = new StoredOrder(reference, OrderJson.SerializeToUtf8Bytes(order, includeRaw: true), hash, _timeProvider.GetUtcNow(), OrderJson.SerializeToUtf8Bytes(order.WithoutPersonalData()));
        _public[reference] = order.WithoutPersonalData();
        return outcome;
    }

    public Task<OrderChangeLogPage> ReadAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        if (limit is < 1 or > IOrderChangeLog.MaxReadLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"The limit must be between 1 and {IOrderChangeLog.MaxReadLimit}.");
        }

        lock (_lock)
        {
            if (after < _prunedThrough)
            {
                throw new OrderChangePositionExpiredException(after, _prunedThrough);
            }

            List<OrderChange> changes = [.. _changes.Where(c => c.Position > after).Take(limit)
                .Select(c => new OrderChange(c.Position, c.Reference, c.Kind, c.Before, c.After, c.At, _orders[c.Reference].PublicJson))];
            return Task.FromResult(new OrderChangeLogPage(changes, changes.Count > 0 ? changes[^1].Position : after));
        }
    }

    public async Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var started = _timeProvider.GetTimestamp();
        while (true)
        {
            Task appended;
            lock (_lock)
            {
                if (_lastPosition > after)
                {
                    return true;
                }

                appended = _appended.Task;
            }

            var left = timeout - _timeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(appended, Task.Delay(left, _timeProvider, stop.Token));
            await stop.CancelAsync(); // the delay's timer is not left armed
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task<long> PruneAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Prune());
        }
    }

    private long Prune()
    {
        var cutoff = _timeProvider.GetUtcNow() - _retention;
        var through = _changes.Where(c => c.At < cutoff).Select(c => c.Position).DefaultIfEmpty(0).Max();
        _prunedThrough = Math.Max(_prunedThrough, through);
        _changes.RemoveAll(c => c.Position <= _prunedThrough);
        return _prunedThrough;
    }

    public Task<long?> GetConsumerPositionAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            return Task.FromResult(_consumers.TryGetValue(name, out var consumer) ? consumer.Position : (long?)null);
        }
    }

    public Task SetConsumerPositionAsync(string name, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        lock (_lock)
        {
            _consumers[name] = (_consumers.TryGetValue(name, out var consumer) ? consumer : new OrderChangeConsumer(name, 0, default, null, null)) with { Position = position, UpdatedAt = _timeProvider.GetUtcNow() };
            return Task.CompletedTask;
        }
    }

    public Task<bool> AdvanceConsumerPositionAsync(string name, long expected, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        lock (_lock)
        {
            if (!_consumers.TryGetValue(name, out var consumer) || consumer.Position != expected)
            {
                return Task.FromResult(false);
            }

            _consumers[name] = consumer with { Position = position, UpdatedAt = _timeProvider.GetUtcNow() };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<OrderChangeConsumer>> GetConsumersAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<OrderChangeConsumer>>([.. _consumers.Values.OrderBy(c => c.Name, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> SetConsumerFailureAsync(string name, string? failure, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            if (!_consumers.TryGetValue(name, out var consumer))
            {
                return Task.FromResult(false);
            }

            _consumers[name] = consumer with { Failure = failure, FailingSince = failure is null ? null : consumer.FailingSince ?? _timeProvider.GetUtcNow() };
            return Task.FromResult(true);
        }
    }

    public Task<OrderPage> QueryAsync(OrderQuery query, CancellationToken cancellationToken = default)
    {
        var after = OrderQueryCursor.Read(query);
        var order = OrderQueryContractTests.SortOrder(query.Sort);
        lock (_lock)
        {
            var remaining = _public.Values
                .Where(o => OrderQueryContractTests.Matches(query.Filter, o))
                .Where(o => after is not { } position || order.Compare(o, new Order
                {
                    Source = position.Source,
                    OrderId = position.OrderId,
                    Status = default,
                    CreatedAt = position.SortTime,
                    LastUpdatedAt = position.SortTime,
                }) > 0)
                .Order(order)
                .Take(query.PageSize + 1)
                .ToList();
            var page = remaining.Take(query.PageSize).ToList();
            var items = page.Select(o => _orders[new OrderReference(o.Source, o.OrderId)]).Select(s => new StoredPublicOrder(s.Reference, s.PublicJson!, s.StoredAt)).ToList();
            var next = remaining.Count > query.PageSize
                ? OrderQueryCursor.Create(query, new OrderQueryPosition(OrderQueryContractTests.SortTime(query.Sort, page[^1]), page[^1].Source, page[^1].OrderId))
                : null;
            return Task.FromResult(new OrderPage(items, next));
        }
    }

    public Task<IReadOnlyList<OrderGroupSummary>> SummarizeAsync(OrderFilter filter, OrderGrouping groupBy = OrderGrouping.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate();
        groupBy.Validate();
        lock (_lock)
        {
            var rows = _public.Values
                .Where(o => OrderQueryContractTests.Matches(filter, o))
                .GroupBy(o => (
                    Source: groupBy.HasFlag(OrderGrouping.Source) ? o.Source : null,
                    AccountId: groupBy.HasFlag(OrderGrouping.Account) ? o.AccountId : null,
                    Status: groupBy.HasFlag(OrderGrouping.Status) ? o.Status.Value : (OrderStatus?)null,
                    CreatedOn: o.CreatedAt is not { } created ? null
                        : groupBy.HasFlag(OrderGrouping.CreatedDay) ? DateOnly.FromDateTime(created.UtcDateTime)
                        : groupBy.HasFlag(OrderGrouping.CreatedMonth) ? new DateOnly(created.UtcDateTime.Year, created.UtcDateTime.Month, 1)
                        : (DateOnly?)null,
                    o.Total?.CurrencyCode))
                .Select(g => (
                    new OrderGroupSummary { Source = g.Key.Source, AccountId = g.Key.AccountId, Status = g.Key.Status, CreatedOn = g.Key.CreatedOn },
                    (long)g.Count(),
                    g.Any(o => o.Total is not null) ? new Money(g.Sum(o => o.Total?.Amount ?? 0m), g.Key.CurrencyCode) : (Money?)null));
            return Task.FromResult(groupBy.Combine(rows));
        }
    }

    public Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_orders.GetValueOrDefault(new OrderReference(source, orderId)));
        }
    }

    public Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var run = _runs.GetValueOrDefault(runId, []);
            return Task.FromResult(new SyncRunCounts(run.Count(i => i.State is 0 or 2), run.Count(i => i.State == 1), run.Count(i => i.State == 3)));
        }
    }

    public Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var run = _runs.GetValueOrDefault(runId, []);
            var requeued = 0;
            for (var i = 0; i < run.Count; i++)
            {
                if (run[i].State != 0)
                {
                    run[i] = (run[i].Reference, 0, null);
                    requeued++;
                }
            }

            return Task.FromResult(requeued);
        }
    }

    public Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<SyncFailure>>([.. _runs.GetValueOrDefault(runId, []).Where(i => i.State is 2 or 3).Select(i => i.Failure!)]);
        }
    }

    public Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_cursors.GetValueOrDefault((source, scope)));
        }
    }

    public Task SaveCursorAsync(string source, string scope, SyncCursor cursor, CancellationToken cancellationToken = default) =>
        CommitPageAsync(source, scope, [], cursor, cancellationToken);

    public Task<IReadOnlyList<StoreOutcome>> CommitPageAsync(string source, string scope, IReadOnlyList<Order> orders, SyncCursor cursor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<StoreOutcome> outcomes = [.. orders.Select(o => Put(new OrderReference(o.Source, o.OrderId), o))];
            _cursors[(source, scope)] = cursor;
            return Task.FromResult(outcomes);
        }
    }

    private readonly HashSet<(string, string)> _held = [];

    public Task<IAsyncDisposable?> TryHoldCursorAsync(string source, string scope, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IAsyncDisposable?>(_held.Add((source, scope)) ? new Hold(this, (source, scope)) : null);
        }
    }

    private sealed class Hold(InMemoryOrderStore owner, (string, string) key) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._lock)
            {
                owner._held.Remove(key);
            }

            return ValueTask.CompletedTask;
        }
    }

    public Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_cursors.Remove((source, scope)));
        }
    }
}

/// <summary>The in-memory store keeps cursors as every other store does.</summary>
public sealed class InMemorySyncCursorStoreContractTests : OrderHub.Testing.SyncCursorStoreContractTests
{
    protected override Task<ISyncCursorStore> CreateStoreAsync() => Task.FromResult<ISyncCursorStore>(new InMemoryOrderStore());
}

/// <summary>The in-memory store passes the same contract as every other store.</summary>
public sealed class InMemoryOrderStoreContractTests : OrderHub.Testing.OrderStoreContractTests
{
    protected override Task<IOrderStore> CreateStoreAsync(TimeProvider timeProvider) => Task.FromResult<IOrderStore>(new InMemoryOrderStore(timeProvider));
}

/// <summary>The in-memory store keeps a change log as every other store does (in memory: nothing survives it).</summary>
public sealed class InMemoryOrderChangeLogContractTests : OrderHub.Testing.OrderChangeLogContractTests
{
    protected override Task<(IOrderStore Store, Func<Task<IOrderStore>>? Reopen)> CreateStoreAsync(TimeProvider timeProvider, TimeSpan retention) =>
        Task.FromResult<(IOrderStore, Func<Task<IOrderStore>>?)>((new InMemoryOrderStore(timeProvider, retention), null));
}

/// <summary>The in-memory store answers queries as every other store does.</summary>
public sealed class InMemoryOrderQueryContractTests : OrderQueryContractTests
{
    protected override Task<IOrderStore> CreateStoreAsync() => Task.FromResult<IOrderStore>(new InMemoryOrderStore());
}

/// <summary>A store that works until told to fail, then throws on every commit, as a full disk or a locked file does.</summary>
internal sealed class FailingOrderStore(InMemoryOrderStore inner) : IOrderStore
{
    private volatile Exception? _failure;
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    public InMemoryOrderStore Inner => inner;

    public void FailFromNowOn(Exception failure) => _failure = failure;

    public Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default) =>
        inner.AddToRunAsync(runId, references, cancellationToken);

    public IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, CancellationToken cancellationToken = default) =>
        inner.GetPendingAsync(runId, cancellationToken);

    public Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return _failure is { } failure ? Task.FromException<IReadOnlyList<StoreOutcome>>(failure) : inner.CommitAsync(runId, results, cancellationToken);
    }

    public Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default) => inner.UpsertAsync(order, cancellationToken);

    public Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default) => inner.GetAsync(source, orderId, cancellationToken);

    public Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default) => inner.CountRunAsync(runId, cancellationToken);

    public Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default) => inner.GetFailuresAsync(runId, cancellationToken);

    public Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default) => inner.RequeueAsync(runId, cancellationToken);
}

/// <summary>The in-memory store remembers notifications as every other store does.</summary>
public sealed class InMemoryOrderNotificationLedgerContractTests : OrderHub.Testing.OrderNotificationLedgerContractTests
{
    protected override Task<IOrderNotificationLedger> CreateStoreAsync(TimeProvider timeProvider) => Task.FromResult<IOrderNotificationLedger>(new InMemoryOrderStore(timeProvider));
}
