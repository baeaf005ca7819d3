using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Sync;

namespace OrderHub.Hosting;

/// <summary>
/// A hosted service that keeps the stored copies of the chosen sources fresh: <see cref="IncrementalOrderSync.FollowAsync"/>
/// for each, side by side, until the host stops. A follower that stops on an error (refused credentials, a failing
/// store) starts again after a growing wait; one source's trouble never stops another's. The cursor is held while a
/// source is followed, so several hosts over one PostgreSQL store follow each source once: the others stand by.
/// A source with a registered <see cref="IOrderNotificationChannel"/> (an SQS queue of Selling Partner
/// <c>ORDER_CHANGE</c> notifications, for example) has its notices consumed as well (<see cref="OrderNotificationSync"/>),
/// for changes within seconds, and its polls become the backup, every <see cref="OrderFollowerOptions.BackupPollInterval"/>.
/// </summary>
public sealed partial class OrderFollower : BackgroundService
{
    private readonly IncrementalOrderSync _sync;
    private readonly OrderNotificationSync? _notificationSync;
    private readonly IReadOnlyList<IOrderNotificationChannel> _channels;
    private readonly OrderLookup _lookup;
    private readonly OrderFollowerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OrderFollower> _logger;
    private readonly ConcurrentDictionary<string, OrderFollowerSourceStatus> _statuses = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="OrderFollower"/> class.</summary>
    /// <param name="sync">The incremental sync that follows each source.</param>
    /// <param name="lookup">The configured sources.</param>
    /// <param name="options">Which sources, and how.</param>
    /// <param name="timeProvider">The clock of restarts and of the status.</param>
    /// <param name="logger">Where stops and restarts are logged.</param>
    /// <param name="channels">The notification channels of the followed sources; none by default.</param>
    /// <param name="notificationSync">What consumes them; needed when there are channels.</param>
    public OrderFollower(
        IncrementalOrderSync sync,
        OrderLookup lookup,
        IOptions<OrderFollowerOptions> options,
        TimeProvider timeProvider,
        ILogger<OrderFollower> logger,
        IEnumerable<IOrderNotificationChannel>? channels = null,
        OrderNotificationSync? notificationSync = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sync = sync ?? throw new ArgumentNullException(nameof(sync));
        _lookup = lookup ?? throw new ArgumentNullException(nameof(lookup));
        _options = options.Value;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var followed = SourcesToFollow(lookup, _options).ToHashSet(StringComparer.Ordinal);
        _channels = [.. (channels ?? []).Where(c => followed.Contains(c.Source))];
        _notificationSync = _channels.Count == 0 ? null : notificationSync ?? throw new ArgumentNullException(nameof(notificationSync), "Notification channels are registered: an OrderNotificationSync (AddOrderHubSync) consumes them.");
        foreach (var request in Requests())
        {
            _statuses[request.Source] = new OrderFollowerSourceStatus(request.Source, request.Scope, OrderFollowerState.Starting, null, 0, null, null);
        }
    }

    /// <summary>Gets each followed source's status, by source name.</summary>
    public IReadOnlyList<OrderFollowerSourceStatus> Statuses => [.. _statuses.Values.OrderBy(s => s.Source, StringComparer.Ordinal)];

    /// <summary>The sources followed: those named, else every one that can be followed.</summary>
    internal static IEnumerable<string> SourcesToFollow(OrderLookup lookup, OrderFollowerOptions options) =>
        options.Sources.Count > 0
            ? options.Sources
            : lookup.Sources.Where(s => s is IOrderChangeFeed or IOrderEnumerator).Select(s => s.Name);

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            Requests().Select(r => Task.Run(() => FollowAsync(r.Source, token => _sync.FollowAsync(r with { Since = _timeProvider.GetUtcNow() - _options.InitialLookback }, new Progress(this, r.Source), token), stoppingToken), CancellationToken.None))
            .Concat(_channels.Select(c => Task.Run(() => FollowAsync(c.Source, token => _notificationSync!.FollowAsync(c, progress: new NoticeProgress(this, c.Source), cancellationToken: token), stoppingToken), CancellationToken.None))));

    private IEnumerable<IncrementalSyncRequest> Requests() =>
        SourcesToFollow(_lookup, _options).Select(source => new IncrementalSyncRequest
        {
            Source = source,
            Since = _timeProvider.GetUtcNow() - _options.InitialLookback,
            PollInterval = _options.PollInterval ?? (_channels.Any(c => c.Source == source) ? _options.BackupPollInterval : null),
        });

    private async Task FollowAsync(string source, Func<CancellationToken, Task> follow, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await follow(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is OrderHubException or OrderStoreException)
            {
                failures++;
                var delay = RestartDelay(failures);
                var now = _timeProvider.GetUtcNow();
                Update(source, s => s with { State = OrderFollowerState.Restarting, Restarts = s.Restarts + 1, LastError = $"{e.GetType().Name}: {e.Message}", LastErrorAt = now });
                LogStopped(_logger, source, e.GetType().Name, delay, e);
                try
                {
                    await Task.Delay(delay, _timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            failures = 0;
        }

        Update(source, s => s with { State = OrderFollowerState.Stopped });
    }

    private TimeSpan RestartDelay(int failures)
    {
        var doubled = _options.RestartDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(doubled, _options.MaxRestartDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private void Update(string source, Func<OrderFollowerSourceStatus, OrderFollowerSourceStatus> change) =>
        _statuses.AddOrUpdate(source, _ => throw new InvalidOperationException("Every followed source has a status from the start."), (_, status) => change(status));

    [LoggerMessage(Level = LogLevel.Error, Message = "The follower of {Source} stopped on {ErrorType}; it starts again in {RestartDelay}.")]
    private static partial void LogStopped(ILogger logger, string source, string errorType, TimeSpan restartDelay, Exception exception);

    /// <summary>Marks the source following at each receive of notices, and when they last came.</summary>
    private sealed class NoticeProgress(OrderFollower follower, string source) : IProgress<OrderNotificationProgress>
    {
        public void Report(OrderNotificationProgress value)
        {
            var now = follower._timeProvider.GetUtcNow();
            follower.Update(source, s => s with { State = OrderFollowerState.Following, LastNoticeAt = value.LastNoticeAt ?? s.LastNoticeAt, Notices = value.Received });
        }
    }

    /// <summary>Marks the source following at each page it stores.</summary>
    private sealed class Progress(OrderFollower follower, string source) : IProgress<IncrementalSyncProgress>
    {
        public void Report(IncrementalSyncProgress value)
        {
            var now = follower._timeProvider.GetUtcNow();
            follower.Update(source, s => s with { State = OrderFollowerState.Following, LastProgressAt = now });
        }
    }
}
