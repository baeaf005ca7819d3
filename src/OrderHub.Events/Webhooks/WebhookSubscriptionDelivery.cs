using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderHub.Sync;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using StandardWebhooks;

namespace OrderHub.Events;

/// <summary>One subscription's delivery loop: read the change log after the stored position, send what it selects, store the position.</summary>
internal sealed partial class WebhookSubscriptionDelivery
{
    private readonly string _name;
    private readonly string _consumer;
    private readonly WebhookSubscriptionOptions _settings;
    private readonly IOrderChangeLog _changeLog;
    private readonly HttpClient _httpClient;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly StandardWebhook _signer;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>When the change being sent first failed; <see langword="null"/> while the last attempt succeeded.</summary>
    private DateTimeOffset? _failingSince;

    /// <summary>Whether the store holds a failing mark for the subscription.</summary>
    private bool _markedFailing;

    public WebhookSubscriptionDelivery(string name, WebhookSubscriptionOptions settings, IOrderChangeLog changeLog, HttpClient httpClient, ILogger logger, TimeProvider timeProvider)
    {
        _name = name;
        _consumer = WebhookOptions.ConsumerName(name);
        _settings = settings;
        _changeLog = changeLog;
        _httpClient = httpClient;
        _logger = logger;
        _timeProvider = timeProvider;
        _signer = new StandardWebhook(settings.Secret!);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(!args.Context.CancellationToken.IsCancellationRequested && args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result.IsSuccessStatusCode: false } => true,
                    _ => false,
                }),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = WebhookDefaults.FirstRetryDelay,
                MaxDelay = settings.MaxRetryDelay,
                OnRetry = OnRetryAsync,
            })
            .AddTimeout(settings.AttemptTimeout)
            .Build();
    }

    /// <summary>Delivers until cancelled; a store that cannot be read, or a position pruned, is waited out, never the end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var storeFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await FollowAsync(() => storeFailures = 0, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (OrderChangePositionExpiredException e)
            {
                var failure = string.Create(CultureInfo.InvariantCulture, $"its position {e.Position} is older than what the change log keeps (changes through {e.PrunedThrough} were pruned): read the orders again from a query, then 'orderhub webhooks replay {_name} --from <position>'.");
                LogPositionExpired(_logger, _name, failure);
                await TryMarkFailingAsync(failure, cancellationToken).ConfigureAwait(false);
                await DelayAsync(_settings.MaxRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OrderStoreException e)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, storeFailures++), _settings.MaxRetryDelay.TotalSeconds));
                LogStoreUnavailable(_logger, _name, wait, e);
                await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FollowAsync(Action storeReachable, CancellationToken cancellationToken)
    {
        var position = await StartAsync(cancellationToken).ConfigureAwait(false);
        storeReachable();
        LogStarting(_logger, _name, _settings.Url!.Host, position);
        while (true)
        {
            var page = await _changeLog.ReadAsync(position, WebhookDefaults.PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var change in page.Changes)
            {
                if (_settings.Selects(change))
                {
                    await DeliverAsync(change, cancellationToken).ConfigureAwait(false);
                }
            }

            // A replay ('orderhub webhooks replay') stores another position: it wins over the page just sent, even when
            // it lands between this check and the write, which moves the position on only from where this page began.
            var stored = await _changeLog.GetConsumerPositionAsync(_consumer, cancellationToken).ConfigureAwait(false);
            if (stored == position && page.Changes.Count > 0
                && !await _changeLog.AdvanceConsumerPositionAsync(_consumer, position, page.LastPosition, cancellationToken).ConfigureAwait(false))
            {
                stored = await _changeLog.GetConsumerPositionAsync(_consumer, cancellationToken).ConfigureAwait(false);
            }

            if (stored != position)
            {
                position = stored ?? await StartAsync(cancellationToken).ConfigureAwait(false);
                LogReplayed(_logger, _name, position);
                continue;
            }

            if (page.Changes.Count > 0)
            {
                position = page.LastPosition;
            }
            else
            {
                await _changeLog.WaitAsync(position, WebhookDefaults.IdleWait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The stored position; for a new subscription, the oldest change kept, stored at once so that the subscription is listed.</summary>
    private async Task<long> StartAsync(CancellationToken cancellationToken)
    {
        var consumer = (await _changeLog.GetConsumersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Name == _consumer);
        if (consumer is not null)
        {
            _markedFailing = consumer.FailingSince is not null;
            return consumer.Position;
        }

        long start;
        try
        {
            await _changeLog.ReadAsync(0, 1, cancellationToken).ConfigureAwait(false);
            start = 0;
        }
        catch (OrderChangePositionExpiredException e)
        {
            start = e.PrunedThrough;
        }

        await _changeLog.SetConsumerPositionAsync(_consumer, start, cancellationToken).ConfigureAwait(false);
        return start;
    }

    private async Task DeliverAsync(OrderChange change, CancellationToken cancellationToken)
    {
        var body = OrderChangeEvents.Encode(OrderChangeEvents.ToCloudEvent(change)).ToArray();
        var bodyText = Encoding.UTF8.GetString(body);
        var id = string.Create(CultureInfo.InvariantCulture, $"msg_{change.Position}");
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PositionKey, change.Position);
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async (ctx, _) =>
                {
                    var now = _timeProvider.GetUtcNow();
                    using var request = new HttpRequestMessage(HttpMethod.Post, _settings.Url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(OrderChangeEvents.EventMediaType);
                    request.Headers.Add("webhook-id", id);
                    request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                    request.Headers.Add("webhook-signature", _signer.Sign(id, now, bodyText));
                    return await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                0).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        WebhookTelemetry.RecordAttempt(_name, delivered: true);
        WebhookTelemetry.RecordDelivered(_name, _timeProvider.GetUtcNow() - change.ChangedAt);
        LogDelivered(_logger, _name, change.Position);
        if (_failingSince is not null || _markedFailing)
        {
            _failingSince = null;
            if (_markedFailing)
            {
                await _changeLog.SetConsumerFailureAsync(_consumer, null, cancellationToken).ConfigureAwait(false);
                _markedFailing = false;
                LogRecovered(_logger, _name, change.Position);
            }
        }
    }

    private async ValueTask OnRetryAsync(OnRetryArguments<HttpResponseMessage> args)
    {
        WebhookTelemetry.RecordAttempt(_name, delivered: false);
        var failure = Describe(args.Outcome);
        args.Outcome.Result?.Dispose();
        var position = args.Context.Properties.GetValue(PositionKey, 0L);
        var now = _timeProvider.GetUtcNow();
        _failingSince ??= now;
        LogAttemptFailed(_logger, _name, position, _settings.Url!.Host, failure, args.AttemptNumber + 1, args.RetryDelay);
        if (!_markedFailing && now - _failingSince >= _settings.RetryHorizon)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"change {position} undelivered to {_settings.Url.Host} since {_failingSince:u}: {failure}");
            LogFailing(_logger, _name, reason, _settings.MaxRetryDelay);
            await TryMarkFailingAsync(reason, args.Context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TryMarkFailingAsync(string failure, CancellationToken cancellationToken)
    {
        try
        {
            _markedFailing = await _changeLog.SetConsumerFailureAsync(_consumer, failure, cancellationToken).ConfigureAwait(false) || _markedFailing;
        }
        catch (OrderStoreException e)
        {
            // Marked at the next failed attempt: delivery itself does not wait for the store.
            LogStoreUnavailable(_logger, _name, TimeSpan.Zero, e);
        }
    }

    private string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => string.Create(CultureInfo.InvariantCulture, $"no answer within {_settings.AttemptTimeout.TotalSeconds:0.###} s"),
        { Exception: HttpRequestException e } => $"the request could not be sent ({e.HttpRequestError})",
        { Exception: { } e } => e.GetType().Name,
        { Result: { } r } when (int)r.StatusCode is >= 300 and < 400 => string.Create(CultureInfo.InvariantCulture, $"answered {(int)r.StatusCode}, a redirect, which is not followed"),
        { Result: { } r } => string.Create(CultureInfo.InvariantCulture, $"answered {(int)r.StatusCode}"),
        _ => "failed",
    };

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, _timeProvider, cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private static readonly ResiliencePropertyKey<long> PositionKey = new("orderhub.webhook.position");

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Subscription} delivers to {Host} after change {Position}.")]
    private static partial void LogStarting(ILogger logger, string subscription, string host, long position);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {Subscription} delivered change {Position}.")]
    private static partial void LogDelivered(ILogger logger, string subscription, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Subscription}: change {Position} not delivered to {Host}: {Failure} (attempt {Attempt}); next attempt in {RetryDelay}.")]
    private static partial void LogAttemptFailed(ILogger logger, string subscription, long position, string host, string failure, int attempt, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Subscription} is failing: {Failure}. Delivery goes on every {MaxRetryDelay} at most; the backlog is kept.")]
    private static partial void LogFailing(ILogger logger, string subscription, string failure, TimeSpan maxRetryDelay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Subscription} delivers again: change {Position} was received.")]
    private static partial void LogRecovered(ILogger logger, string subscription, long position);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Subscription} cannot go on: {Failure}")]
    private static partial void LogPositionExpired(ILogger logger, string subscription, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Subscription}: the change log cannot be read or written; trying again in {RetryDelay}.")]
    private static partial void LogStoreUnavailable(ILogger logger, string subscription, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Subscription} goes on after change {Position}, the position a replay stored.")]
    private static partial void LogReplayed(ILogger logger, string subscription, long position);
}
