using System.IO.Compression;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>A database an earlier release made is migrated on open: its change log starts empty, and logs from then on.</summary>
public sealed class SqliteChangeLogMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_DatabaseOfAnEarlierSchema_StartsAnEmptyChangeLog_ThenLogsItsOrdersChanges()
    {
        // The schema 5 database of the compact store's migration test: 46 orders, stored before the change log existed.
        await using (var fixture = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders-schema5.db.gz")), CompressionMode.Decompress))
        await using (var file = File.Create(_database.Path))
        {
            await fixture.CopyToAsync(file);
        }

        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        IOrderChangeLog log = store;

        (await log.ReadAsync(0, 100)).Changes.ShouldBeEmpty("orders stored before the change log are not replayed into it");

        var order = (await ((IOrderQuery)store).QueryAsync(new OrderQuery { PageSize = 1 })).Orders.Single();
        var existing = new OrderReference(order.Source, order.OrderId);
        var changed = order with { Status = new ProviderValue<OrderStatus>(OrderStatus.Cancelled, "CANCELLED"), LastUpdatedAt = (order.LastUpdatedAt ?? DateTimeOffset.UnixEpoch).AddDays(1) };
        (await store.UpsertAsync(changed)).ShouldBe(StoreOutcome.Updated);
        (await store.UpsertAsync(OrderStoreContractTests.SampleOrder("oo-0000000000000fff1"))).ShouldBe(StoreOutcome.Inserted);

        var changes = (await log.ReadAsync(0, 100)).Changes;
        changes.Select(c => (c.Reference, c.Kind)).ShouldBe([(existing, OrderChangeKind.Updated), (new OrderReference("outposts", "oo-0000000000000fff1"), OrderChangeKind.Created)]);
        changes[0].StatusBefore.ShouldBe(order.Status.Value);
        changes[0].StatusAfter.ShouldBe(OrderStatus.Cancelled);
    }
}
