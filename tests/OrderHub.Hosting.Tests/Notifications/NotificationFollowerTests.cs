using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.SellingPartner.Notifications;
using OrderHub.Hosting;
using OrderHub.SellingPartner;
using OrderHub.SellingPartner.Notifications;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Hosting.Tests.Notifications;

/// <summary>
/// The hosted follower with a Selling Partner source's ORDER_CHANGE queue, against the emulator (its Notifications API,
/// its SQS and its orders changing every second): changes reach the store through their notifications, duplicated and
/// reordered, while searchOrders stays the slower backup; with the queue down, the backup keeps the copy fresh.
/// </summary>
public sealed class NotificationFollowerTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-notices-").FullName;
    private EmulatorHost? _emulator;
    private AmazonSQSClient? _sqs;
    private string _queueUrl = null!;
    private TimeProvider? _clock;

    private string Database => Path.Combine(_folder, "orders.db");

    private EmulatorHost Emulator => _emulator!;

    public Task InitializeAsync() => Task.CompletedTask;

    private async Task StartEmulatorAsync(TimeSpan changeInterval, TimeProvider? clock = null)
    {
        _clock = clock;
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            SpOrderCount = 20,
            SpOrderChangeInterval = changeInterval,
            SpGetOrderRate = 100,
            SpGetOrderBurst = 100,
            SpSearchOrdersRate = 50,
            SpSearchOrdersBurst = 50,
            SpNotifications = { DuplicateRate = 0.5, ReorderWindow = TimeSpan.FromSeconds(2) },
            TimeProvider = clock,
        });
        _sqs = new AmazonSQSClient(
            new BasicAWSCredentials(Emulator.Outposts.Options.AwsAccessKeyId, Emulator.Outposts.Options.AwsSecretAccessKey),
            new AmazonSQSConfig { ServiceURL = Emulator.BaseAddress.ToString(), AuthenticationRegion = Emulator.Outposts.Options.AwsRegion });
        _queueUrl = (await _sqs!.CreateQueueAsync("sp-order-changes")).QueueUrl;
        var arn = (await _sqs!.GetQueueAttributesAsync(_queueUrl, ["QueueArn"])).QueueARN;
        await _sqs!.SetQueueAttributesAsync(_queueUrl, new Dictionary<string, string> { ["Policy"] = SellingPartnerNotifications.QueuePolicy(arn) });
    }

    public async Task DisposeAsync()
    {
        _sqs?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private IHost Worker(TimeSpan backupPollInterval)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (_clock is not null)
        {
            builder.Services.AddSingleton(_clock);
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Store:ConnectionString"] = Database,
            ["OrderHub:Follower:InitialLookback"] = "3650.00:00:00",
            ["OrderHub:Follower:BackupPollInterval"] = backupPollInterval.ToString(),
            ["OrderHub:Follower:RestartDelay"] = "00:00:00.200",
        });
        builder.Services.AddOrderHub().AddSellingPartner("sp-na", o =>
        {
            o.Endpoint = Emulator.BaseAddress;
            o.LwaEndpoint = Emulator.LwaEndpoint;
            o.ClientId = Emulator.SellingPartner.Options.ClientId;
            o.ClientSecret = Emulator.SellingPartner.Options.ClientSecret;
            o.RefreshToken = Emulator.SellingPartner.Options.RefreshTokens[0];
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.SearchOrdersPermitsPerSecond = 50;
            o.SearchOrdersBurst = 50;
            o.GetOrderPermitsPerSecond = 100;
            o.GetOrderBurst = 100;
        }).UseInProcessRateLimits();
        builder.Services.AddSellingPartnerOrderChangeQueue("sp-na", new Uri(_queueUrl), q =>
        {
            q.Credentials = new BasicAWSCredentials(Emulator.Outposts.Options.AwsAccessKeyId, Emulator.Outposts.Options.AwsSecretAccessKey);
            q.Region = Emulator.Outposts.Options.AwsRegion;
            q.WaitTime = TimeSpan.FromSeconds(1);
            q.VisibilityTimeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddOrderHubStore(builder.Configuration);
        builder.Services.AddOrderHubFollower();
        return builder.Build();
    }

    private async Task SubscribeAsync(IHost host) =>
        await host.Services.GetRequiredKeyedService<SellingPartnerOrderSource>("sp-na").Notifications.SetUpOrderChangesAsync(
            new OrderChangeSubscriptionRequest { QueueArn = (await _sqs!.GetQueueAttributesAsync(_queueUrl, ["QueueArn"])).QueueARN });

    // Whether the store holds every change the emulator made between two points: each order at least at the change's update.
    private async Task<bool> HoldsChangesAsync(IOrderStore store, DateTimeOffset since, int atLeast, DateTimeOffset? until = null)
    {
        var changes = Emulator.SellingPartner.Notifications.Changes.Where(c => c.AppliedAt >= since && c.AppliedAt <= (until ?? DateTimeOffset.MaxValue)).ToList();
        if (changes.Count < atLeast)
        {
            return false;
        }

        foreach (var change in changes)
        {
            if (await LastUpdateAsync(store, change.OrderId) is not { } stored || stored < change.LastUpdate)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<DateTimeOffset?> LastUpdateAsync(IOrderStore store, string orderId)
    {
        if (await store.GetAsync("sp-na", orderId) is not { } stored)
        {
            return null;
        }

        using var json = JsonDocument.Parse(stored.Json);
        return json.RootElement.TryGetProperty("lastUpdatedAt", out var value) ? value.GetDateTimeOffset() : null;
    }

    [Fact]
    public async Task Changes_ReachTheStoreThroughTheirNotifications_DuplicatedAndReordered_EachStoredOnce()
    {
        await StartEmulatorAsync(changeInterval: TimeSpan.FromSeconds(1));
        using var host = Worker(backupPollInterval: TimeSpan.FromHours(1));
        await SubscribeAsync(host);
        var subscribedAt = DateTimeOffset.UtcNow;
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IOrderStore>();
        var log = host.Services.GetRequiredService<IOrderChangeLog>();
        var follower = host.Services.GetRequiredService<OrderFollower>();
        await Eventually.TrueAsync(() => follower.Statuses.Single().State == OrderFollowerState.Following, "the first poll stored the orders", TimeSpan.FromSeconds(30));
        var pagesAfterFirstPoll = Emulator.SellingPartner.PagesAdmitted;
        var afterFirstPoll = (await log.ReadAsync(0, IOrderChangeLog.MaxReadLimit)).LastPosition;
        var since = DateTimeOffset.UtcNow;

        await Eventually.TrueAsync(() => HoldsChangesAsync(store, since, atLeast: 12), "six seconds of changes reached the store", TimeSpan.FromSeconds(60));
        await host.StopAsync();

        Emulator.SellingPartner.PagesAdmitted.ShouldBe(pagesAfterFirstPoll, "no poll since the first: the notifications kept the copy fresh");
        follower.Statuses.Single().Notices.ShouldBeGreaterThanOrEqualTo(12);
        // Each change stores one entry at most: a duplicate, or an older notice arriving after a newer one, stores none.
        var changesByOrder = Emulator.SellingPartner.Notifications.Changes.Where(c => c.AppliedAt >= subscribedAt).GroupBy(c => c.OrderId).ToDictionary(g => g.Key, g => g.Count());
        var entries = (await log.ReadAsync(afterFirstPoll, IOrderChangeLog.MaxReadLimit)).Changes;
        entries.ShouldNotBeEmpty();
        foreach (var order in entries.GroupBy(e => e.Reference.OrderId))
        {
            order.Count().ShouldBeLessThanOrEqualTo(changesByOrder.GetValueOrDefault(order.Key), $"the entries of {order.Key}");
        }
    }

    [Fact]
    public async Task WithTheQueueDown_TheBackupPollingKeepsTheCopyFresh_AndTheNoticesResumeAfter()
    {
        // searchOrders shows a change once it has settled, two minutes later: on a clock that runs 20 times as fast
        // (shared by the emulator and the worker), the backup's polls catch up in seconds.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var running = new CancellationTokenSource();
        var ticking = Task.Run(async () =>
        {
            while (!running.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        });
        await StartEmulatorAsync(changeInterval: TimeSpan.FromSeconds(20), clock);
        using var host = Worker(backupPollInterval: TimeSpan.FromSeconds(30));
        await SubscribeAsync(host);
        Emulator.Sqs.Unavailable = true;
        var since = clock.GetUtcNow();
        await host.StartAsync();
        var store = host.Services.GetRequiredService<IOrderStore>();
        var follower = host.Services.GetRequiredService<OrderFollower>();

        // The changes of the first three minutes: settled, and seen by a poll, once six have passed.
        await Eventually.TrueAsync(() => clock.GetUtcNow() > since.AddMinutes(6), "six minutes passed on the fast clock", TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => HoldsChangesAsync(store, since, atLeast: 16, until: since.AddMinutes(3)), "the polls stored the changes made while the queue was down", TimeSpan.FromSeconds(90));
        follower.Statuses.Single().Notices.ShouldBe(0);

        Emulator.Sqs.Unavailable = false;
        await Eventually.TrueAsync(() => follower.Statuses.Single().Notices > 0, "the notices resumed with the queue", TimeSpan.FromSeconds(60));
        await host.StopAsync();
        await running.CancelAsync();
        await ticking;
    }
}
