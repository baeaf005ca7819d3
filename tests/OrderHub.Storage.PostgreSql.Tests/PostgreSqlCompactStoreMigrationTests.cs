using System.IO.Compression;
using Npgsql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>
/// A database the release before the compact store made (schema 3) is migrated on open, through every later schema:
/// every order comes back from the one compressed document that replaces its two columns, the full JSON byte for byte,
/// and the change log starts empty.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlCompactStoreMigrationTests(PostgreSqlServerFixture postgres)
{
    [Fact]
    public async Task Open_DatabaseMadeAtVersion3_KeepsEveryOrder_TheFullJsonByteForByte_InAQuarterOfTheSpace()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        // Made by `orderhub sync --source sp-api --since ...` (8 orders read through the Orders API 2026-01-01) and
        // `orderhub sync --source outposts --all` (38 orders) against the emulator at schema 3, then
        // `pg_dump --inserts --no-owner --no-privileges` without psql's own commands.
        string script;
        using (var fixture = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders-schema3.sql.gz")), CompressionMode.Decompress)))
        {
            script = await fixture.ReadToEndAsync();
        }

        var before = new Dictionary<OrderReference, (byte[] Json, string PublicJson, string Hash)>();
        long bytesBefore;
        // Not pooled: the script empties the session's search_path.
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var restore = new NpgsqlCommand(script, connection))
            {
                await restore.ExecuteNonQueryAsync();
            }

            await using (var version = new NpgsqlCommand("SELECT MAX(version) FROM public.orderhub_schema_version", connection))
            {
                (await version.ExecuteScalarAsync()).ShouldBe(3, "the fixture is of the schema before");
            }

            await using (var rows = new NpgsqlCommand("SELECT source, order_id, json, public_json::text, content_hash FROM public.orderhub_orders", connection))
            await using (var reader = await rows.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    before[new OrderReference(reader.GetString(0), reader.GetString(1))] = (reader.GetFieldValue<byte[]>(2), reader.GetString(3), reader.GetString(4));
                }
            }

            await using var size = new NpgsqlCommand("SELECT SUM(octet_length(json) + octet_length(public_json::text))::bigint FROM public.orderhub_orders", connection);
            bytesBefore = (long)(await size.ExecuteScalarAsync())!;
        }

        before.Count.ShouldBe(46);

        await using var store = await PostgreSqlOrderStore.OpenAsync(database);

        foreach (var (reference, was) in before)
        {
            var stored = await store.GetAsync(reference.Source, reference.OrderId);
            stored.ShouldNotBeNull();
            stored.Json.ShouldBe(was.Json, $"{reference}: the full JSON, raw payload included, as it was");
            System.Text.Encoding.UTF8.GetString(stored.PublicJson!).ShouldBe(was.PublicJson, $"{reference}: the public JSON as the database answered it");
            stored.ContentHash.ShouldBe(was.Hash, "an unchanged order stays unchanged for the next sync");
        }

        var listed = 0;
        await foreach (var item in ((IOrderQuery)store).QueryAllAsync(new OrderQuery()))
        {
            System.Text.Encoding.UTF8.GetString(item.PublicJson).ShouldBe(before[item.Reference].PublicJson);
            listed++;
        }

        listed.ShouldBe(before.Count);

        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync();
        await using (var columns = new NpgsqlCommand("SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_name = 'orderhub_orders'", check))
        {
            var names = ((string)(await columns.ExecuteScalarAsync())!).Split(',');
            names.ShouldContain("document");
            names.ShouldNotContain("json");
            names.ShouldNotContain("public_json");
        }

        await using (var size = new NpgsqlCommand("SELECT SUM(octet_length(document))::bigint FROM orderhub_orders", check))
        {
            var bytesAfter = (long)(await size.ExecuteScalarAsync())!;
            // A quarter, not the fifth SQLite's migration reaches: the public view kept as jsonb comes back in jsonb's
            // member order, so it shares less with the full JSON it is compressed with.
            bytesAfter.ShouldBeLessThan(bytesBefore / 4, $"{bytesBefore} bytes of JSON became {bytesAfter}");
        }

        // The change log starts empty with the migration (the orders before it have no entries) and logs the next write.
        (await store.ReadAsync(0, 100)).Changes.ShouldBeEmpty();
        (await store.UpsertAsync(OrderStoreContractTests.SampleOrder("oo-0000000000000fff1"))).ShouldBe(StoreOutcome.Inserted);
        (await store.CountOrdersAsync()).Values.Sum().ShouldBe(before.Count + 1);
        var change = (await store.ReadAsync(0, 100)).Changes.ShouldHaveSingleItem();
        change.Reference.ShouldBe(new OrderReference("outposts", "oo-0000000000000fff1"));
        change.Kind.ShouldBe(OrderChangeKind.Created);
    }
}
