using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderHub.Sync;

namespace OrderHub.Events;

/// <summary>
/// Delivers the store's changes to every configured webhook subscription (<see cref="WebhookOptions"/>), until the
/// host stops: signed as Standard Webhooks specifies, at least once, in the change log's order.
/// </summary>
/// <remarks>
/// <para>
/// Each subscription runs on its own, from the position stored for it in the change log
/// (<see cref="WebhookOptions.ConsumerName"/>), so a slow or dead receiver never delays another. A new subscription
/// starts from the oldest change the log keeps. A change is sent until the receiver answers 2xx, then the next one;
/// the position is stored after each page of changes, so a deliverer killed at any point sends again, after restart,
/// what it had not stored as done: with the same <c>webhook-id</c>, by which receivers drop the repeat.
/// </para>
/// <para>
/// A failed attempt (no connection, no answer within the attempt timeout, a status other than 2xx, a redirect, which is
/// never followed) is retried after a wait that grows exponentially, with jitter, up to the subscription's longest
/// delay. Once a change has gone undelivered for the retry horizon, the subscription is marked failing in the store
/// (<c>orderhub webhooks status</c>); delivery goes on, and the first success clears the mark.
/// </para>
/// </remarks>
public sealed class WebhookDeliverer : BackgroundService
{
    private readonly IOrderChangeLog _changeLog;
    private readonly WebhookOptions _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILogger<WebhookDeliverer> _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="WebhookDeliverer"/> class.</summary>
    /// <param name="changeLog">The store's change log.</param>
    /// <param name="options">The subscriptions; checked here.</param>
    /// <param name="httpClientFactory">Gives the client that delivers (<c>AddOrderHubWebhooks</c> configures it never to follow a redirect).</param>
    /// <param name="logger">Where delivery failures are logged (never a secret, a URL's path or order content).</param>
    /// <param name="timeProvider">The clock of retry waits and of the horizon.</param>
    /// <exception cref="OptionsValidationException">A subscription's settings are not usable; the message names each.</exception>
    public WebhookDeliverer(IOrderChangeLog changeLog, IOptions<WebhookOptions> options, IHttpClientFactory httpClientFactory, ILogger<WebhookDeliverer> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(changeLog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        WebhookOptionsValidator.ThrowIfInvalid(options.Value);
        _changeLog = changeLog;
        _options = options.Value;
        _httpClientFactory = httpClientFactory;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriptions = _options.Subscriptions
            .Select(s => new WebhookSubscriptionDelivery(s.Key, s.Value, _changeLog, _httpClientFactory.CreateClient(WebhookDefaults.HttpClientName), _logger, _timeProvider))
            .ToArray();
        return Task.WhenAll(subscriptions.Select(s => Task.Run(() => s.RunAsync(stoppingToken), CancellationToken.None)));
    }
}
