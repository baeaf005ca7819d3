using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderHub.Sync;

/// <summary>
/// Keeps a local copy fresh within seconds from change notifications (<see cref="IOrderNotificationChannel"/>: Selling
/// Partner <c>ORDER_CHANGE</c> in Amazon SQS). For each notice: one seen before is acknowledged and nothing else; one
/// whose change the stored copy already holds (its last update is as late, and it is not partial) is recorded without a
/// read; any other has its order read in full through its source (getOrder, within the shared quota, waited for: a
/// burst of notices is paced, never dropped) and stored with the notice's id in one transaction, through the store's
/// usual path (no older copy over a newer one, the change log written). Only then is the notice acknowledged: a
/// consumer killed before that receives it again and stores nothing twice.
/// </summary>
/// <remarks>
/// A notice whose order cannot be read now (not found yet, an outage, a throttle) is left unacknowledged: the channel
/// delivers it again, and its redrive policy sets it aside after enough tries. A channel that cannot be reached is
/// tried again with a growing pause; refused credentials, at the channel or the source, and a failing store end the
/// follow, as they need fixing.
/// </remarks>
public sealed partial class OrderNotificationSync
{
    private readonly OrderLookup _lookup;
    private readonly IOrderNotificationLedger _ledger;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="OrderNotificationSync"/> class.</summary>
    /// <param name="lookup">The sources the notices' orders are read through.</param>
    /// <param name="ledger">The store that keeps the orders and the notices acted on (the SQLite and PostgreSQL stores are both).</param>
    /// <param name="timeProvider">The clock for the pauses after a channel failure; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">Where notices left for redelivery and channel failures are logged (ids and counts, never order content).</param>
    public OrderNotificationSync(OrderLookup lookup, IOrderNotificationLedger ledger, TimeProvider? timeProvider = null, ILogger<OrderNotificationSync>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(ledger);
        _lookup = lookup;
        _ledger = ledger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Consumes a channel until cancelled: each receive waits for notices (the channel's long poll) and acts on those that came.
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="options">How many notices at once, and the pauses after a failure; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the totals after every receive that brought notices, and after every channel failure.</param>
    /// <param name="cancellationToken">Stops consuming, after the notices in hand.</param>
    /// <returns>The totals, when stopped.</returns>
    /// <exception cref="OrderSourceAuthenticationException">The channel or the source refused the credentials.</exception>
    /// <exception cref="OrderStoreException">The store failed.</exception>
    public async Task<OrderNotificationProgress> FollowAsync(IOrderNotificationChannel channel, OrderNotificationSyncOptions? options = null, IProgress<OrderNotificationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        options ??= new OrderNotificationSyncOptions();
        var source = _lookup.GetSource(channel.Source);
        var totals = new OrderNotificationProgress { Source = source.Name };
        var pause = options.FirstRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<OrderNotice> notices;
            try
            {
                notices = await channel.ReceiveAsync(options.MaxNoticesPerReceive, cancellationToken).ConfigureAwait(false);
                pause = options.FirstRetryDelay;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (OrderSourceUnavailableException e)
            {
                // An outage of the queue passes: the backup (a change feed's follower, if one runs) keeps the copy fresh meanwhile.
                totals = totals with { ChannelFailures = totals.ChannelFailures + 1, LastChannelFailure = e.Message };
                progress?.Report(totals);
                LogChannelUnavailable(_logger, source.Name, channel.Address, pause, e.RequestId);
                if (!await PauseAsync(pause, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.MaxRetryDelay.Ticks));
                continue;
            }

            if (notices.Count == 0)
            {
                continue;
            }

            totals = await ActAsync(source, channel, notices, totals, options, cancellationToken).ConfigureAwait(false);
            progress?.Report(totals);
        }

        return totals;
    }

    /// <summary>
    /// Consumes what a channel holds now and returns: receives until a receive brings nothing (or only notices it must
    /// leave for redelivery). For a run from the command line or a scheduled job, and for tests.
    /// </summary>
    /// <param name="channel">The channel.</param>
    /// <param name="options">How many notices at once; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the totals after every receive that brought notices.</param>
    /// <param name="cancellationToken">Stops consuming, after the notices in hand.</param>
    /// <returns>The totals.</returns>
    /// <exception cref="OrderSourceUnavailableException">The channel cannot be reached.</exception>
    /// <exception cref="OrderSourceAuthenticationException">The channel or the source refused the credentials.</exception>
    /// <exception cref="OrderStoreException">The store failed.</exception>
    public async Task<OrderNotificationProgress> DrainAsync(IOrderNotificationChannel channel, OrderNotificationSyncOptions? options = null, IProgress<OrderNotificationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        options ??= new OrderNotificationSyncOptions();
        var source = _lookup.GetSource(channel.Source);
        var totals = new OrderNotificationProgress { Source = source.Name };
        while (true)
        {
            var notices = await channel.ReceiveAsync(options.MaxNoticesPerReceive, cancellationToken).ConfigureAwait(false);
            if (notices.Count == 0)
            {
                return totals;
            }

            var before = totals;
            totals = await ActAsync(source, channel, notices, totals, options, cancellationToken).ConfigureAwait(false);
            progress?.Report(totals);
            if (totals.Acknowledged == before.Acknowledged)
            {
                return totals;
            }
        }
    }

    private async Task<OrderNotificationProgress> ActAsync(IOrderSource source, IOrderNotificationChannel channel, IReadOnlyList<OrderNotice> notices, OrderNotificationProgress totals, OrderNotificationSyncOptions options, CancellationToken cancellationToken)
    {
        var outcomes = new NoticeOutcome[notices.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, notices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentReads, CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await ActAsync(source, channel, notices[i], options.ReadOptions, token).ConfigureAwait(false)).ConfigureAwait(false);

        var next = totals with { Received = totals.Received + notices.Count, LastNoticeAt = _timeProvider.GetUtcNow() };
        foreach (var outcome in outcomes)
        {
            next = outcome switch
            {
                NoticeOutcome.Duplicate => next with { Duplicates = next.Duplicates + 1, Acknowledged = next.Acknowledged + 1 },
                NoticeOutcome.AlreadyCurrent => next with { AlreadyCurrent = next.AlreadyCurrent + 1, Acknowledged = next.Acknowledged + 1 },
                NoticeOutcome.Inserted => next with { Inserted = next.Inserted + 1, Acknowledged = next.Acknowledged + 1 },
                NoticeOutcome.Updated => next with { Updated = next.Updated + 1, Acknowledged = next.Acknowledged + 1 },
                NoticeOutcome.Unchanged => next with { Unchanged = next.Unchanged + 1, Acknowledged = next.Acknowledged + 1 },
                NoticeOutcome.Superseded => next with { Superseded = next.Superseded + 1, Acknowledged = next.Acknowledged + 1 },
                NoticeOutcome.LeftForRedelivery => next with { LeftForRedelivery = next.LeftForRedelivery + 1 },
                _ => next with { Acknowledged = next.Acknowledged + 1 },
            };
        }

        return next;
    }

    private async Task<NoticeOutcome> ActAsync(IOrderSource source, IOrderNotificationChannel channel, OrderNotice notice, OrderReadOptions readOptions, CancellationToken cancellationToken)
    {
        var known = await _ledger.LookUpNotificationAsync(source.Name, notice.NotificationId, notice.OrderId, cancellationToken).ConfigureAwait(false);
        NoticeOutcome outcome;
        if (known.Seen)
        {
            outcome = NoticeOutcome.Duplicate;
        }
        else if (known is { Stored: true, StoredPartial: false, StoredLastUpdatedAt: { } stored } && notice.ChangedAt is { } changed && stored >= changed)
        {
            // The copy already holds this change (another delivery's read, or the change feed's): no read is spent.
            var commit = await _ledger.CommitNotificationAsync(source.Name, notice.NotificationId, null, cancellationToken).ConfigureAwait(false);
            outcome = commit.Duplicate ? NoticeOutcome.Duplicate : NoticeOutcome.AlreadyCurrent;
        }
        else
        {
            Order order;
            try
            {
                order = await source.GetOrderAsync(notice.OrderId, readOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (OrderHubException e) when (e is OrderNotFoundException or OrderSourceUnavailableException or OrderSourceThrottledException or OrderSourceProtocolException)
            {
                LogLeftForRedelivery(_logger, source.Name, notice.NotificationId, notice.OrderId, e.GetType().Name, notice.DeliveryCount, e.RequestId);
                return NoticeOutcome.LeftForRedelivery;
            }

            var commit = await _ledger.CommitNotificationAsync(source.Name, notice.NotificationId, order, cancellationToken).ConfigureAwait(false);
            outcome = commit.Duplicate
                ? NoticeOutcome.Duplicate
                : commit.Outcome switch
                {
                    StoreOutcome.Inserted => NoticeOutcome.Inserted,
                    StoreOutcome.Updated => NoticeOutcome.Updated,
                    StoreOutcome.Superseded => NoticeOutcome.Superseded,
                    _ => NoticeOutcome.Unchanged,
                };
        }

        try
        {
            await channel.AcknowledgeAsync(notice, cancellationToken).ConfigureAwait(false);
        }
        catch (OrderSourceUnavailableException e)
        {
            // Stored and recorded: the next delivery is a duplicate, acknowledged without a read.
            LogAcknowledgeFailed(_logger, source.Name, notice.NotificationId, e.RequestId);
        }

        return outcome;
    }

    private async Task<bool> PauseAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private enum NoticeOutcome
    {
        Duplicate,
        AlreadyCurrent,
        Inserted,
        Updated,
        Unchanged,
        Superseded,
        LeftForRedelivery,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: the notification channel {Address} cannot be reached (request {RequestId}); trying again in {Pause}.")]
    private static partial void LogChannelUnavailable(ILogger logger, string source, string address, TimeSpan pause, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: notification {NotificationId} for order {OrderId} is left for redelivery ({Error}, delivery {Delivery}, request {RequestId}).")]
    private static partial void LogLeftForRedelivery(ILogger logger, string source, string notificationId, string orderId, string error, int? delivery, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: notification {NotificationId} is stored but could not be acknowledged (request {RequestId}); its next delivery is dropped as a duplicate.")]
    private static partial void LogAcknowledgeFailed(ILogger logger, string source, string notificationId, string? requestId);
}

/// <summary>How an <see cref="OrderNotificationSync"/> consumes a channel.</summary>
public sealed record OrderNotificationSyncOptions
{
    /// <summary>Gets the most notices taken in one receive: 10 (Amazon SQS's largest).</summary>
    public int MaxNoticesPerReceive { get; init; } = 10;

    /// <summary>Gets how many of a receive's orders are read at once: 4. Each read waits for its permit all the same.</summary>
    public int MaxConcurrentReads { get; init; } = 4;

    /// <summary>Gets how the orders are read (personal data or not): by default without personal data, waiting for permits.</summary>
    public OrderReadOptions ReadOptions { get; init; } = new() { ThrottleMode = OrderHub.ThrottleMode.Wait };

    /// <summary>Gets the pause after the first channel failure in a row: 1 s, doubling after each further one.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the longest pause after a channel failure: 1 minute.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>What an <see cref="OrderNotificationSync"/> has done so far.</summary>
public sealed record OrderNotificationProgress
{
    /// <summary>Gets the source.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the notices received (deliveries, duplicates included).</summary>
    public int Received { get; init; }

    /// <summary>Gets the notices acknowledged (acted on, or duplicates).</summary>
    public int Acknowledged { get; init; }

    /// <summary>Gets the orders stored for the first time.</summary>
    public int Inserted { get; init; }

    /// <summary>Gets the orders stored again with new content.</summary>
    public int Updated { get; init; }

    /// <summary>Gets the orders read again with the same content.</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets the orders read that the store did not write, holding a newer copy.</summary>
    public int Superseded { get; init; }

    /// <summary>Gets the notices whose change the stored copy already held, so no read was spent.</summary>
    public int AlreadyCurrent { get; init; }

    /// <summary>Gets the notices acted on before (a second delivery, or a duplicate the upstream sent).</summary>
    public int Duplicates { get; init; }

    /// <summary>Gets the notices left for redelivery, their order not readable now.</summary>
    public int LeftForRedelivery { get; init; }

    /// <summary>Gets how many receives failed because the channel could not be reached.</summary>
    public int ChannelFailures { get; init; }

    /// <summary>Gets the last channel failure's message, when there was one.</summary>
    public string? LastChannelFailure { get; init; }

    /// <summary>Gets when the last notices were received.</summary>
    public DateTimeOffset? LastNoticeAt { get; init; }
}
