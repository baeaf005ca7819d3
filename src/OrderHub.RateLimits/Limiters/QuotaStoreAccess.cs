using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.RateLimits;
using Polly;
using Polly.Retry;

namespace OrderHub.RateLimits;

/// <summary>
/// A shared quota store as this process's limiters use it, with the outage policy: while the store cannot be used,
/// nothing is sent. A caller that may wait keeps trying (backing off, for at most the outage tolerance); one that may
/// not fails at once. The outage is logged when it starts and when it ends, and for one refill period afterwards new
/// buckets start empty, because the store may have lost what was spent.
/// </summary>
internal sealed partial class QuotaStoreAccess
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _outageTolerance;
    private readonly ResiliencePipeline _outageRetry;
    private readonly Lock _lock = new();
    private long? _outageStartedAt;
    private long? _lastFailureAt;

    /// <summary>Initializes a new instance of the <see cref="QuotaStoreAccess"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="timeProvider">The clock for waits and back-off.</param>
    /// <param name="logger">Where outages are logged.</param>
    /// <param name="outageTolerance">How long a caller that may wait keeps trying a store that cannot be used.</param>
    public QuotaStoreAccess(IQuotaStore store, TimeProvider? timeProvider = null, ILogger? logger = null, TimeSpan? outageTolerance = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _outageTolerance = outageTolerance ?? TimeSpan.FromMinutes(2);
        _outageRetry = new ResiliencePipelineBuilder { TimeProvider = _timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                // A wrong setting (Redis refused the password) does not pass by waiting: it fails at once.
                ShouldHandle = new PredicateBuilder().Handle<QuotaStoreUnavailableException>(e => e.IsTransient),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
            })
            .Build();
    }

    /// <summary>Gets the store.</summary>
    public IQuotaStore Store { get; }

    /// <summary>Calls the store under the outage policy.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="quota">The bucket the call is for.</param>
    /// <param name="call">The call; it is told whether a bucket it creates starts full.</param>
    /// <param name="mayWait">Whether the caller accepts waiting for the store to come back.</param>
    /// <param name="cancellationToken">Cancels the call and any waiting.</param>
    /// <returns>The store's answer.</returns>
    /// <exception cref="QuotaStoreUnavailableException">The store could not be used (within the outage tolerance, for a caller that may wait).</exception>
    public async ValueTask<T> CallAsync<T>(QuotaDefinition quota, Func<bool, CancellationToken, ValueTask<T>> call, bool mayWait, CancellationToken cancellationToken)
    {
        if (!mayWait || _outageTolerance <= TimeSpan.Zero)
        {
            return await AttemptAsync(quota, call, cancellationToken).ConfigureAwait(false);
        }

        using var tolerance = new CancellationTokenSource(_outageTolerance, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tolerance.Token);
        QuotaStoreUnavailableException? last = null;
        try
        {
            return await _outageRetry.ExecuteAsync(
                async token =>
                {
                    try
                    {
                        return await AttemptAsync(quota, call, token).ConfigureAwait(false);
                    }
                    catch (QuotaStoreUnavailableException e)
                    {
                        last = e;
                        throw;
                    }
                },
                linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && last is not null)
        {
            throw last;
        }
    }

    /// <summary>Calls the store once; a failure is only logged (for changes that the next reservation will retry anyway).</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="quota">The bucket.</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, or the default when the store could not be used.</returns>
    public async ValueTask<T?> TryCallAsync<T>(QuotaDefinition quota, Func<bool, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptAsync(quota, call, cancellationToken).ConfigureAwait(false);
        }
        catch (QuotaStoreUnavailableException)
        {
            return default;
        }
    }

    private async ValueTask<T> AttemptAsync<T>(QuotaDefinition quota, Func<bool, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        T result;
        try
        {
            result = await call(StartsFull(quota), cancellationToken).ConfigureAwait(false);
        }
        catch (QuotaStoreUnavailableException e)
        {
            Failed(e);
            throw;
        }

        Succeeded();
        return result;
    }

    // After an outage the store may have lost what was spent (Redis restarted without its data): for one refill of a
    // full burst, a bucket the store no longer holds starts empty instead of full. Nothing was sent during the outage.
    private bool StartsFull(QuotaDefinition quota)
    {
        long? lastFailure;
        lock (_lock)
        {
            lastFailure = _lastFailureAt;
        }

        return lastFailure is not { } at
            || _timeProvider.GetElapsedTime(at) > quota.RefillDelayAfterBurst + TimeSpan.FromSeconds(quota.Burst / quota.PermitsPerSecond);
    }

    private void Failed(QuotaStoreUnavailableException e)
    {
        bool started;
        lock (_lock)
        {
            started = _outageStartedAt is null;
            _outageStartedAt ??= _timeProvider.GetTimestamp();
            _lastFailureAt = _timeProvider.GetTimestamp();
        }

        if (started)
        {
            LogOutage(_logger, Store.Description, e.Message);
        }
    }

    private void Succeeded()
    {
        long? startedAt;
        lock (_lock)
        {
            startedAt = _outageStartedAt;
            _outageStartedAt = null;
        }

        if (startedAt is { } at)
        {
            LogRecovered(_logger, Store.Description, _timeProvider.GetElapsedTime(at));
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Rate limits cannot be shared through {Store}; no request is sent until it can be used again. {Reason}")]
    private static partial void LogOutage(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Rate limits are shared through {Store} again, after {Outage}.")]
    private static partial void LogRecovered(ILogger logger, string store, TimeSpan outage);
}
