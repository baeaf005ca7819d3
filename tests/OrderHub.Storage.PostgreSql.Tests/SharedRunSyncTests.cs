using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>Two <see cref="OrderSync"/> workers, each with its own store (as two processes have), running one run.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class SharedRunSyncTests(PostgreSqlServerFixture postgres)
{
    [Fact]
    public async Task TwoWorkers_StoreEachOrderOnce_AndReportTheWholeRun()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var options = new PostgreSqlOrderStoreOptions { LeaseBatchSize = 4, IdlePollInterval = TimeSpan.FromMilliseconds(50) };
        await using var first = await PostgreSqlOrderStore.OpenAsync(database, options);
        await using var second = await PostgreSqlOrderStore.OpenAsync(database, options);
        var source = new CountingSource();
        var ids = Enumerable.Range(1, 80).Select(i => $"oo-{i:D17}").ToArray();
        await new OrderSync(new OrderLookup([source]), first).AddReferencesAsync("run", ids.Select(id => new OrderReference("outposts", id)));
        var reports = new List<SyncProgress>();
        var progress = new SynchronousProgress(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        });

        var results = await Task.WhenAll(
            new OrderSync(new OrderLookup([source]), first).RunAsync("run", new OrderSyncOptions { MaxConcurrencyPerSource = 2, BatchSize = 4 }, progress),
            new OrderSync(new OrderLookup([source]), second).RunAsync("run", new OrderSyncOptions { MaxConcurrencyPerSource = 2, BatchSize = 4 }, progress));

        source.Reads.ShouldBe(80, "each order was read once, by one of the workers");
        (results[0].Inserted + results[1].Inserted).ShouldBe(80);
        results.ShouldAllBe(r => r.Inserted > 0, "both workers took a share");
        reports.Max(r => r.AlreadyDone + r.DoneElsewhere + r.Done).ShouldBe(80, "progress counts the whole run, the other worker's share included");
        reports.ShouldContain(r => r.Remaining == 0);
        (await first.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 80, 0));
    }

    private sealed class SynchronousProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    private sealed class CountingSource : IOrderSource
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string Name => "outposts";

        public OrderIdFormat OrderIdFormat => KnownOrderIdFormats.OutpostsOrderId;

        public async Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            await Task.Delay(2, cancellationToken);
            return OrderStoreContractTests.SampleOrder(orderId);
        }
    }
}
