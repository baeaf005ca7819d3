using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderHub.Sync;

/// <summary>
/// Keeps a local copy of many orders: fetches them from their sources, as fast as each source's rate limit allows and
/// never faster, with bounded concurrency per source, and writes them to an <see cref="IOrderStore"/> in batched
/// transactions. A run is resumable: started again with the same run id, it fetches only what is missing.
/// </summary>
public sealed partial class OrderSync
{
    private readonly OrderLookup _lookup;
    private readonly IOrderStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly OrderSyncOptions _defaults;

    /// <summary>Initializes a new instance of the <see cref="OrderSync"/> class.</summary>
    /// <param name="lookup">The sources.</param>
    /// <param name="store">Where orders and run state are kept.</param>
    /// <param name="timeProvider">The clock for rates and waits; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where failures are logged (ids and reasons, never order content).</param>
    public OrderSync(OrderLookup lookup, IOrderStore store, TimeProvider? timeProvider = null, ILogger<OrderSync>? logger = null)
        : this(lookup, store, timeProvider, logger, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OrderSync"/> class with the options its runs use unless told otherwise.</summary>
    /// <param name="lookup">The sources.</param>
    /// <param name="store">Where orders and run state are kept.</param>
    /// <param name="timeProvider">The clock for rates and waits; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where failures are logged (ids and reasons, never order content).</param>
    /// <param name="defaults">The options of a run started without any; <see langword="null"/> for <see cref="OrderSyncOptions"/>' defaults.</param>
    public OrderSync(OrderLookup lookup, IOrderStore store, TimeProvider? timeProvider, ILogger<OrderSync>? logger, OrderSyncOptions? defaults)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(store);
        _lookup = lookup;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _defaults = defaults ?? new OrderSyncOptions();
    }

    /// <summary>Gets the store the runs are kept in (an incremental sync requeues its listing runs there).</summary>
    internal IOrderStore Store => _store;

    /// <summary>Adds every order a source lists to a run (Outposts ListOrders, for example).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="sourceName">The source, which must be able to list orders.</param>
    /// <param name="query">What to list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>How many references were new to the run.</returns>
    public async Task<int> AddEnumerationAsync(string runId, string sourceName, OrderListQuery? query = null, CancellationToken cancellationToken = default)
    {
        if (_lookup.GetSource(sourceName) is not IOrderEnumerator enumerator)
        {
            throw new InvalidOrderRequestException($"The source '{sourceName}' cannot list its orders.", new OrderErrorContext(sourceName));
        }

        var added = 0;
        var batch = new List<OrderReference>(1000);
        await foreach (var summary in enumerator.ListOrdersAsync(query, cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new OrderReference(enumerator.Name, summary.OrderId));
            if (batch.Count == batch.Capacity)
            {
                added += await _store.AddToRunAsync(runId, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        return added + await _store.AddToRunAsync(runId, batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds references to a run, in batches, as they are read.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="references">The references.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many references were new to the run.</returns>
    public async Task<int> AddReferencesAsync(string runId, IEnumerable<OrderReference> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var added = 0;
        foreach (var chunk in references.Chunk(1000))
        {
            added += await _store.AddToRunAsync(runId, chunk, cancellationToken).ConfigureAwait(false);
        }

        return added;
    }

    /// <summary>Adds references to a run, in batches, as they arrive (a file of any length is added in constant memory).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="references">The references.</param>
    /// <param name="added">Told, after each batch is stored, how many references have been added so far (a run may start reading them then).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many references were new to the run.</returns>
    public async Task<int> AddReferencesAsync(string runId, IAsyncEnumerable<OrderReference> references, IProgress<int>? added = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        var (count, fresh) = (0, 0);
        var batch = new List<OrderReference>(1000);
        await foreach (var reference in references.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(reference);
            if (batch.Count == batch.Capacity)
            {
                fresh += await _store.AddToRunAsync(runId, batch, cancellationToken).ConfigureAwait(false);
                count += batch.Count;
                batch.Clear();
                added?.Report(count);
            }
        }

        fresh += await _store.AddToRunAsync(runId, batch, cancellationToken).ConfigureAwait(false);
        added?.Report(count + batch.Count);
        return fresh;
    }

    /// <summary>
    /// Fetches every pending reference of a run and stores it. A failed read is recorded and the run moves on (the
    /// source's own retry policy is the only one); a source whose reads keep failing stops being read, and a store that
    /// fails ends the run at once. Either way what was committed stays committed and the same run resumes later.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="options">Concurrency, batching, the failure budget; <see langword="null"/> for the defaults this sync was built with.</param>
    /// <param name="progress">Receives progress after every batch.</param>
    /// <param name="cancellationToken">Stops the run; what was fetched is still stored, so a later run resumes.</param>
    /// <returns>The final progress.</returns>
    /// <exception cref="OrderStoreException">The store failed; the run stopped.</exception>
    /// <exception cref="OrderSyncHaltedException">A source's reads kept failing; the run stopped reading it.</exception>
    public async Task<SyncProgress> RunAsync(string runId, OrderSyncOptions? options = null, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var activity = SyncTelemetry.ActivitySource.StartActivity("sync.run", ActivityKind.Internal);
        activity?.SetTag("orderhub.sync.run_id", runId);
        try
        {
            var final = await RunCoreAsync(runId, options ?? _defaults, progress, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("orderhub.sync.inserted", final.Inserted);
            activity?.SetTag("orderhub.sync.updated", final.Updated);
            activity?.SetTag("orderhub.sync.unchanged", final.Unchanged);
            activity?.SetTag("orderhub.sync.failed", final.Failed);
            LogRunEnded(_logger, runId, final.Inserted, final.Updated, final.Unchanged, final.Failed, final.Remaining);
            return final;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            LogRunStopped(_logger, runId, e.GetType().Name);
            throw;
        }
    }

    private async Task<SyncProgress> RunCoreAsync(string runId, OrderSyncOptions options, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var counts = await _store.CountRunAsync(runId, cancellationToken).ConfigureAwait(false);
        LogRunStarted(_logger, runId, counts.Pending, counts.Done, counts.Failed);
        var tracker = new ProgressTracker(_timeProvider, counts);
        var results = Channel.CreateBounded<SyncResult>(new BoundedChannelOptions(options.BatchSize * 4) { SingleReader = true });
        var queues = new Dictionary<string, (Channel<OrderReference> Queue, FailureStreak Streak)>(StringComparer.OrdinalIgnoreCase);
        var workers = new List<Task>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The writer outlives the caller's cancellation (what was fetched is written), but not a failure of its own:
        // then it stops the feeder and the workers, and nothing waits on it any more.
        using var writerFailed = new CancellationTokenSource();
        var writer = WriteAsync(runId, results.Reader, options.BatchSize, tracker, progress, stop, writerFailed);
        try
        {
            await foreach (var reference in _store.GetPendingAsync(runId, stop.Token).ConfigureAwait(false))
            {
                if (!queues.TryGetValue(reference.Source, out var lane))
                {
                    lane = (Channel.CreateBounded<OrderReference>(options.MaxConcurrencyPerSource * 4), new FailureStreak(options.MaxConsecutiveFailuresPerSource));
                    queues[reference.Source] = lane;
                    var source = TryGetSource(reference.Source);
                    tracker.Track(source);
                    for (var i = 0; i < options.MaxConcurrencyPerSource; i++)
                    {
                        workers.Add(FetchAsync(source, reference.Source, lane.Queue.Reader, results.Writer, lane.Streak, options, stop.Token, writerFailed.Token));
                    }
                }

                if (!lane.Streak.IsHalted)
                {
                    await lane.Queue.Writer.WriteAsync(reference, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (writerFailed.IsCancellationRequested)
        {
            // The writer failed: its error is thrown below.
        }
        finally
        {
            foreach (var (queue, _) in queues.Values)
            {
                queue.Writer.TryComplete();
            }

            try
            {
                await Task.WhenAll(workers).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                // Stopped, or the writer is gone: what was fetched is still written below, if the writer can.
            }

            results.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var final = tracker.Snapshot();
        var halted = queues.Where(q => q.Value.Streak.IsHalted).ToArray();
        if (halted.Length > 0)
        {
            throw new OrderSyncHaltedException(
                string.Join(" ", halted.Select(h => $"Stopped reading {h.Key}: its last {options.MaxConsecutiveFailuresPerSource} reads all failed (last: {h.Value.Streak.LastError}).")) +
                " No more of its quota was spent; the failed orders stay pending, so running the same sync again resumes once the upstream recovers.",
                [.. halted.Select(h => h.Key)],
                final);
        }

        return final;
    }

    private IOrderSource? TryGetSource(string name)
    {
        try
        {
            return _lookup.GetSource(name);
        }
        catch (InvalidOrderRequestException)
        {
            return null;
        }
    }

    private async Task FetchAsync(
        IOrderSource? source,
        string sourceName,
        ChannelReader<OrderReference> queue,
        ChannelWriter<SyncResult> results,
        FailureStreak streak,
        OrderSyncOptions options,
        CancellationToken cancellationToken,
        CancellationToken writerFailed)
    {
        await foreach (var reference in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (streak.IsHalted)
            {
                continue; // left pending for the next run
            }

            var result = source is null
                ? Failed(reference, new SyncFailure(reference, $"No source named '{sourceName}' is registered.", "invalid_request", 1, null, Permanent: true))
                : await FetchOneAsync(source, reference, options, streak, cancellationToken).ConfigureAwait(false);
            await results.WriteAsync(result, writerFailed).ConfigureAwait(false);
        }
    }

    private async Task<SyncResult> FetchOneAsync(IOrderSource source, OrderReference reference, OrderSyncOptions options, FailureStreak streak, CancellationToken cancellationToken)
    {
        try
        {
            var order = await source.GetOrderAsync(reference.OrderId, options.ReadOptions, cancellationToken).ConfigureAwait(false);
            streak.Succeeded();
            return new SyncResult { Reference = reference, Order = order };
        }
        catch (OrderHubException e)
        {
            // Not found and invalid ids are about the order, not the upstream: they neither count nor break a streak.
            var permanent = e is OrderNotFoundException or InvalidOrderRequestException or OrderConflictException;
            if (!permanent)
            {
                streak.Failed($"{e.GetType().Name}: {e.Message}");
            }

            LogFailure(_logger, reference.Source, reference.OrderId, e.ErrorKind, e.RequestId);
            return Failed(reference, new SyncFailure(reference, e.Message, e.ErrorKind, 1, e.RequestId, permanent));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A source that breaks its contract must not stop the run (or leave the feeder waiting on a dead worker).
            streak.Failed($"{e.GetType().Name} from the source");
            LogFailure(_logger, reference.Source, reference.OrderId, e.GetType().Name, null);
            return Failed(reference, new SyncFailure(reference, $"The source failed unexpectedly ({e.GetType().Name}).", UnexpectedErrorKind, 1, null, Permanent: false));
        }
    }

    // The stable kind a failure that is no OrderHub error is stored with (its type name is in the reason).
    private const string UnexpectedErrorKind = "unexpected";

    private static SyncResult Failed(OrderReference reference, SyncFailure failure) => new() { Reference = reference, Failure = failure };

    private async Task WriteAsync(
        string runId,
        ChannelReader<SyncResult> results,
        int batchSize,
        ProgressTracker tracker,
        IProgress<SyncProgress>? progress,
        CancellationTokenSource stop,
        CancellationTokenSource writerFailed)
    {
        var batch = new List<SyncResult>(batchSize);
        try
        {
            while (await results.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // Take what is there now, up to a batch: a backlog is written in large transactions, a trickle at once.
                while (batch.Count < batchSize && results.TryRead(out var result))
                {
                    batch.Add(result);
                }

                // Written whatever happens to the caller's token, so that nothing fetched is fetched again.
                var outcomes = await _store.CommitAsync(runId, batch, CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < outcomes.Count; i++)
                {
                    tracker.Record(outcomes[i]);
                    SyncTelemetry.Record(batch[i].Reference.Source, outcomes[i]);
                }

                var counts = OutcomeCounts.Of(outcomes);
                LogBatch(_logger, runId, outcomes.Count, counts.Inserted, counts.Updated, counts.Unchanged, counts.Failed);

                batch.Clear();
                if (progress is not null)
                {
                    // The whole run, not this worker's share: other workers of a shared run store orders too.
                    tracker.Observe(await _store.CountRunAsync(runId, CancellationToken.None).ConfigureAwait(false));
                    progress.Report(tracker.Snapshot());
                }
            }
        }
        catch (Exception e)
        {
            LogStoreFailed(_logger, e.GetType().Name);
            await writerFailed.CancelAsync().ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Counts a source's failed reads in a row; past the budget, the source is no longer read in this run.</summary>
    private sealed class FailureStreak(int budget)
    {
        private int _count;
        private volatile bool _halted;
        private volatile string? _lastError;

        public bool IsHalted => _halted;

        public string? LastError => _lastError;

        public void Succeeded() => Interlocked.Exchange(ref _count, 0);

        public void Failed(string error)
        {
            _lastError = error;
            if (Interlocked.Increment(ref _count) >= budget)
            {
                _halted = true;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync run {RunId} starts: {Pending} to read, {Done} stored before, {Failed} failed for good.")]
    private static partial void LogRunStarted(ILogger logger, string runId, int pending, int done, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync run {RunId} stored a batch of {Count}: {Inserted} new, {Updated} updated, {Unchanged} unchanged, {Failed} failed.")]
    private static partial void LogBatch(ILogger logger, string runId, int count, int inserted, int updated, int unchanged, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync run {RunId} ends: {Inserted} new, {Updated} updated, {Unchanged} unchanged, {Failed} failed, {Remaining} left for a later run.")]
    private static partial void LogRunEnded(ILogger logger, string runId, int inserted, int updated, int unchanged, int failed, int remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync run {RunId} stopped ({ErrorType}); what was stored stays, and the same run resumes.")]
    private static partial void LogRunStopped(ILogger logger, string runId, string errorType);

    [LoggerMessage(Level = LogLevel.Error, Message = "The order store failed ({ErrorType}); the sync run stops.")]
    private static partial void LogStoreFailed(ILogger logger, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sync {Source} order {OrderId}: {ErrorType} (request {RequestId}).")]
    private static partial void LogFailure(ILogger logger, string source, string orderId, string errorType, string? requestId);
}
