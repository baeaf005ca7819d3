using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrderHub.Emulator.Sqs;

namespace OrderHub.Emulator.SellingPartner.Notifications;

/// <summary>
/// What the emulator's Notifications API holds: the application's destinations, each seller's <c>ORDER_CHANGE</c>
/// subscription, and every change the emulator made to its orders, which it delivers to the subscribed queues as
/// <c>ORDER_CHANGE</c> notifications. Publicly, what a test reads: the changes and how many notifications went out.
/// </summary>
public sealed class SpNotificationState
{
    /// <summary>The AWS account Amazon delivers notifications from, which a queue's policy must let send.</summary>
    internal const string AmazonAccount = "437568002678";

    /// <summary>The one notification type the emulator delivers.</summary>
    internal const string OrderChange = "ORDER_CHANGE";

    /// <summary>The order change types ORDER_CHANGE documents.</summary>
    internal static readonly string[] OrderChangeTypes = ["BuyerRequestedChange", "DeliveryTipChange", "OrderStatusChange"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, EmulatedDestination> _destinations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EmulatedSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedChange> _changes = new();
    private readonly Random _draws;
    private readonly SpNotificationOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _applicationId;
    private SqsEmulatorState? _queues;
    private int _requests;
    private int _published;
    private int _undeliverable;

    internal SpNotificationState(SpNotificationOptions options, int seed, string clientId, TimeProvider timeProvider)
    {
        options.Validate();
        _options = options;
        _draws = new Random(seed ^ 0x5A17);
        _timeProvider = timeProvider;
        _applicationId = "amzn1.sp.solution." + Hash(clientId);
    }

    /// <summary>Gets the changes the emulator made to its orders, oldest first.</summary>
    public IReadOnlyList<RecordedChange> Changes => [.. _changes];

    /// <summary>Gets how many notification messages were sent to queues (duplicates included).</summary>
    public int Published => Volatile.Read(ref _published);

    /// <summary>Gets how many notifications could not be delivered: the subscription's queue no longer exists.</summary>
    public int Undeliverable => Volatile.Read(ref _undeliverable);

    /// <summary>Gets how many Notifications API requests arrived (accepted or not).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the options this state runs with.</summary>
    internal SpNotificationOptions Options => _options;

    /// <summary>Gets the queues a destination may name.</summary>
    internal SqsEmulatorState Queues => _queues ?? throw new InvalidOperationException("The emulator's SQS is not attached.");

    internal void Attach(SqsEmulatorState queues) => _queues = queues;

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal IReadOnlyList<EmulatedDestination> Destinations()
    {
        lock (_lock)
        {
            return [.. _destinations.Values.OrderBy(d => d.Created)];
        }
    }

    internal EmulatedDestination? Destination(string destinationId)
    {
        lock (_lock)
        {
            return _destinations.GetValueOrDefault(destinationId);
        }
    }

    /// <summary>Creates a destination for a queue, or returns <see langword="null"/> when one already names it.</summary>
    internal EmulatedDestination? CreateDestination(string name, string queueArn)
    {
        lock (_lock)
        {
            if (_destinations.Values.Any(d => d.QueueArn == queueArn))
            {
                return null;
            }

            var destination = new EmulatedDestination(Guid.NewGuid().ToString(), name, queueArn, _timeProvider.GetTimestamp());
            _destinations[destination.DestinationId] = destination;
            return destination;
        }
    }

    /// <summary>Deletes a destination; <see langword="false"/> when there is none, or a subscription still delivers to it.</summary>
    internal bool? DeleteDestination(string destinationId)
    {
        lock (_lock)
        {
            if (!_destinations.ContainsKey(destinationId))
            {
                return false;
            }

            if (_subscriptions.Values.Any(s => s.DestinationId == destinationId))
            {
                return null;
            }

            return _destinations.Remove(destinationId);
        }
    }

    internal EmulatedSubscription? SubscriptionOf(string seller)
    {
        lock (_lock)
        {
            return _subscriptions.GetValueOrDefault(seller);
        }
    }

    internal EmulatedSubscription? SubscriptionById(string subscriptionId)
    {
        lock (_lock)
        {
            return _subscriptions.Values.FirstOrDefault(s => s.SubscriptionId == subscriptionId);
        }
    }

    /// <summary>Subscribes a seller, or returns <see langword="null"/> when it already has a subscription.</summary>
    internal EmulatedSubscription? Subscribe(string seller, string destinationId, string payloadVersion, JsonObject? processingDirective, IReadOnlySet<string> marketplaceIds, IReadOnlySet<string> changeTypes)
    {
        lock (_lock)
        {
            if (_subscriptions.ContainsKey(seller))
            {
                return null;
            }

            var subscription = new EmulatedSubscription(Guid.NewGuid().ToString(), seller, destinationId, payloadVersion, processingDirective, marketplaceIds, changeTypes);
            _subscriptions[seller] = subscription;
            return subscription;
        }
    }

    internal bool Unsubscribe(string subscriptionId)
    {
        lock (_lock)
        {
            var seller = _subscriptions.FirstOrDefault(s => s.Value.SubscriptionId == subscriptionId).Key;
            return seller is not null && _subscriptions.Remove(seller);
        }
    }

    /// <summary>
    /// Records the changes the catalog just made and sends each to its seller's subscribed queue, when the
    /// subscription's filter lets it through: one message (two, at the duplicate rate) delayed by the configured
    /// delay and a draw within the reorder window.
    /// </summary>
    /// <param name="changes">The changes, in the order made.</param>
    /// <param name="catalog">The orders, to describe each changed one.</param>
    /// <param name="sellers">The sellers, to find whose order changed.</param>
    /// <param name="sellerTokens">The sellers' refresh tokens, by index.</param>
    internal void Publish(IReadOnlyList<SpOrderChange> changes, SpOrderCatalog catalog, SpSellers sellers, IList<string> sellerTokens)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var change in changes)
        {
            if (!catalog.TryGet(change.OrderId, out var record))
            {
                continue;
            }

            _changes.Enqueue(new RecordedChange(now, change.OrderId, change.At));
            var seller = sellerTokens[sellers.SellerOf(catalog.IndexOf(change.OrderId))];
            var subscription = SubscriptionOf(seller);
            var marketplace = record.Order["MarketplaceId"]?.GetValue<string>() ?? string.Empty;
            if (subscription is null || _queues is null
                || (subscription.MarketplaceIds.Count > 0 && !subscription.MarketplaceIds.Contains(marketplace))
                || (subscription.ChangeTypes.Count > 0 && !subscription.ChangeTypes.Contains("OrderStatusChange"))
                || Destination(subscription.DestinationId) is not { } destination)
            {
                continue;
            }

            var body = NotificationOf(record, change, subscription, Hash(seller), now);
            var copies = 1;
            TimeSpan[] delays;
            lock (_lock)
            {
                copies += _draws.NextDouble() < _options.DuplicateRate ? 1 : 0;
                delays = [.. Enumerable.Range(0, copies).Select(_ => _options.Delay + (_options.ReorderWindow * _draws.NextDouble()))];
            }

            foreach (var delay in delays)
            {
                if (_queues.Send(destination.QueueArn, body, delay) is null)
                {
                    Interlocked.Increment(ref _undeliverable);
                }
                else
                {
                    Interlocked.Increment(ref _published);
                }
            }
        }
    }

    // The notification as Amazon writes it (OrderChangeNotification.json): an order-level status change, with the
    // summary the payload documents and no prices, buyer or address.
    private string NotificationOf(SpOrderRecord record, SpOrderChange change, EmulatedSubscription subscription, string sellerId, DateTimeOffset now)
    {
        var order = record.Order;
        var summary = new JsonObject
        {
            ["MarketplaceId"] = order["MarketplaceId"]?.DeepClone(),
            ["OrderStatus"] = order["OrderStatus"]?.DeepClone(),
            ["PurchaseDate"] = order["PurchaseDate"]?.DeepClone(),
            ["FulfillmentType"] = order["FulfillmentChannel"]?.DeepClone(),
            ["OrderType"] = order["OrderType"]?.DeepClone(),
            ["NumberOfItemsShipped"] = order["NumberOfItemsShipped"]?.DeepClone(),
            ["NumberOfItemsUnshipped"] = order["NumberOfItemsUnshipped"]?.DeepClone(),
            ["EarliestShipDate"] = order["EarliestShipDate"]?.DeepClone(),
            ["LatestShipDate"] = order["LatestShipDate"]?.DeepClone(),
        };
        var notification = new JsonObject
        {
            ["NotificationVersion"] = "1.0",
            ["NotificationType"] = OrderChange,
            ["PayloadVersion"] = subscription.PayloadVersion,
            ["EventTime"] = Stamp(now),
            ["Payload"] = new JsonObject
            {
                ["OrderChangeNotification"] = new JsonObject
                {
                    ["NotificationLevel"] = "OrderLevel",
                    ["SellerId"] = sellerId,
                    ["AmazonOrderId"] = record.OrderId,
                    ["OrderChangeType"] = "OrderStatusChange",
                    ["OrderChangeTrigger"] = new JsonObject
                    {
                        ["TimeOfOrderChange"] = Stamp(change.At),
                        ["ChangeReason"] = change.Arrived ? "Order created" : "Order status changed",
                    },
                    ["Summary"] = summary,
                },
            },
            ["NotificationMetadata"] = new JsonObject
            {
                ["ApplicationId"] = _applicationId,
                ["SubscriptionId"] = subscription.SubscriptionId,
                ["PublishTime"] = Stamp(now),
                ["NotificationId"] = Guid.NewGuid().ToString(),
            },
        };
        return notification.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // A stable id of the letter A and 12 more, as Amazon's seller and application ids look, from a secret it never shows.
    private static string Hash(string value) => "A" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..12];
}

/// <summary>One change the emulator made to an order.</summary>
/// <param name="AppliedAt">When it was made: from then on every read of the order sees it.</param>
/// <param name="OrderId">The order.</param>
/// <param name="LastUpdate">The order's new last-update time.</param>
public sealed record RecordedChange(DateTimeOffset AppliedAt, string OrderId, DateTimeOffset LastUpdate);

/// <summary>A destination of the application: an SQS queue.</summary>
internal sealed record EmulatedDestination(string DestinationId, string Name, string QueueArn, long Created);

/// <summary>A seller's ORDER_CHANGE subscription.</summary>
internal sealed record EmulatedSubscription(
    string SubscriptionId,
    string Seller,
    string DestinationId,
    string PayloadVersion,
    JsonObject? ProcessingDirective,
    IReadOnlySet<string> MarketplaceIds,
    IReadOnlySet<string> ChangeTypes)
{
    public override string ToString() => $"EmulatedSubscription {{ SubscriptionId = {SubscriptionId}, DestinationId = {DestinationId} }}";
}
