using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderHub.Http;
using OrderHub.RateLimits;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Notifications;

/// <summary>
/// A seller's <c>ORDER_CHANGE</c> notifications, set up through the Notifications API v1: an SQS destination
/// (<c>createDestination</c>, with the application's grantless token for <c>sellingpartnerapi::notifications</c>) and
/// the seller's subscription to it (<c>createSubscription</c>, with the seller's token) with its event filter. Each
/// operation spends its own bucket at the documented plan (1 per second, burst 5), shared like the source's others.
/// </summary>
/// <remarks>
/// Amazon delivers to a standard queue only (not FIFO), and only when the queue's access policy lets its principal
/// send (see <see cref="QueuePolicy"/>); a destination Amazon refuses is explained in those words.
/// </remarks>
public sealed partial class SellingPartnerNotifications : IDisposable
{
    /// <summary>The notification type of order changes: <c>ORDER_CHANGE</c>.</summary>
    public const string OrderChange = "ORDER_CHANGE";

    /// <summary>The AWS account Amazon's Selling Partner API sends notifications from, which a queue's policy must let send: 437568002678.</summary>
    public const string AmazonNotificationsAccount = "437568002678";

    /// <summary>The order change types an <c>ORDER_CHANGE</c> filter takes, as documented.</summary>
    public static IReadOnlyList<string> OrderChangeTypes { get; } = ["BuyerRequestedChange", "DeliveryTipChange", "OrderStatusChange"];

    private const string PayloadVersion = "1.0";

    private readonly SellingPartnerClient _client;
    private readonly IAccessTokenSource _sellerTokens;
    private readonly LwaAccessTokenSource _grantlessTokens;
    private readonly ThrottleMode _throttleMode;
    private readonly string _sourceName;
    private readonly IQuotaLimiter _getDestinations;
    private readonly IQuotaLimiter _createDestination;
    private readonly IQuotaLimiter _deleteDestination;
    private readonly IQuotaLimiter _getSubscription;
    private readonly IQuotaLimiter _createSubscription;
    private readonly IQuotaLimiter _deleteSubscription;

    internal SellingPartnerNotifications(
        SellingPartnerClient client,
        IAccessTokenSource sellerTokens,
        RateLimiterRegistry rateLimiters,
        string partition,
        SellingPartnerOrderSourceOptions options,
        UpstreamContext context,
        ThrottleMode throttleMode)
    {
        _client = client;
        _sellerTokens = sellerTokens;
        _grantlessTokens = new LwaAccessTokenSource(options, context, SellingPartnerDefaults.NotificationsScope);
        _throttleMode = throttleMode;
        _sourceName = options.SourceName;

        // Grantless operations are the application's, not the seller's: their buckets are keyed by the application.
        IQuotaLimiter Limiter(string scope, string operation) => rateLimiters.GetOrAdd(
            new QuotaDefinition($"{scope}|{operation}", SellingPartnerDefaults.NotificationsPermitsPerSecond * (1 - options.PacingMargin), SellingPartnerDefaults.NotificationsBurst)
            { RefillDelayAfterBurst = options.BurstLatencyAllowance });
        var application = ApplicationPartition(options);
        _getDestinations = Limiter(application, SellingPartnerDefaults.GetDestinationsOperation);
        _createDestination = Limiter(application, SellingPartnerDefaults.CreateDestinationOperation);
        _deleteDestination = Limiter(application, SellingPartnerDefaults.DeleteDestinationOperation);
        _deleteSubscription = Limiter(application, SellingPartnerDefaults.DeleteSubscriptionByIdOperation);
        _getSubscription = Limiter(partition, SellingPartnerDefaults.GetSubscriptionOperation);
        _createSubscription = Limiter(partition, SellingPartnerDefaults.CreateSubscriptionOperation);
    }

    /// <inheritdoc />
    public void Dispose() => _grantlessTokens.Dispose();

    /// <summary>
    /// The access policy a queue needs for Amazon to deliver to it: Amazon's principal (<see cref="AmazonNotificationsAccount"/>)
    /// may call <c>sqs:SendMessage</c> and <c>sqs:GetQueueAttributes</c> on it. Set it as the queue's <c>Policy</c> attribute
    /// (or merge its statement into the policy there).
    /// </summary>
    /// <param name="queueArn">The queue's ARN.</param>
    /// <returns>The policy, as indented JSON.</returns>
    /// <exception cref="ArgumentException">The ARN is not an SQS queue's.</exception>
    public static string QueuePolicy(string queueArn)
    {
        var arn = ParseQueueArn(queueArn, nameof(queueArn));
        var policy = new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Id"] = $"{arn.Name}-selling-partner-notifications",
            ["Statement"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Sid"] = "AllowSellingPartnerNotifications",
                    ["Effect"] = "Allow",
                    ["Principal"] = new Dictionary<string, string> { ["AWS"] = $"arn:aws:iam::{AmazonNotificationsAccount}:root" },
                    ["Action"] = new[] { "sqs:SendMessage", "sqs:GetQueueAttributes" },
                    ["Resource"] = queueArn,
                },
            },
        };
        return JsonSerializer.Serialize(policy, NotificationsPolicyJsonContext.Default.DictionaryStringObject);
    }

    /// <summary>
    /// Sets up the seller's <c>ORDER_CHANGE</c> notifications to a queue: finds the queue's destination (or creates it),
    /// then the seller's subscription (or creates it, with the filter). Run again, it creates nothing and says what it found.
    /// </summary>
    /// <param name="request">The queue, and the filter of a new subscription.</param>
    /// <param name="cancellationToken">Cancels the calls, including any wait for a permit.</param>
    /// <returns>The destination and the subscription, and which were created.</returns>
    /// <exception cref="InvalidOrderRequestException">The request breaks a rule (a FIFO queue, an unknown change type), or Amazon refused the destination or the filter; the message says why.</exception>
    /// <exception cref="OrderSourceAuthenticationException">The application may not use the Notifications API, or the seller's token was refused.</exception>
    public async Task<OrderChangeNotificationSetup> SetUpOrderChangesAsync(OrderChangeSubscriptionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = ParseQueueArn(request.QueueArn, nameof(request));
        var unknown = request.ChangeTypes.Where(t => !OrderChangeTypes.Contains(t, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
        {
            throw Invalid($"ORDER_CHANGE has no change type {string.Join(", ", unknown)}: the documented ones are {string.Join(", ", OrderChangeTypes)}.", nameof(request));
        }

        var destinations = await GetDestinationsAsync(cancellationToken).ConfigureAwait(false);
        var destination = destinations.FirstOrDefault(d => string.Equals(d.QueueArn, request.QueueArn, StringComparison.Ordinal));
        var destinationCreated = false;
        if (destination is null)
        {
            destination = await CreateDestinationAsync(request.QueueArn, request.DestinationName ?? $"orderhub-{arn.Name}", cancellationToken).ConfigureAwait(false);
            destinationCreated = true;
        }

        var existing = await GetSubscriptionAsync(cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return new OrderChangeNotificationSetup(destination, existing, destinationCreated, SubscriptionCreated: false);
        }

        var (subscription, created) = await CreateSubscriptionAsync(destination.DestinationId, request, cancellationToken).ConfigureAwait(false);
        return new OrderChangeNotificationSetup(destination, subscription, destinationCreated, created);
    }

    /// <summary>Lists the application's destinations (one <c>getDestinations</c>, grantless).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The destinations; those that are not SQS queues have no <see cref="NotificationDestination.QueueArn"/>.</returns>
    public async Task<IReadOnlyList<NotificationDestination>> GetDestinationsAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(_grantlessTokens, _getDestinations, SellingPartnerDefaults.GetDestinationsOperation, (api, c, ct) => api.GetDestinationsAsync(c, ct), cancellationToken).ConfigureAwait(false);
        var list = Read(response, SellingPartnerJsonContext.Default.DestinationsResponse)?.Payload
            ?? throw Malformed(response, "the getDestinations answer has no payload array");
        return [.. list.Where(d => d?.DestinationId is { Length: > 0 }).Select(d => DestinationOf(d!))];
    }

    /// <summary>Reads the seller's <c>ORDER_CHANGE</c> subscription (one <c>getSubscription</c>, with the seller's token).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The subscription, or <see langword="null"/> when the seller has none.</returns>
    public async Task<NotificationSubscription?> GetSubscriptionAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(_sellerTokens, _getSubscription, SellingPartnerDefaults.GetSubscriptionOperation, (api, c, ct) => api.GetSubscriptionAsync(OrderChange, PayloadVersion, c, ct), cancellationToken, allowNotFound: true).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var payload = Read(response, SellingPartnerJsonContext.Default.SubscriptionResponse)?.Payload;
        return payload?.SubscriptionId is { Length: > 0 } ? SubscriptionOf(payload) : throw Malformed(response, "the getSubscription answer has no subscription");
    }

    /// <summary>
    /// Removes the seller's <c>ORDER_CHANGE</c> subscription (<c>deleteSubscriptionById</c>) and, when asked, the
    /// destination it delivered to (<c>deleteDestination</c>; other subscriptions of the application may use it).
    /// </summary>
    /// <param name="removeDestination">Whether to delete the destination too.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The subscription removed, or <see langword="null"/> when there was none.</returns>
    public async Task<NotificationSubscription?> RemoveOrderChangesAsync(bool removeDestination = false, CancellationToken cancellationToken = default)
    {
        var subscription = await GetSubscriptionAsync(cancellationToken).ConfigureAwait(false);
        if (subscription is null)
        {
            return null;
        }

        await SendAsync(_grantlessTokens, _deleteSubscription, SellingPartnerDefaults.DeleteSubscriptionByIdOperation, (api, c, ct) => api.DeleteSubscriptionByIdAsync(OrderChange, subscription.SubscriptionId, c, ct), cancellationToken, allowNotFound: true).ConfigureAwait(false);
        if (removeDestination)
        {
            await SendAsync(_grantlessTokens, _deleteDestination, SellingPartnerDefaults.DeleteDestinationOperation, (api, c, ct) => api.DeleteDestinationAsync(subscription.DestinationId, c, ct), cancellationToken, allowNotFound: true).ConfigureAwait(false);
        }

        return subscription;
    }

    private async Task<NotificationDestination> CreateDestinationAsync(string queueArn, string name, CancellationToken cancellationToken)
    {
        var body = new CreateDestinationRequest(new DestinationResourceWire(new SqsResourceWire(queueArn)), name);
        SellingPartnerResponse response;
        try
        {
            response = await SendAsync(_grantlessTokens, _createDestination, SellingPartnerDefaults.CreateDestinationOperation, (api, c, ct) => api.CreateDestinationAsync(body, c, ct), cancellationToken, mayRepeat: false).ConfigureAwait(false);
        }
        catch (InvalidOrderRequestException e)
        {
            throw new InvalidOrderRequestException(
                $"{e.Message} Amazon could not use the queue {queueArn}: it must be a standard queue (not FIFO) that exists in the account and region of its ARN, and its access policy must let Amazon's account {AmazonNotificationsAccount} call sqs:SendMessage and sqs:GetQueueAttributes (orderhub notifications setup prints that policy; a queue encrypted with a KMS key also needs the key to allow it).",
                ContextOf(e),
                e);
        }

        var created = Read(response, SellingPartnerJsonContext.Default.DestinationResponse)?.Payload;
        return created?.DestinationId is { Length: > 0 } ? DestinationOf(created) with { QueueArn = created.Resource?.Sqs?.Arn ?? queueArn } : throw Malformed(response, "the createDestination answer has no destinationId");
    }

    private async Task<(NotificationSubscription Subscription, bool Created)> CreateSubscriptionAsync(string destinationId, OrderChangeSubscriptionRequest request, CancellationToken cancellationToken)
    {
        var filter = request.MarketplaceIds.Count == 0 && request.ChangeTypes.Count == 0
            ? null
            : new ProcessingDirectiveWire(new EventFilterWire(OrderChange, request.MarketplaceIds.Count == 0 ? null : [.. request.MarketplaceIds], request.ChangeTypes.Count == 0 ? null : [.. request.ChangeTypes]));
        var body = new CreateSubscriptionRequest(PayloadVersion, destinationId, filter);
        SellingPartnerResponse response;
        try
        {
            response = await SendAsync(_sellerTokens, _createSubscription, SellingPartnerDefaults.CreateSubscriptionOperation, (api, c, ct) => api.CreateSubscriptionAsync(OrderChange, body, c, ct), cancellationToken, mayRepeat: false, allowConflict: true).ConfigureAwait(false);
        }
        catch (InvalidOrderRequestException e) when (filter is not null)
        {
            throw new InvalidOrderRequestException(
                $"{e.Message} Amazon refused the subscription's filter: ORDER_CHANGE takes an eventFilter of eventFilterType ORDER_CHANGE with marketplaceIds the seller sells in and orderChangeTypes among {string.Join(", ", OrderChangeTypes)}; set none to receive every change.",
                ContextOf(e),
                e);
        }

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            // Subscribed meanwhile (by another process, or before a lost answer): the one there is the seller's.
            return (await GetSubscriptionAsync(cancellationToken).ConfigureAwait(false) ?? throw Malformed(response, "createSubscription answered that a subscription exists, and getSubscription found none"), false);
        }

        var created = Read(response, SellingPartnerJsonContext.Default.SubscriptionResponse)?.Payload;
        return created?.SubscriptionId is { Length: > 0 }
            ? (SubscriptionOf(created with { DestinationId = created.DestinationId ?? destinationId, ProcessingDirective = created.ProcessingDirective ?? filter }), true)
            : throw Malformed(response, "the createSubscription answer has no subscriptionId");
    }

    private async Task<SellingPartnerResponse> SendAsync(
        IAccessTokenSource tokens,
        IQuotaLimiter limiter,
        string operation,
        Func<ISellingPartnerApi, SellingPartnerCall, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken,
        bool mayRepeat = true,
        bool allowNotFound = false,
        bool allowConflict = false)
    {
        var context = new OrderErrorContext(_sourceName);
        var call = _client.Call(tokens, limiter, _throttleMode, context, operation, mayRepeat: mayRepeat);
        var response = await _client.SendAsync(call, send, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound) || (allowConflict && response.StatusCode == HttpStatusCode.Conflict))
        {
            return response;
        }

        var error = SellingPartnerErrors.ToException(response, context, operation, limiter.ReplenishmentPeriod);
        if (error is OrderSourceAuthenticationException && ReferenceEquals(tokens, _grantlessTokens))
        {
            throw new OrderSourceAuthenticationException(
                $"{error.Message} {operation} is a grantless operation: it takes the application's own token for the scope {SellingPartnerDefaults.NotificationsScope}, which the application's client id and secret must be allowed to get (the Notifications API among its roles).",
                ContextOf(error),
                error);
        }

        throw error;
    }

    private T? Read<T>(SellingPartnerResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type);
        }
        catch (JsonException e)
        {
            throw SellingPartnerErrors.Malformed(response, new OrderErrorContext(_sourceName), $"the body is not the documented JSON (at {e.Path ?? "$"})", e);
        }
    }

    private static OrderErrorContext ContextOf(OrderHubException e) => new(e.SourceName, e.OrderId, e.StatusCode, e.RequestId, e.ErrorCode);

    private OrderSourceProtocolException Malformed(SellingPartnerResponse response, string what) => SellingPartnerErrors.Malformed(response, new OrderErrorContext(_sourceName), what);

    private InvalidOrderRequestException Invalid(string message, string parameter) => new(message, new OrderErrorContext(_sourceName)) { ParameterName = parameter };

    private static NotificationDestination DestinationOf(DestinationWire wire) => new(wire.DestinationId!, wire.Name ?? string.Empty, wire.Resource?.Sqs?.Arn);

    private static NotificationSubscription SubscriptionOf(SubscriptionWire wire) => new(
        wire.SubscriptionId!,
        wire.DestinationId ?? string.Empty,
        wire.PayloadVersion ?? PayloadVersion,
        wire.ProcessingDirective?.EventFilter?.MarketplaceIds ?? [],
        wire.ProcessingDirective?.EventFilter?.OrderChangeTypes ?? []);

    private static (string Region, string Account, string Name) ParseQueueArn(string? queueArn, string parameter)
    {
        var match = QueueArn().Match(queueArn ?? string.Empty);
        if (!match.Success)
        {
            throw new InvalidOrderRequestException(
                $"'{queueArn}' is not an SQS queue's ARN: expected arn:aws:sqs:REGION:ACCOUNT:NAME, for example arn:aws:sqs:us-east-1:123456789012:sp-order-changes.",
                new OrderErrorContext(null)) { ParameterName = parameter };
        }

        if (match.Groups[3].Value.EndsWith(".fifo", StringComparison.Ordinal))
        {
            throw new InvalidOrderRequestException(
                $"The queue {queueArn} is a FIFO queue: Amazon delivers Selling Partner notifications to standard queues only. Create a standard queue (its name without .fifo); OrderHub drops the duplicates a standard queue may deliver.",
                new OrderErrorContext(null)) { ParameterName = parameter };
        }

        return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
    }

    // The application is its client id: grantless calls are counted per application, whichever seller's source makes them.
    private static string ApplicationPartition(SellingPartnerOrderSourceOptions options) =>
        $"sp-app|{options.BaseAddress.Host}|{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.ClientId)))[..16]}";

    [GeneratedRegex(@"^arn:aws[a-z-]*:sqs:([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}):([0-9]{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueArn();
}

/// <summary>What <see cref="SellingPartnerNotifications.SetUpOrderChangesAsync"/> sets up.</summary>
public sealed record OrderChangeSubscriptionRequest
{
    /// <summary>Gets the ARN of the SQS standard queue to deliver to.</summary>
    public required string QueueArn { get; init; }

    /// <summary>Gets the marketplaces whose order changes to deliver; empty for all.</summary>
    public IReadOnlyList<string> MarketplaceIds { get; init; } = [];

    /// <summary>Gets the change types to deliver (<see cref="SellingPartnerNotifications.OrderChangeTypes"/>); empty for all.</summary>
    public IReadOnlyList<string> ChangeTypes { get; init; } = [];

    /// <summary>Gets the name of a new destination; <see langword="null"/> for <c>orderhub-</c> and the queue's name.</summary>
    public string? DestinationName { get; init; }
}

/// <summary>A Notifications API destination.</summary>
/// <param name="DestinationId">Its id.</param>
/// <param name="Name">Its name.</param>
/// <param name="QueueArn">The SQS queue it delivers to; <see langword="null"/> for another kind.</param>
public sealed record NotificationDestination(string DestinationId, string Name, string? QueueArn);

/// <summary>A seller's subscription to a notification type.</summary>
/// <param name="SubscriptionId">Its id.</param>
/// <param name="DestinationId">Where it delivers.</param>
/// <param name="PayloadVersion">Its payload version.</param>
/// <param name="MarketplaceIds">The marketplaces its filter keeps; empty for all.</param>
/// <param name="ChangeTypes">The change types its filter keeps; empty for all.</param>
public sealed record NotificationSubscription(string SubscriptionId, string DestinationId, string PayloadVersion, IReadOnlyList<string> MarketplaceIds, IReadOnlyList<string> ChangeTypes);

/// <summary>What was found or created.</summary>
/// <param name="Destination">The queue's destination.</param>
/// <param name="Subscription">The seller's <c>ORDER_CHANGE</c> subscription.</param>
/// <param name="DestinationCreated">Whether the destination was created now.</param>
/// <param name="SubscriptionCreated">Whether the subscription was created now.</param>
public sealed record OrderChangeNotificationSetup(NotificationDestination Destination, NotificationSubscription Subscription, bool DestinationCreated, bool SubscriptionCreated)
{
    /// <summary>Gets a value indicating whether the seller's subscription, found there, delivers to another destination than the queue's (remove it to subscribe the queue).</summary>
    public bool DeliversElsewhere => !string.Equals(Subscription.DestinationId, Destination.DestinationId, StringComparison.Ordinal);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(object[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class NotificationsPolicyJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
