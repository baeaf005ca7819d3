using OrderHub.Sync;
using OrderHub.Tests.Sources;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Sync;

/// <summary>How a run ends when its store or an upstream keeps failing: promptly, with the cause, resumable.</summary>
public sealed class OrderSyncFailureTests
{
    // A safety net so a regression fails the test instead of hanging the suite; no assertion depends on it.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static string Id(int i) => $"111-{i:D7}-0000000";

    /// <summary>Answers from memory, or fails every read with an upstream error while <see cref="Down"/> is set.</summary>
    private sealed class FlakySource(InMemoryOrderSource inner) : IOrderSource
    {
        private int _reads;

        public bool Down { get; set; }

        public int Reads => Volatile.Read(ref _reads);

        public string Name => inner.Name;

        public OrderIdFormat OrderIdFormat => inner.OrderIdFormat;

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return Down
                ? Task.FromException<Order>(new OrderSourceUnavailableException("HTTP 503 after the source's retries.", new OrderErrorContext(Name, orderId, RequestId: "req-503")))
                : inner.GetOrderAsync(orderId, options, cancellationToken);
        }
    }

    private static InMemoryOrderSource Orders(int count)
    {
        var memory = new InMemoryOrderSource("sp-api", InMemoryOrderSource.ThreeSevenSeven);
        for (var i = 0; i < count; i++)
        {
            memory.Add(Id(i));
        }

        return memory;
    }

    [Fact]
    public async Task Run_StoreFailingOnCommit_EndsWithTheStoresError_KeepingWhatWasCommitted()
    {
        var store = new FailingOrderStore(new InMemoryOrderStore());
        var source = Orders(2000);
        var sync = new OrderSync(new OrderLookup([source]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 2000).Select(i => new OrderReference("sp-api", Id(i))));
        var failure = new OrderStoreException("The database 'orders.db' is locked by another process (SQLITE_BUSY).", "orders.db");
        var reports = 0;
        var progress = new SyncProgressCallback(_ =>
        {
            if (Interlocked.Increment(ref reports) == 2)
            {
                store.FailFromNowOn(failure);
            }
        });

        var error = await Should.ThrowAsync<OrderStoreException>(
            () => sync.RunAsync("run", new OrderSyncOptions { BatchSize = 20, MaxConcurrencyPerSource = 4 }, progress).WaitAsync(Hang));

        error.ShouldBeSameAs(failure);
        var counts = await store.CountRunAsync("run");
        counts.Done.ShouldBeGreaterThan(0, "what was committed before the failure stays committed");
        counts.Done.ShouldBe(store.Inner.OrderCount);
        counts.Pending.ShouldBe(2000 - counts.Done);
        source.Requests.ShouldBeLessThan(2000, "the run stops reading once its store is gone");
    }

    [Fact]
    public async Task Run_StoreFailing_ThenHealthyAgain_ResumesWithoutFetchingAnythingTwiceThatWasCommitted()
    {
        var store = new FailingOrderStore(new InMemoryOrderStore());
        var source = Orders(300);
        var sync = new OrderSync(new OrderLookup([source]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 300).Select(i => new OrderReference("sp-api", Id(i))));
        store.FailFromNowOn(new OrderStoreException("disk full", "orders.db"));

        await Should.ThrowAsync<OrderStoreException>(() => sync.RunAsync("run", new OrderSyncOptions { BatchSize = 10 }).WaitAsync(Hang));
        var healthy = new OrderSync(new OrderLookup([source]), store.Inner);
        var resumed = await healthy.RunAsync("run").WaitAsync(Hang);

        resumed.Inserted.ShouldBe(300);
        (await store.Inner.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 300, 0));
    }

    [Fact]
    public async Task Run_Cancelled_WhileTheStoreIsFailing_StillEnds()
    {
        var store = new FailingOrderStore(new InMemoryOrderStore());
        var sync = new OrderSync(new OrderLookup([Orders(500)]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 500).Select(i => new OrderReference("sp-api", Id(i))));
        store.FailFromNowOn(new OrderStoreException("read-only file", "orders.db"));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        // WaitAsync's own TimeoutException would mean the run hung: the run must end with the cancellation it was given.
        var error = await Should.ThrowAsync<OperationCanceledException>(() => sync.RunAsync("run", cancellationToken: cancel.Token).WaitAsync(Hang));

        error.CancellationToken.IsCancellationRequested.ShouldBeTrue("the run's own token, linked to the caller's, was cancelled");
    }

    [Fact]
    public async Task Run_ReadsEachOrderOnce_TheSourcesRetriesBeingTheOnlyOnes()
    {
        var source = new FlakySource(Orders(5)) { Down = true };
        var store = new InMemoryOrderStore();
        var sync = new OrderSync(new OrderLookup([source]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 5).Select(i => new OrderReference("sp-api", Id(i))));

        var result = await sync.RunAsync("run", new OrderSyncOptions { MaxConsecutiveFailuresPerSource = 100 });

        source.Reads.ShouldBe(5);
        result.Failed.ShouldBe(5);
        (await store.GetFailuresAsync("run")).ShouldAllBe(f => f.Attempts == 1 && !f.Permanent && f.RequestId == "req-503");
    }

    [Fact]
    public async Task Run_UpstreamFailingEveryRead_StopsSpendingTheQuotaAfterTheBudget_AndEndsWithAClearError_Resumable()
    {
        var source = new FlakySource(Orders(200)) { Down = true };
        var store = new InMemoryOrderStore();
        var sync = new OrderSync(new OrderLookup([source]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 200).Select(i => new OrderReference("sp-api", Id(i))));

        var error = await Should.ThrowAsync<OrderSyncHaltedException>(() =>
            sync.RunAsync("run", new OrderSyncOptions { MaxConcurrencyPerSource = 1, MaxConsecutiveFailuresPerSource = 10 }).WaitAsync(Hang));

        source.Reads.ShouldBe(10);
        error.Sources.ShouldBe(["sp-api"]);
        error.Message.ShouldContain("last 10 reads all failed");
        error.Message.ShouldContain("OrderSourceUnavailableException");
        (await store.CountRunAsync("run")).Pending.ShouldBe(200);

        source.Down = false;
        var resumed = await sync.RunAsync("run", new OrderSyncOptions { MaxConcurrencyPerSource = 1, MaxConsecutiveFailuresPerSource = 10 });
        resumed.Inserted.ShouldBe(200);
    }

    [Fact]
    public async Task Run_NotFoundOrders_DoNotCountAgainstTheFailureBudget()
    {
        var source = Orders(0);
        var store = new InMemoryOrderStore();
        var sync = new OrderSync(new OrderLookup([source]), store);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 50).Select(i => new OrderReference("sp-api", Id(i))));

        var result = await sync.RunAsync("run", new OrderSyncOptions { MaxConsecutiveFailuresPerSource = 5 });

        result.Failed.ShouldBe(50);
        source.Requests.ShouldBe(50);
    }

    private sealed class SyncProgressCallback(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}

/// <summary>The sync as registered in a container: the options given at registration are its runs' defaults.</summary>
public sealed class OrderSyncRegistrationTests
{
    [Fact]
    public async Task AddOrderHubSync_TheOptionsGiven_AreTheDefaultsOfEveryRun()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var source = new FailingSourceForRegistration();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IOrderSource>(services, source);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IOrderStore>(services, new InMemoryOrderStore());
        services.AddOrderHub();
        services.AddOrderHubSync(new OrderSyncOptions { MaxConcurrencyPerSource = 1, MaxConsecutiveFailuresPerSource = 3 });
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var sync = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OrderSync>(provider);
        await sync.AddReferencesAsync("run", Enumerable.Range(0, 10).Select(i => new OrderReference("down", $"111-{i:D7}-0000000")));

        await Should.ThrowAsync<OrderSyncHaltedException>(() => sync.RunAsync("run"));

        source.Reads.ShouldBe(3, "the registered failure budget of 3 applies");
    }

    private sealed class FailingSourceForRegistration : IOrderSource
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string Name => "down";

        public OrderIdFormat OrderIdFormat => InMemoryOrderSource.ThreeSevenSeven;

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromException<Order>(new OrderSourceUnavailableException("HTTP 503", new OrderErrorContext(Name, orderId)));
        }
    }
}
