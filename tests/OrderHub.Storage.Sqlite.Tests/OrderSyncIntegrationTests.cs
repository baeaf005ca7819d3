using System.Text.Json.Nodes;
using Amazon.Runtime;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts;
using OrderHub.SellingPartner;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>The whole sync: emulator over real sockets, both adapters, the SQLite store.</summary>
public sealed class OrderSyncIntegrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private (OrderLookup Lookup, SellingPartnerOrderSource Sp, OutpostsOrderSource Outposts) Sources(EmulatorHost emulator, double rate, int burst)
    {
        var sp = new SellingPartnerOrderSource(
            new SellingPartnerOrderSourceOptions
            {
                Endpoint = emulator.BaseAddress,
                LwaEndpoint = emulator.LwaEndpoint,
                ClientId = emulator.SellingPartner.Options.ClientId,
                ClientSecret = emulator.SellingPartner.Options.ClientSecret,
                RefreshToken = emulator.SellingPartner.Options.RefreshTokens[0],
                GetOrderPermitsPerSecond = rate,
                GetOrderBurst = burst,
                RetryBaseDelay = TimeSpan.FromMilliseconds(5),
                AttemptTimeout = TimeSpan.FromSeconds(5),
                OrdersApiVersion = SellingPartnerOrdersApi.V0,
            },

            // A rate-limit file of this test's own: the machine-wide one outlives test runs, and a reused emulator port
            // would meet a bucket an earlier emulator left there.
            rateLimits: new OrderHub.RateLimits.LocalFileQuotaStore(_database.Path + ".rate-limits.db"));
        var outposts = new OutpostsOrderSource(
            new OutpostsOrderSourceOptions
            {
                Region = "us-west-2",
                Endpoint = emulator.BaseAddress,
                Credentials = new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, emulator.Outposts.Options.AwsSecretAccessKey),
                RetryBaseDelay = TimeSpan.FromMilliseconds(5),
                MaxRetryAttempts = 4,
                AttemptTimeout = TimeSpan.FromSeconds(5),
            });
        return (new OrderLookup([sp, outposts]), sp, outposts);
    }

    [Fact]
    public async Task MixedSync_StoresEveryOrderOnce_AndASecondSyncCountsThemUnchanged()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 500, SpGetOrderBurst = 100, SpOrderCount = 60 });
        var (lookup, _, outposts) = Sources(emulator, 500, 100);
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var sync = new OrderSync(lookup, store);

        await sync.AddReferencesAsync("first", emulator.SellingPartner.OrderIds.Select(id => new OrderReference("sp-api", id)));
        await sync.AddEnumerationAsync("first", "outposts");
        var first = await sync.RunAsync("first");

        var expected = emulator.SellingPartner.OrderIds.Count + emulator.Outposts.OrderIds.Count;
        first.Total.ShouldBe(expected);
        first.Inserted.ShouldBe(expected);
        first.Failed.ShouldBe(0);
        first.Remaining.ShouldBe(0);
        var counts = await store.CountOrdersAsync();
        counts["sp-api"].ShouldBe(60);
        counts["outposts"].ShouldBe(emulator.Outposts.OrderIds.Count);

        await sync.AddReferencesAsync("second", emulator.SellingPartner.OrderIds.Take(10).Select(id => new OrderReference("sp-api", id)));
        var second = await sync.RunAsync("second");
        second.Unchanged.ShouldBe(10);
        outposts.Dispose();
    }

    [Fact]
    public async Task FailedOrders_AreRecorded_AndDoNotStopTheRun_PermanentOnesAreNotRetried()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 500, SpGetOrderBurst = 100, SpOrderCount = 5 });
        var (lookup, _, _) = Sources(emulator, 500, 100);
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var sync = new OrderSync(lookup, store);
        await sync.AddReferencesAsync("run", [.. emulator.SellingPartner.OrderIds.Select(id => new OrderReference("sp-api", id)), new("sp-api", "999-9999999-9999999"), new("shopify", "1234")]);

        var result = await sync.RunAsync("run");

        result.Inserted.ShouldBe(5);
        result.Failed.ShouldBe(2);
        var failures = await store.GetFailuresAsync("run");
        failures.Select(f => (f.Reference.OrderId, f.ErrorKind, f.Permanent)).ShouldBe(
        [
            ("999-9999999-9999999", "not_found", true),
            ("1234", "invalid_request", true),
        ]);
        failures[0].RequestId.ShouldNotBeNullOrEmpty();
        failures[0].Attempts.ShouldBe(1);
        var before = emulator.SellingPartner.GetOrderRequests;
        (await sync.RunAsync("run")).Done.ShouldBe(0);
        emulator.SellingPartner.GetOrderRequests.ShouldBe(before, "permanent failures are not fetched again");
    }

    [Fact]
    public async Task CancelledRun_ResumesWithOnlyWhatIsMissing_NoDuplicatesNoLoss()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 10, SpOrderCount = 80 });
        var (lookup, _, _) = Sources(emulator, 100, 10);
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var sync = new OrderSync(lookup, store);
        await sync.AddReferencesAsync("run", emulator.SellingPartner.OrderIds.Select(id => new OrderReference("sp-api", id)));
        using var cancel = new CancellationTokenSource();

        await Should.ThrowAsync<OperationCanceledException>(() => sync.RunAsync("run", progress: new SyncCallback(p =>
        {
            if (p.Done >= 20)
            {
                cancel.Cancel();
            }
        }), cancellationToken: cancel.Token));

        var afterCancel = await store.CountRunAsync("run");
        afterCancel.Done.ShouldBeGreaterThanOrEqualTo(20);
        afterCancel.Done.ShouldBeLessThan(80);

        // Reads are counted where they are made: a request the cancelled run had in flight may reach the emulator late.
        var counting = new CountingSource(lookup.GetSource("sp-api"));
        var resumed = await new OrderSync(new OrderLookup([counting]), store).RunAsync("run");

        resumed.AlreadyDone.ShouldBe(afterCancel.Done);
        resumed.Inserted.ShouldBe(80 - afterCancel.Done);
        counting.Reads.ShouldBe(afterCancel.Pending, "only what is missing is read");
        (await store.CountOrdersAsync())["sp-api"].ShouldBe(80);
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 80, 0));
    }

    [Fact]
    public async Task FaultInjectedRunOf2000Orders_StoresEveryOrderExactlyOnce_EqualToTheEmulator()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            SpGetOrderRate = 4000,
            SpGetOrderBurst = 200,
            SpOrderCount = 2000,
            Faults = { ServerErrorRate = 0.05, ThrottleRate = 0.02, TruncateRate = 0.02, DropRate = 0.01 },
        });
        var (lookup, _, _) = Sources(emulator, 4000, 200);
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var sync = new OrderSync(lookup, store);
        await sync.AddReferencesAsync("faulty", emulator.SellingPartner.OrderIds.Select(id => new OrderReference("sp-api", id)));

        var result = await sync.RunAsync("faulty", new OrderSyncOptions { MaxConcurrencyPerSource = 32 });

        emulator.SellingPartner.FaultsInjected.ShouldBeGreaterThan(100);
        result.Failed.ShouldBe(0, string.Join("; ", (await store.GetFailuresAsync("faulty")).Select(f => $"{f.ErrorKind}: {f.Reason}")));
        result.Inserted.ShouldBe(2000);
        (await store.CountOrdersAsync())["sp-api"].ShouldBe(2000);
        foreach (var id in emulator.SellingPartner.OrderIds)
        {
            var served = emulator.SellingPartner.GetOrderPayload(id);
            served.ShouldNotBeNull();
            var stored = await store.GetAsync("sp-api", id);
            var json = JsonNode.Parse(stored!.Json)!;
            JsonNode.DeepEquals(json["rawPayload"], served).ShouldBeTrue($"order {id} is stored as the emulator holds it");
        }
    }

    private sealed class SyncCallback(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    private sealed class CountingSource(IOrderSource inner) : IOrderSource
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string Name => inner.Name;

        public OrderIdFormat OrderIdFormat => inner.OrderIdFormat;

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return inner.GetOrderAsync(orderId, options, cancellationToken);
        }
    }
}
