using System.Text.Json;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>A long run keeps the write-ahead log bounded: SQLite checkpoints it back into the database as it goes.</summary>
public sealed class WalGrowthTests : IDisposable
{
    private const int PayloadBytes = 30_000;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Run_KeepsTheWalBounded_WhileItReadsItsPendingReferences()
    {
        const int orders = 6000;
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var sync = new OrderSync(new OrderLookup([new BulkySource()]), store);
        await sync.AddReferencesAsync("bulky", Enumerable.Range(0, orders).Select(i => new OrderReference("bulky", $"111-{i:D7}-0000000")));
        var largestWal = 0L;
        var probe = new Probe(() => largestWal = Math.Max(largestWal, File.Exists(_database.Path + "-wal") ? new FileInfo(_database.Path + "-wal").Length : 0));

        var result = await sync.RunAsync("bulky", new OrderSyncOptions { BatchSize = 100 }, probe);

        result.Inserted.ShouldBe(orders);
        var written = (long)orders * PayloadBytes;
        largestWal.ShouldBeGreaterThan(0, "the probe saw the log");
        // The store checkpoints each time the log holds 64 MiB of pages and cuts the log back to 64 MiB: past that, a
        // log that kept growing would hold everything written (over 170 MiB here), a bounded one that much and one
        // batch more.
        const long bound = (64L + 16) * 1024 * 1024;
        written.ShouldBeGreaterThan(2 * bound);
        largestWal.ShouldBeLessThan(bound, $"{written / (1024 * 1024)} MiB written; the log held {largestWal / (1024 * 1024)} MiB at most");
    }

    private sealed class Probe(Action observe) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => observe();
    }

    /// <summary>A source that answers every id at once with an order carrying a large raw payload.</summary>
    private sealed class BulkySource : IOrderSource
    {
        private static readonly string Filler = new('x', PayloadBytes);

        public string Name => "bulky";

        public OrderIdFormat OrderIdFormat => KnownOrderIdFormats.AmazonOrderId;

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
            Task.FromResult(new Order
            {
                Source = Name,
                OrderId = orderId,
                Status = new ProviderValue<OrderStatus>(OrderStatus.Pending, "Pending"),
                RawPayload = RawPayload.FromElement(JsonDocument.Parse($$"""{"id":"{{orderId}}","filler":"{{Filler}}"}""").RootElement),
            });
    }
}
