using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Events;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using StandardWebhooks;
using Xunit;

namespace OrderHub.Events.Tests.Webhooks;

public sealed class WebhookDelivererTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orderhub-webhooks-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly List<IHost> _hosts = [];
    private SqliteOrderStore _store = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteOrderStore.OpenAsync(Path.Combine(_directory, "orders.db"));
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await _receiver.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static Order Placed(string id, OrderStatus status = OrderStatus.Pending, string source = "outposts") => OrderStoreContractTests.SampleOrder(id) with
    {
        Source = source,
        Status = new ProviderValue<OrderStatus>(status, status.ToString().ToUpperInvariant()),
        LastUpdatedAt = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero).AddMinutes((int)status),
        Shipping = new OrderShipping { Address = new PostalAddress { Name = "Jane Buyer", AddressLine1 = "1 Main Street", City = "Seattle" } },
    };

    private WebhookSubscriptionOptions Subscription(Uri? url = null, Action<WebhookSubscriptionOptions>? configure = null)
    {
        var subscription = new WebhookSubscriptionOptions { Url = url ?? _receiver.Url, Secret = WebhookReceiver.Secret };
        configure?.Invoke(subscription);
        return subscription;
    }

    /// <summary>Starts the deliverer as an application does: through <c>AddOrderHubWebhooks</c>, over the store's change log.</summary>
    private Task<IHost> StartAsync(TimeProvider clock, params (string Name, WebhookSubscriptionOptions Settings)[] subscriptions) =>
        StartAsync(clock, _store, subscriptions);

    private async Task<IHost> StartAsync(TimeProvider clock, IOrderChangeLog changeLog, params (string Name, WebhookSubscriptionOptions Settings)[] subscriptions)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddSingleton(changeLog);
        builder.Services.AddSingleton(clock);
        builder.Services.AddOrderHubWebhooks(options =>
        {
            foreach (var (name, settings) in subscriptions)
            {
                options.Subscriptions[name] = settings;
            }
        });
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    private Task ReceivedAsync(int count, string because) =>
        Eventually.TrueAsync(() => _receiver.Received.Count >= count, because);

    [Fact]
    public async Task EveryChange_IsDelivered_InOrder_SignedSoThatTheStandardWebhooksVerifierAcceptsIt()
    {
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        await _store.UpsertAsync(Placed("oo-00000000000000002"));
        await StartAsync(TimeProvider.System, ("erp", Subscription()));
        await _store.UpsertAsync(Placed("oo-00000000000000001", OrderStatus.Shipped));

        await ReceivedAsync(3, "the two changes stored before the start and the one after it arrived");

        var received = _receiver.Received;
        received.Count.ShouldBe(3);
        received.ShouldAllBe(r => r.VerificationProblem == null);
        received.Select(r => r.Subject).ShouldBe(["oo-00000000000000001", "oo-00000000000000002", "oo-00000000000000001"]);
        received.Select(r => r.Type).ShouldBe(["orderhub.order.created", "orderhub.order.created", "orderhub.order.updated"]);
        received[2].OrderStatus.ShouldBe("Shipped");
        received.Select(r => r.Id).ShouldBe(received.Select(r => $"msg_{r.Position}"));
        received.Select(r => r.Position).ShouldBeInOrder(SortDirection.Ascending);
        received[0].ContentType.ShouldBe("application/cloudevents+json");
        await Eventually.TrueAsync(async () => await _store.GetConsumerPositionAsync("webhook:erp") == received[2].Position, "the position was stored after the page");
    }

    [Fact]
    public async Task AReceiverThatAnswers500ThreeTimes_GetsTheSameIdAgain_UntilItAnswers200_AndThenTheNextChange()
    {
        var clock = new TimerWatch(new FakeTimeProvider(DateTimeOffset.UtcNow));
        _receiver.Answer = r => r.Index < 3 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        await _store.UpsertAsync(Placed("oo-00000000000000002"));
        var outcomes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var metrics = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Meter.Name: "OrderHub", Name: "orderhub.webhook.attempts" })
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metrics.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var all = tags.ToArray();
            if (all.Any(t => t is { Key: "orderhub.webhook.subscription", Value: "retried" }))
            {
                outcomes.Enqueue((string)all.Single(t => t.Key == "orderhub.webhook.outcome").Value!);
            }
        });
        metrics.Start();
        await StartAsync(clock, ("retried", Subscription(configure: s => s.AttemptTimeout = TimeSpan.FromHours(1))));

        // Only the retry waits are stepped over: the attempt's hour-long timeout is never reached.
        await clock.AdvanceUntilAsync(() => _receiver.Received.Count >= 5, "the failed change was sent again until accepted, then the next one", readyToAdvance: () => clock.NextDue - clock.GetUtcNow() < TimeSpan.FromMinutes(5));

        var received = _receiver.Received;
        received.Take(4).Select(r => r.Id).Distinct().ShouldHaveSingleItem("a retry keeps its webhook-id");
        received.Select(r => r.Status).ShouldBe([500, 500, 500, 200, 200]);
        received[4].Subject.ShouldBe("oo-00000000000000002");
        received.ShouldAllBe(r => r.VerificationProblem == null);
        received.Select(r => r.Signature).Take(4).Distinct().Count().ShouldBeGreaterThan(1);
        _logs.Lines.Count(l => l.Contains("answered 500", StringComparison.Ordinal)).ShouldBe(3);
        await Eventually.TrueAsync(() => outcomes.Count == 5, "every attempt was counted");
        outcomes.ShouldBe(["failed", "failed", "failed", "delivered", "delivered"]);
    }

    [Fact]
    public async Task AReceiverThatNeverAnswers_DelaysNoOtherSubscription_AndItsAttemptsTimeOut()
    {
        var attempts = 0;
        await using var silent = await LoopbackServer.StartAsync(app => app.Run(async http =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }));
        var clock = new TimerWatch(new FakeTimeProvider(DateTimeOffset.UtcNow));
        for (var i = 1; i <= 5; i++)
        {
            await _store.UpsertAsync(Placed($"oo-0000000000000000{i}"));
        }

        var host = await StartAsync(clock, ("dead", Subscription(new Uri(silent.BaseAddress, "hooks"))), ("erp", Subscription()));

        // The clock stands still: the silent receiver's first attempt hangs, and the other subscription goes on.
        await ReceivedAsync(5, "every change reached the receiver that answers");
        Volatile.Read(ref attempts).ShouldBe(1);

        await clock.AdvanceUntilAsync(() => Volatile.Read(ref attempts) >= 3, "the silent receiver's attempts timed out and were made again", readyToAdvance: () => true);
        _logs.Lines.ShouldContain(l => l.Contains("no answer within 10 s", StringComparison.Ordinal));
        _receiver.Received.Count.ShouldBe(5, "nothing was sent twice to the receiver that answers");
        await host.StopAsync(); // the attempt in flight ends before the silent server stops
    }

    [Fact]
    public async Task ARedirect_IsNotFollowed_ButRetriedAtTheConfiguredUrl()
    {
        var clock = new TimerWatch(new FakeTimeProvider(DateTimeOffset.UtcNow));
        await using var elsewhere = await WebhookReceiver.StartAsync();
        _receiver.Answer = r => r.Index == 0 ? StatusCodes.Status307TemporaryRedirect : StatusCodes.Status200OK;
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        await StartAsync(clock, ("erp", Subscription(configure: s => s.AttemptTimeout = TimeSpan.FromHours(1))));

        await clock.AdvanceUntilAsync(() => _receiver.Received.Count >= 2, "the redirected attempt was made again at the same URL", readyToAdvance: () => clock.NextDue - clock.GetUtcNow() < TimeSpan.FromMinutes(5));

        _receiver.Received.Select(r => r.Status).ShouldBe([307, 200]);
        _logs.Lines.ShouldContain(l => l.Contains("answered 307, a redirect, which is not followed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFilteredSubscription_GetsOnlyTheChangesItSelects()
    {
        await StartAsync(TimeProvider.System, ("shipped-sp", Subscription(configure: s =>
        {
            s.Sources.Add("sp-api");
            s.Statuses.Add("shipped");
            s.EventTypes.Add(OrderChangeEvents.UpdatedType);
            s.Accounts.Add("op-0123456789abcdef0");
        })));
        await _store.UpsertAsync(Placed("111-0000000-0000001", source: "sp-api"));                         // created: not selected
        await _store.UpsertAsync(Placed("oo-00000000000000001", OrderStatus.Pending));                     // another source
        await _store.UpsertAsync(Placed("oo-00000000000000001", OrderStatus.Shipped));                     // another source
        await _store.UpsertAsync(Placed("111-0000000-0000001", OrderStatus.InProgress, source: "sp-api"));  // another status
        await _store.UpsertAsync(Placed("111-0000000-0000001", OrderStatus.Shipped, source: "sp-api") with { AccountId = "ATVPDKIKX0DER" }); // another account
        await _store.UpsertAsync(Placed("111-0000000-0000002", source: "sp-api"));
        await _store.UpsertAsync(Placed("111-0000000-0000002", OrderStatus.Shipped, source: "sp-api"));   // selected

        await ReceivedAsync(1, "the one selected change arrived");

        // Delivered in log order: had an earlier change been selected, it would have arrived before this one.
        var received = _receiver.Received.ShouldHaveSingleItem();
        received.Subject.ShouldBe("111-0000000-0000002");
        received.Type.ShouldBe(OrderChangeEvents.UpdatedType);
        received.Position.ShouldBe((await _store.ReadAsync(0, 100)).LastPosition);
    }

    [Fact]
    public async Task PastTheRetryHorizon_TheSubscriptionIsMarkedFailingInTheStore_AndTheFirstSuccessClearsIt()
    {
        var clock = new TimerWatch(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var down = true;
        _receiver.Answer = _ => Volatile.Read(ref down) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        await _store.UpsertAsync(Placed("oo-00000000000000002"));
        await StartAsync(clock, ("erp", Subscription(configure: s =>
        {
            s.AttemptTimeout = TimeSpan.FromHours(1);
            s.RetryHorizon = TimeSpan.FromMinutes(30);
            s.MaxRetryDelay = TimeSpan.FromMinutes(2);
        })));
        var started = clock.GetUtcNow();

        OrderChangeConsumer? consumer = null;
        await clock.AdvanceUntilAsync(
            () => (consumer = _store.GetConsumersAsync().GetAwaiter().GetResult().SingleOrDefault())?.FailingSince is not null,
            "the subscription was marked failing",
            readyToAdvance: () => clock.NextDue - clock.GetUtcNow() <= TimeSpan.FromMinutes(2));

        (clock.GetUtcNow() - started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(30));
        consumer!.Failure!.ShouldContain("answered 503");
        consumer.Failure!.ShouldNotContain(WebhookReceiver.Secret);
        consumer.Failure!.ShouldNotContain("do-not-log-me");
        var before = _receiver.Received.Count;
        before.ShouldBeGreaterThan(10, "retries went on at most two minutes apart");
        await clock.AdvanceUntilAsync(() => _receiver.Received.Count > before, "delivery went on past the horizon", readyToAdvance: () => clock.NextDue - clock.GetUtcNow() <= TimeSpan.FromMinutes(2));
        _receiver.Received.Select(r => r.Subject).Distinct().ShouldHaveSingleItem("the backlog waits behind the failing change");

        Volatile.Write(ref down, false);
        await clock.AdvanceUntilAsync(() => _receiver.Accepted.Count == 2, "the backlog was delivered once the receiver answered", readyToAdvance: () => clock.NextDue - clock.GetUtcNow() <= TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(async () => (await _store.GetConsumersAsync()).Single().FailingSince is null, "the failing mark was cleared");
    }

    [Fact]
    public async Task NeitherTheSecret_NorTheUrlsPathOrQuery_NorPersonalData_ReachTheLogsOrThePayload()
    {
        var clock = new TimerWatch(new FakeTimeProvider(DateTimeOffset.UtcNow));
        _receiver.Answer = r => r.Index == 0 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        var host = await StartAsync(clock, ("erp", Subscription(configure: s => s.AttemptTimeout = TimeSpan.FromHours(1))));

        await clock.AdvanceUntilAsync(() => _receiver.Accepted.Count == 1, "the change was delivered after one failure", readyToAdvance: () => clock.NextDue - clock.GetUtcNow() < TimeSpan.FromMinutes(5));

        var logged = string.Join('\n', _logs.Lines);
        logged.ShouldContain("answered 500");
        logged.ShouldContain("127.0.0.1", Case.Sensitive, "the receiver's host is named");
        var secretBase64 = WebhookReceiver.Secret["whsec_".Length..];
        foreach (var text in new[] { logged, host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.Subscriptions["erp"].ToString() })
        {
            text.ShouldNotContain(secretBase64);
            text.ShouldNotContain("orders-7f3a");
            text.ShouldNotContain("do-not-log-me");
            text.ShouldNotContain("Jane");
        }

        var body = _receiver.Accepted.Single().Body;
        body.ShouldContain("oo-00000000000000001");
        body.ShouldNotContain("Jane");
        body.ShouldNotContain("Main Street");
        body.ShouldNotContain("Seattle");
    }

    [Fact]
    public async Task AReplay_StoredWhileTheDelivererRuns_SendsTheChangesAfterItAgain_WithTheirIds()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _store.UpsertAsync(Placed($"oo-0000000000000000{i}"));
        }

        await StartAsync(TimeProvider.System, ("erp", Subscription()));
        await ReceivedAsync(3, "the three changes arrived");
        var first = _receiver.Received;
        await Eventually.TrueAsync(async () => await _store.GetConsumerPositionAsync("webhook:erp") == first[2].Position, "the position was stored");

        await _store.SetConsumerPositionAsync("webhook:erp", first[0].Position);

        await ReceivedAsync(5, "the changes after the replayed position arrived again");
        _receiver.Received.Skip(3).Select(r => r.Id).ShouldBe([first[1].Id, first[2].Id]);
        _receiver.Accepted.Count.ShouldBe(3, "a receiver that deduplicates on webhook-id keeps each change once");
    }

    [Fact]
    public async Task AReplay_StoredBetweenTheDeliverersCheckAndItsWrite_IsNotOverwritten()
    {
        for (var i = 1; i <= 3; i++)
        {
            await _store.UpsertAsync(Placed($"oo-0000000000000000{i}"));
        }

        var positions = (await _store.ReadAsync(0, 10)).Changes.Select(c => c.Position).ToArray();

        // Right after the deliverer's check of its stored position (which follows its first page), a replay from
        // the second change is stored: the deliverer's write of the page's end must not replace it.
        var changeLog = new ChangeLogWithHook(_store, afterPositionRead: () => _store.SetConsumerPositionAsync("webhook:erp", positions[0]));
        await StartAsync(TimeProvider.System, changeLog, ("erp", Subscription()));

        await ReceivedAsync(5, "the page, then the changes after the replayed position again");
        _receiver.Received.Skip(3).Select(r => r.Id).ShouldBe([$"msg_{positions[1]}", $"msg_{positions[2]}"]);
        await Eventually.TrueAsync(async () => await _store.GetConsumerPositionAsync("webhook:erp") == positions[2], "the replay was delivered to the end");
    }

    [Fact]
    public async Task TheSignature_IsStandardWebhooksOwn_OverTheIdTheTimestampAndTheBody()
    {
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        await StartAsync(TimeProvider.System, ("erp", Subscription()));
        await ReceivedAsync(1, "the change arrived");

        var received = _receiver.Received.Single();
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(received.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
        received.Signature.ShouldBe(new StandardWebhook(WebhookReceiver.Secret).Sign(received.Id, timestamp, received.Body));
        received.Signature.ShouldStartWith("v1,");
        var tampered = new HeaderDictionary { ["webhook-id"] = received.Id, ["webhook-timestamp"] = received.Timestamp, ["webhook-signature"] = received.Signature };
        Should.Throw<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => new StandardWebhook(WebhookReceiver.Secret).Verify(received.Body.Replace("created", "updated", StringComparison.Ordinal), tampered));
    }
}

/// <summary>A change log that runs a hook once, right after the first read of a consumer's position returns.</summary>
internal sealed class ChangeLogWithHook(IOrderChangeLog inner, Func<Task> afterPositionRead) : IOrderChangeLog
{
    private int _fired;

    public async Task<long?> GetConsumerPositionAsync(string name, CancellationToken cancellationToken = default)
    {
        var position = await inner.GetConsumerPositionAsync(name, cancellationToken);
        if (Interlocked.Exchange(ref _fired, 1) == 0)
        {
            await afterPositionRead();
        }

        return position;
    }

    public Task<OrderChangeLogPage> ReadAsync(long after, int limit, CancellationToken cancellationToken = default) => inner.ReadAsync(after, limit, cancellationToken);

    public Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitAsync(after, timeout, cancellationToken);

    public Task<long> PruneAsync(CancellationToken cancellationToken = default) => inner.PruneAsync(cancellationToken);

    public Task SetConsumerPositionAsync(string name, long position, CancellationToken cancellationToken = default) => inner.SetConsumerPositionAsync(name, position, cancellationToken);

    public Task<bool> AdvanceConsumerPositionAsync(string name, long expected, long position, CancellationToken cancellationToken = default) => inner.AdvanceConsumerPositionAsync(name, expected, position, cancellationToken);

    public Task<IReadOnlyList<OrderChangeConsumer>> GetConsumersAsync(CancellationToken cancellationToken = default) => inner.GetConsumersAsync(cancellationToken);

    public Task<bool> SetConsumerFailureAsync(string name, string? failure, CancellationToken cancellationToken = default) => inner.SetConsumerFailureAsync(name, failure, cancellationToken);
}
