using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync.Notifications;

/// <summary>
/// <see cref="OrderNotificationSync"/>: each notice read once, stored with its id, and only then acknowledged; duplicates,
/// copies already as new and orders not readable yet; a channel that cannot be reached.
/// </summary>
public sealed class OrderNotificationSyncTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly ChangingSource _source = new();
    private readonly InMemoryOrderStore _store;
    private readonly ScriptedChannel _channel = new();
    private readonly OrderNotificationSync _sync;

    public OrderNotificationSyncTests()
    {
        _store = new InMemoryOrderStore(_clock);
        _sync = new OrderNotificationSync(new OrderLookup([_source]), _store, _clock);
    }

    [Fact]
    public async Task ANotice_HasItsOrderReadAndStored_ThenAcknowledged()
    {
        _source.Set("171-0000000-0000001", "Unshipped", T0.AddMinutes(1));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(1)));

        var result = await _sync.DrainAsync(_channel);

        result.ShouldBe(new OrderNotificationProgress { Source = "sp-api", Received = 1, Acknowledged = 1, Inserted = 1, LastNoticeAt = T0 });
        _source.Reads.ShouldBe(1);
        _channel.Acknowledged.ShouldBe(["n-1"]);
        (await _store.LookUpNotificationAsync("sp-api", "n-1", "171-0000000-0000001")).ShouldBe(new NotificationLookup(true, true, T0.AddMinutes(1), false));
    }

    [Fact]
    public async Task ASecondDelivery_IsAcknowledgedWithoutARead()
    {
        _source.Set("171-0000000-0000001", "Unshipped", T0.AddMinutes(1));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(1)));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(1)));

        var result = await _sync.DrainAsync(_channel, new OrderNotificationSyncOptions { MaxNoticesPerReceive = 1 });

        (result.Received, result.Inserted, result.Duplicates, result.Acknowledged).ShouldBe((2, 1, 1, 2));
        _source.Reads.ShouldBe(1);
        _channel.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task ANoticeTheStoredCopyAlreadyHolds_SpendsNoRead()
    {
        _source.Set("171-0000000-0000001", "Shipped", T0.AddMinutes(5));
        await _store.UpsertAsync(await _source.GetOrderAsync("171-0000000-0000001"));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(4)));
        _channel.Send(Notice("n-2", "171-0000000-0000001", T0.AddMinutes(5)));

        var result = await _sync.DrainAsync(_channel);

        (result.AlreadyCurrent, result.Acknowledged).ShouldBe((2, 2));
        _source.Reads.ShouldBe(1, "the one read before the notices");
    }

    [Fact]
    public async Task APartialStoredCopy_IsReadInFull_EvenWhenAsNew()
    {
        _source.Set("171-0000000-0000001", "Shipped", T0.AddMinutes(5));
        await _store.UpsertAsync(await _source.GetOrderAsync("171-0000000-0000001") with { Completeness = OrderCompleteness.Partial });
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(5)));

        var result = await _sync.DrainAsync(_channel);

        result.Updated.ShouldBe(1);
        (await _store.LookUpNotificationAsync("sp-api", "n-1", "171-0000000-0000001")).StoredPartial.ShouldBeFalse();
    }

    [Fact]
    public async Task ANoticeWhoseOrderCannotBeReadYet_IsLeftForRedelivery_AndStoredWhenItCan()
    {
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(1)));

        var first = await _sync.DrainAsync(_channel);

        (first.LeftForRedelivery, first.Acknowledged).ShouldBe((1, 0));
        _channel.Acknowledged.ShouldBeEmpty();
        (await _store.LookUpNotificationAsync("sp-api", "n-1", "171-0000000-0000001")).Seen.ShouldBeFalse();

        _source.Set("171-0000000-0000001", "Unshipped", T0.AddMinutes(1));
        _channel.RedeliverUnacknowledged();
        var second = await _sync.DrainAsync(_channel);

        (second.Inserted, second.Acknowledged).ShouldBe((1, 1));
        _channel.Acknowledged.ShouldBe(["n-1"]);
    }

    [Fact]
    public async Task AConsumerThatStoredButCouldNotAcknowledge_StoresNothingTwice_WhenTheNoticeComesAgain()
    {
        _source.Set("171-0000000-0000001", "Unshipped", T0.AddMinutes(1));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(1)));
        _channel.AcknowledgeFailures = 1;

        await _sync.DrainAsync(_channel);
        _channel.RedeliverUnacknowledged();
        var again = await _sync.DrainAsync(_channel);

        (again.Duplicates, again.Acknowledged).ShouldBe((1, 1));
        _source.Reads.ShouldBe(1);
        var changes = await _store.ReadAsync(0, 100);
        changes.Changes.Count.ShouldBe(1, "one change logged");
    }

    [Fact]
    public async Task NoticesOfTheSameOrder_OutOfOrder_LeaveTheNewestCopy()
    {
        _source.Set("171-0000000-0000001", "Shipped", T0.AddMinutes(9));
        _channel.Send(Notice("n-2", "171-0000000-0000001", T0.AddMinutes(9)));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(3)));

        var result = await _sync.DrainAsync(_channel, new OrderNotificationSyncOptions { MaxNoticesPerReceive = 1 });

        (result.Inserted, result.AlreadyCurrent).ShouldBe((1, 1));
        var stored = JsonSerializer.Deserialize<JsonElement>((await _store.GetAsync("sp-api", "171-0000000-0000001"))!.Json);
        stored.GetProperty("status").GetProperty("raw").GetString().ShouldBe("Shipped");
    }

    [Fact]
    public async Task AChannelThatCannotBeReached_IsTriedAgainWithGrowingPauses_AndConsumedWhenBack()
    {
        _source.Set("171-0000000-0000001", "Unshipped", T0.AddMinutes(1));
        _channel.Send(Notice("n-1", "171-0000000-0000001", T0.AddMinutes(1)));
        _channel.ReceiveFailures = 3;
        _channel.WaitWhenEmpty = true;
        var watch = new TimerWatch(_clock);
        var sync = new OrderNotificationSync(new OrderLookup([_source]), _store, watch);
        var reports = new List<OrderNotificationProgress>();
        using var stop = new CancellationTokenSource();
        var follow = sync.FollowAsync(_channel, progress: new SynchronousProgress(reports.Add), cancellationToken: stop.Token);

        await watch.AdvanceUntilAsync(() => reports.Any(r => r.Inserted == 1), "the notice was stored after the outage");
        stop.Cancel();
        var result = await follow;

        result.ChannelFailures.ShouldBe(3);
        result.LastChannelFailure.ShouldBe("The queue cannot be reached.");
        result.Inserted.ShouldBe(1);
        (_clock.GetUtcNow() - T0).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1 + 2 + 4), "pauses of 1, 2 and 4 s");
    }

    private static OrderNotice Notice(string id, string orderId, DateTimeOffset changedAt) =>
        new() { NotificationId = id, OrderId = orderId, ChangedAt = changedAt, ChangeType = "OrderStatusChange", Receipt = $"receipt-{id}-{Guid.NewGuid():N}" };

    private sealed class SynchronousProgress(Action<OrderNotificationProgress> report) : IProgress<OrderNotificationProgress>
    {
        public void Report(OrderNotificationProgress value) => report(value);
    }

    /// <summary>A source whose orders the test sets, counting reads.</summary>
    private sealed class ChangingSource : IOrderSource
    {
        private readonly Dictionary<string, Order> _orders = [];
        private int _reads;

        public string Name => "sp-api";

        public OrderIdFormat OrderIdFormat => KnownOrderIdFormats.AmazonOrderId;

        public int Reads => Volatile.Read(ref _reads);

        public void Set(string orderId, string status, DateTimeOffset lastUpdatedAt)
        {
            lock (_orders)
            {
                _orders[orderId] = new Order
                {
                    Source = Name,
                    OrderId = orderId,
                    Status = new ProviderValue<OrderStatus>(OrderStatus.Pending, status),
                    LastUpdatedAt = lastUpdatedAt,
                    RawPayload = RawPayload.FromElement(JsonDocument.Parse($$"""{"AmazonOrderId":"{{orderId}}","OrderStatus":"{{status}}"}""").RootElement),
                };
            }
        }

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            lock (_orders)
            {
                return _orders.TryGetValue(orderId, out var order)
                    ? Task.FromResult(order)
                    : throw new OrderNotFoundException($"No order {orderId}.", new OrderErrorContext(Name, orderId));
            }
        }
    }

    /// <summary>A queue: notices received until acknowledged, made visible again when the test says; failures on demand.</summary>
    private sealed class ScriptedChannel : IOrderNotificationChannel
    {
        private readonly Lock _lock = new();
        private readonly List<OrderNotice> _visible = [];
        private readonly List<OrderNotice> _inFlight = [];

        public string Source => "sp-api";

        public string Address => "https://sqs.us-east-1.amazonaws.com/123456789012/orders";

        public int ReceiveFailures { get; set; }

        public bool WaitWhenEmpty { get; set; }

        public int AcknowledgeFailures { get; set; }

        public List<string> Acknowledged { get; } = [];

        public int Pending
        {
            get
            {
                lock (_lock)
                {
                    return _visible.Count + _inFlight.Count;
                }
            }
        }

        public void Send(OrderNotice notice)
        {
            lock (_lock)
            {
                _visible.Add(notice);
            }
        }

        public void RedeliverUnacknowledged()
        {
            lock (_lock)
            {
                _visible.AddRange(_inFlight.Select(n => n with { Receipt = $"receipt-{n.NotificationId}-{Guid.NewGuid():N}", DeliveryCount = (n.DeliveryCount ?? 1) + 1 }));
                _inFlight.Clear();
            }
        }

        public async Task<IReadOnlyList<OrderNotice>> ReceiveAsync(int maxCount, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                if (ReceiveFailures > 0)
                {
                    ReceiveFailures--;
                    throw new OrderSourceUnavailableException("The queue cannot be reached.", new OrderErrorContext(Source));
                }

                if (_visible.Count > 0)
                {
                    var taken = _visible.Take(maxCount).ToArray();
                    _visible.RemoveRange(0, taken.Length);
                    _inFlight.AddRange(taken);
                    return taken;
                }
            }

            // A long poll that brings nothing ends after its wait: at once, or when the follower is stopped.
            if (WaitWhenEmpty)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return [];
        }

        public Task AcknowledgeAsync(OrderNotice notice, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                if (AcknowledgeFailures > 0)
                {
                    AcknowledgeFailures--;
                    throw new OrderSourceUnavailableException("The queue cannot be reached.", new OrderErrorContext(Source));
                }

                _inFlight.RemoveAll(n => n.Receipt == notice.Receipt).ShouldBe(1, "a receipt of a delivery in flight");
                Acknowledged.Add(notice.NotificationId);
                return Task.CompletedTask;
            }
        }
    }
}
