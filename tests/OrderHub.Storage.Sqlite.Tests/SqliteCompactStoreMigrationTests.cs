using System.Globalization;
using System.IO.Compression;
using Microsoft.Data.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>
/// A database the release before the compact store made (schema 5) is migrated on open: every order's two JSON views
/// come back byte for byte from the one compressed document that replaces them.
/// </summary>
public sealed class SqliteCompactStoreMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_DatabaseMadeAtVersion5_KeepsBothViewsOfEveryOrderByteForByte_InAFifthOfTheSpace()
    {
        // Made by `orderhub demo --db orders.db --sp-orders 8` at schema 5: 8 Selling Partner orders read through the
        // Orders API 2026-01-01 and 38 Outposts orders, as that release synced them from the emulator.
        await using (var fixture = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders-schema5.db.gz")), CompressionMode.Decompress))
        await using (var file = File.Create(_database.Path))
        {
            await fixture.CopyToAsync(file);
        }

        var before = new Dictionary<OrderReference, (byte[] Json, byte[] PublicJson, string Hash)>();
        long bytesBefore;
        await using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(version) FROM schema_version";
            Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture).ShouldBe(5, "the fixture is of the schema before");
            command.CommandText = "SELECT source, order_id, json, public_json, content_hash FROM orders";
            using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    before[new OrderReference(reader.GetString(0), reader.GetString(1))] = ((byte[])reader[2], (byte[])reader[3], reader.GetString(4));
                }
            }

            command.CommandText = "SELECT SUM(length(json) + length(public_json)) FROM orders";
            bytesBefore = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        before.Count.ShouldBe(46);

        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);

        foreach (var (reference, was) in before)
        {
            var stored = await store.GetAsync(reference.Source, reference.OrderId);
            stored.ShouldNotBeNull();
            stored.Json.ShouldBe(was.Json, $"{reference}: the full JSON, raw payload included, as it was");
            stored.PublicJson.ShouldBe(was.PublicJson, $"{reference}: the public JSON as it was");
            stored.ContentHash.ShouldBe(was.Hash, "an unchanged order stays unchanged for the next sync");
            (await store.GetPublicAsync(reference.Source, reference.OrderId))!.PublicJson.ShouldBe(was.PublicJson);
        }

        var listed = new List<StoredPublicOrder>();
        await foreach (var item in ((IOrderQuery)store).QueryAllAsync(new OrderQuery()))
        {
            listed.Add(item);
        }

        listed.Count.ShouldBe(before.Count);
        foreach (var item in listed)
        {
            item.PublicJson.ShouldBe(before[item.Reference].PublicJson, $"{item.Reference}: the query's page holds the public JSON as it was");
        }

        await using var check = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await check.OpenAsync();
        using var columns = check.CreateCommand();
        columns.CommandText = "SELECT group_concat(name, ',') FROM pragma_table_info('orders')";
        var names = ((string)(await columns.ExecuteScalarAsync())!).Split(',');
        names.ShouldContain("document");
        names.ShouldNotContain("json");
        names.ShouldNotContain("public_json");
        columns.CommandText = "SELECT SUM(length(document)) FROM orders";
        var bytesAfter = Convert.ToInt64(await columns.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        bytesAfter.ShouldBeLessThan(bytesBefore / 5, $"{bytesBefore} bytes of JSON became {bytesAfter}");

        // The migrated table takes new orders as a new one does.
        (await store.UpsertAsync(OrderStoreContractTests.SampleOrder("oo-0000000000000fff1"))).ShouldBe(StoreOutcome.Inserted);
        (await store.CountOrdersAsync()).Values.Sum().ShouldBe(before.Count + 1);
    }
}

/// <summary>A document the store cannot read is an error naming the database and what to do, on every read path.</summary>
public sealed class SqliteDamagedDocumentTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("x'0200000000'", "newer one")]
    [InlineData("x'0110000000deadbeef'", "damaged")]
    [InlineData("x'01'", "damaged")]
    public async Task Reads_OfADocumentThatCannotBeRead_AreStoreErrorsNamingTheFile(string document, string why)
    {
        var order = OrderStoreContractTests.SampleOrder("oo-00000000000000bad");
        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);
        await store.UpsertAsync(order);
        await using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            await connection.OpenAsync();
            using var damage = connection.CreateCommand();
            damage.CommandText = $"UPDATE orders SET document = {document}";
            (await damage.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        foreach (var read in new Func<Task>[]
        {
            () => store.GetAsync(order.Source, order.OrderId),
            () => store.GetPublicAsync(order.Source, order.OrderId),
            () => store.QueryAsync(new OrderQuery()),
        })
        {
            var error = await Should.ThrowAsync<OrderStoreException>(read);
            error.Message.ShouldContain(_database.Path);
            error.Message.ShouldContain(why);
            error.Message.ShouldContain("sync --refresh");
        }
    }
}
