using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using OrderHub.Testing;
using OrderHub.Tests.Sources;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync.Backfill;

/// <summary>What the backfill refuses before it reads anything, and how <c>AddOrderHubSync()</c> offers it.</summary>
public sealed class OrderBackfillTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public async Task SourceWithoutExports_IsRefusedInOneLine_NamingTheSourcesThatHave()
    {
        var store = new InMemoryOrderStore(_time);
        var exports = new ScriptedBackfillSource(_time);
        var outposts = new InMemoryOrderSource("outposts", InMemoryOrderSource.OutpostsStyle);
        var backfill = new OrderBackfill(new OrderLookup([outposts, exports]), store, _time);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => backfill.RunAsync(new OrderBackfillRequest { Source = "outposts", Start = Now.AddDays(-30) }));

        error.Message.ShouldBe("The source 'outposts' has no bulk exports, so it cannot be backfilled; the configured source that has is reports. Read its history through its orders instead (--since).");
        error.ParameterName.ShouldBe("Source");
        (await store.GetCursorAsync("outposts", "all")).ShouldBeNull();
        Should.Throw<InvalidOrderRequestException>(() => new OrderBackfill(new OrderLookup([outposts]), store, _time).Validate(new OrderBackfillRequest { Source = "outposts", Start = Now.AddDays(-30) }))
            .Message.ShouldContain("no configured source has");
    }

    [Fact]
    public void StartWithinTheDataLag_HasNothingToExport_AndIsRefused()
    {
        var exports = new ScriptedBackfillSource(_time);
        var backfill = new OrderBackfill(new OrderLookup([exports]), new InMemoryOrderStore(_time), _time);

        var error = Should.Throw<InvalidOrderRequestException>(() => backfill.Validate(new OrderBackfillRequest { Source = "reports", Start = Now.AddMinutes(-10) }));

        error.Message.ShouldContain("its exports end 30 min before now, at 2026-11-23T11:30:00Z");
        exports.Requested.ShouldBeEmpty();
    }

    [Fact]
    public void Request_RefusesBatchSizesAndAttemptsOutOfRange()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new OrderBackfillRequest { Source = "reports", Start = Now, BatchSize = 0 });
        Should.Throw<ArgumentOutOfRangeException>(() => new OrderBackfillRequest { Source = "reports", Start = Now, FailedAttempts = 0 });
        Should.Throw<ArgumentException>(() => new OrderBackfillRequest { Source = "reports", Start = Now, Scope = " " });
    }

    [Fact]
    public async Task AddOrderHubSync_OffersTheBackfill_OverTheRegisteredCursorStore()
    {
        var watch = new TimerWatch(_time);
        var exports = new ScriptedBackfillSource(watch).Place("171-0000000-0000001", Now.AddDays(-3));
        var cursors = new InMemoryOrderStore(_time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(watch);
        services.AddSingleton(new OrderLookup([exports]));
        services.AddSingleton<IOrderStore>(cursors);
        services.AddSingleton<ISyncCursorStore>(cursors);
        services.AddOrderHubSync();
        await using var provider = services.BuildServiceProvider();

        var run = provider.GetRequiredService<OrderBackfill>().RunAsync(new OrderBackfillRequest { Source = "reports", Start = Now.AddDays(-7) });
        await watch.AdvanceUntilAsync(() => run.IsCompleted, "the backfill ended");
        var result = await run;

        result.Inserted.ShouldBe(1);
        cursors.OrderCount.ShouldBe(1);
        (await cursors.GetCursorAsync("reports", "all")).ShouldNotBeNull().CompletedThrough.ShouldBe(Now - TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task Backfill_WithoutACursorStore_SaysWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new OrderLookup([]));
        services.AddSingleton<IOrderStore>(new InMemoryOrderStore());
        services.AddOrderHubSync();
        await using var provider = services.BuildServiceProvider();

        var error = Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<OrderBackfill>());

        error.Message.ShouldContain("OrderBackfill keeps its cursors in an ISyncCursorStore");
    }
}
