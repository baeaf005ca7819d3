using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync;

/// <summary>What <c>AddOrderHubSync()</c> builds the incremental sync from: the registered cursor store, never a cast of the order store.</summary>
public sealed class IncrementalOrderSyncRegistrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task IncrementalSync_KeepsItsCursorsInTheRegisteredCursorStore()
    {
        var time = new FakeTimeProvider(Now);
        var feed = new ScriptedChangeFeed(time).Put("100-0000000-0000001", Now.AddDays(-1));
        var cursors = new InMemoryOrderStore(time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(new OrderLookup([feed]));

        // An order store that keeps no cursors, beside a cursor store registered on its own.
        services.AddSingleton<IOrderStore>(new FailingOrderStore(new InMemoryOrderStore(time)));
        services.AddSingleton<ISyncCursorStore>(cursors);
        services.AddOrderHubSync();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IncrementalOrderSync>().RunAsync(new IncrementalSyncRequest { Source = "feed", Since = Now.AddDays(-7) });

        result.Inserted.ShouldBe(1);
        (await cursors.GetCursorAsync("feed", "all")).ShouldNotBeNull().CompletedThrough.ShouldNotBeNull();
        cursors.OrderCount.ShouldBe(1, "a change feed's pages are stored with their cursor");
    }

    [Fact]
    public async Task IncrementalSync_WithoutACursorStore_SaysWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new OrderLookup([]));
        services.AddSingleton<IOrderStore>(new FailingOrderStore(new InMemoryOrderStore()));
        services.AddOrderHubSync();
        await using var provider = services.BuildServiceProvider();

        var error = Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<IncrementalOrderSync>());

        error.Message.ShouldContain(nameof(ISyncCursorStore));
        error.Message.ShouldContain("AddSqliteOrderStore");
        provider.GetRequiredService<OrderSync>().ShouldNotBeNull("the sync by ids needs no cursors");
    }
}
