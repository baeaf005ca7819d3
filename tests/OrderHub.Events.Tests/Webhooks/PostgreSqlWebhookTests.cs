using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Events;
using OrderHub.Storage.PostgreSql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Events.Tests.Webhooks;

/// <summary>One throwaway PostgreSQL cluster for the webhook tests; each test takes a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServerFixture>
{
    public const string Name = "PostgreSQL";
}

/// <summary>Webhooks from the PostgreSQL store's change log, while two stores (as two processes) write the same orders.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlWebhookTests(PostgreSqlServerFixture postgres)
{
    private const int WritesPerWriter = 150;
    private const int Orders = 10;

    [Fact]
    public async Task TwoWritersAndAReceiverOutage_TheReceiverEndsWithEveryChangeOnce_AndTheStoresContent()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlOrderStore.OpenAsync(database);
        await using var second = await PostgreSqlOrderStore.OpenAsync(database);
        await using var delivering = await PostgreSqlOrderStore.OpenAsync(database);
        await using var receiver = await WebhookReceiver.StartAsync();

        // An outage in the middle: six answers of 503, then the receiver is back.
        receiver.Answer = r => r.Index is >= 40 and < 46 ? 503 : 200;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IOrderChangeLog>(delivering);
        builder.Services.AddOrderHubWebhooks(o => o.Subscriptions["erp"] = new WebhookSubscriptionOptions
        {
            Url = receiver.Url,
            Secret = WebhookReceiver.Secret,
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        });
        using var host = builder.Build();
        await host.StartAsync();

        var writers = new[] { first, second };
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            for (var k = 0; k < WritesPerWriter; k++)
            {
                var order = OrderStoreContractTests.SampleOrder($"oo-{k % Orders:D17}", $"STEP_{w}_{k}") with
                {
                    LastUpdatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds((k * 2) + w),
                };
                await store.UpsertAsync(order);
            }
        })));

        var logged = new List<OrderChange>();
        var page = await first.ReadAsync(0, IOrderChangeLog.MaxReadLimit);
        logged.AddRange(page.Changes);
        logged.Count.ShouldBeGreaterThan(Orders * 2, "both writers' updates were logged");
        await Eventually.TrueAsync(() => receiver.Accepted.Count >= logged.Count, "every logged change reached the receiver", TimeSpan.FromSeconds(60));
        await host.StopAsync();

        var accepted = receiver.Accepted;
        accepted.Select(r => r.Position).ShouldBe(logged.Select(c => c.Position), "every change once, in commit order");
        receiver.Received.Count(r => r.Status == 503).ShouldBe(6);
        accepted.ShouldAllBe(r => r.VerificationProblem == null);
        var latest = accepted.GroupBy(r => r.Subject).ToDictionary(g => g.Key, g => g.Last().Event.GetProperty("data").GetProperty("status").GetProperty("raw").GetString());
        latest.Count.ShouldBe(Orders);
        foreach (var (orderId, raw) in latest)
        {
            var stored = await first.GetAsync("outposts", orderId);
            System.Text.Json.JsonSerializer.Deserialize<Order>(stored!.Json, OrderHub.Json.OrderJson.Options)!.Status.Raw.ShouldBe(raw);
        }
    }
}
