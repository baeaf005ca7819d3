using System.Globalization;
using Npgsql;
using OrderHub.Json;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL store answers queries as every store does.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderQueryContractTests(PostgreSqlServerFixture postgres) : OrderQueryContractTests
{
    protected override async Task<IOrderStore> CreateStoreAsync() => await PostgreSqlOrderStore.OpenAsync(await postgres.Server.CreateDatabaseAsync());
}

/// <summary>
/// Every documented filter and sort is answered from an index: the plans PostgreSQL takes on a store of some size,
/// analyzed, with sequential scans priced out (on a few thousand rows a scan is cheaper; on a million it is not).
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderQueryPlanTests(PostgreSqlServerFixture postgres, ITestOutputHelper output)
{
    /// <summary>Each documented filter alone, in the sort of its own time for a window, and the index that must answer it.</summary>
    public static TheoryData<string, OrderSort, string> FilterIndexes => new()
    {
        { "one source", OrderSort.LastUpdatedDescending, "orderhub_orders_pkey" },
        { "accounts", OrderSort.LastUpdatedDescending, "ix_orderhub_orders_account_id" },
        { "statuses", OrderSort.LastUpdatedDescending, "ix_orderhub_orders_status" },
        { "seller order id", OrderSort.LastUpdatedDescending, "ix_orderhub_orders_seller_order_id" },
        { "created window", OrderSort.CreatedDescending, "ix_orderhub_orders_created_key" },
        { "created before", OrderSort.CreatedAscending, "ix_orderhub_orders_created_key" },
        { "created after", OrderSort.CreatedDescending, "ix_orderhub_orders_created_key" },
        { "updated window", OrderSort.LastUpdatedDescending, "ix_orderhub_orders_updated_key" },
        { "updated after", OrderSort.LastUpdatedAscending, "ix_orderhub_orders_updated_key" },
        { "updated before", OrderSort.LastUpdatedDescending, "ix_orderhub_orders_updated_key" },
    };

    private async Task<PostgreSqlOrderStore> StoreWithOrdersAsync()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var store = await PostgreSqlOrderStore.OpenAsync(database);
        var orders = OrderQueryContractTests.PlanOrders(3000).ToArray();
        foreach (var chunk in orders.Chunk(500))
        {
            await store.AddToRunAsync("seed", [.. chunk.Select(o => new OrderReference(o.Source, o.OrderId))]);
            await store.CommitAsync("seed", [.. chunk.Select(OrderStoreContractTests.Fetched)]);
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE orderhub_orders", connection);
        await analyze.ExecuteNonQueryAsync();
        return store;
    }

    private async Task<IReadOnlyList<string>> PlanAsync(PostgreSqlOrderStore store, OrderQuery query)
    {
        var plan = await store.ExplainAsync(query, withoutSequentialScans: true);
        output.WriteLine($"{query.Filter} {query.Sort} cursor={query.Cursor is not null}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", plan)}");
        return plan;
    }

    private static void ShouldReadOnlyIndexes(IReadOnlyList<string> plan)
    {
        plan.ShouldNotBeEmpty();
        plan.ShouldNotContain(s => s.Contains("Seq Scan", StringComparison.Ordinal), string.Join(Environment.NewLine, plan));
        plan.ShouldContain(s => s.Contains("Index Scan", StringComparison.Ordinal) || s.Contains("Index Only Scan", StringComparison.Ordinal), string.Join(Environment.NewLine, plan));
    }

    private static bool Uses(string step, string index) =>
        step.Contains($"Index Scan using {index} ", StringComparison.Ordinal)
        || step.Contains($"Index Scan Backward using {index} ", StringComparison.Ordinal)
        || step.Contains($"Bitmap Index Scan on {index}", StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(FilterIndexes))]
    public async Task EveryFilter_IsAnsweredFromItsIndex(string filterName, OrderSort sort, string index)
    {
        await using var store = await StoreWithOrdersAsync();

        var plan = await PlanAsync(store, new OrderQuery { Filter = OrderQueryContractTests.Filters[filterName], Sort = sort });

        ShouldReadOnlyIndexes(plan);
        plan.ShouldContain(s => Uses(s, index), $"{filterName}:{Environment.NewLine}{string.Join(Environment.NewLine, plan)}");
    }

    [Theory]
    [MemberData(nameof(OrderQueryContractTests.Sorts), MemberType = typeof(OrderQueryContractTests))]
    public async Task EverySort_IsReadInTheOrderOfItsIndex_FirstPageAndNext_WithoutSorting(OrderSort sort)
    {
        await using var store = await StoreWithOrdersAsync();
        var index = sort.IsByCreation() ? "ix_orderhub_orders_created_key" : "ix_orderhub_orders_updated_key";
        var first = new OrderQuery { Sort = sort, PageSize = 50 };
        var cursor = (await store.QueryAsync(first)).NextCursor;

        foreach (var plan in new[] { await PlanAsync(store, first), await PlanAsync(store, first with { Cursor = cursor }) })
        {
            ShouldReadOnlyIndexes(plan);
            plan.ShouldContain(s => Uses(s, index), string.Join(Environment.NewLine, plan));
            plan.ShouldNotContain(s => s.TrimStart().StartsWith("->  Sort", StringComparison.Ordinal) || s.StartsWith("Sort", StringComparison.Ordinal), "the index gives the order");
        }

        (await PlanAsync(store, first with { Cursor = cursor })).ShouldContain(s => s.Contains("Index Cond", StringComparison.Ordinal), "the next page starts at the cursor's place in the index");
    }

    [Theory]
    [MemberData(nameof(OrderQueryContractTests.FilterNames), MemberType = typeof(OrderQueryContractTests))]
    public async Task EveryFilter_InEverySort_WithACursor_ReadsOnlyIndexes(string filterName)
    {
        await using var store = await StoreWithOrdersAsync();
        foreach (var sort in Enum.GetValues<OrderSort>())
        {
            var query = new OrderQuery { Filter = OrderQueryContractTests.Filters[filterName], Sort = sort, PageSize = 2 };
            ShouldReadOnlyIndexes(await PlanAsync(store, query));
            if ((await store.QueryAsync(query)).NextCursor is { } cursor)
            {
                ShouldReadOnlyIndexes(await PlanAsync(store, query with { Cursor = cursor }));
            }
        }
    }
}

/// <summary>A database of the schema before the query (version 2) is migrated on open, its orders kept and queryable.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlQueryMigrationTests(PostgreSqlServerFixture postgres)
{
    [Fact]
    public async Task Open_DatabaseAtVersion2_FillsTheQueryColumnsFromTheStoredDocument_KeepingEveryRow()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        // Every copy is full: the schema of that version had no partial ones (bulk exports came later).
        var orders = OrderQueryContractTests.SampleOrders.Select(o => o with { Completeness = OrderCompleteness.Full }).ToList();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            // The schema as version 2 wrote it: its own migrations, which never change once shipped.
            await using (var schema = new NpgsqlCommand(
                "CREATE TABLE orderhub_schema_version (version integer NOT NULL); "
                + string.Join("; ", PostgreSqlSchema.Migrations.Where(m => m.Version <= 2).Select(m => m.Sql + $"; INSERT INTO orderhub_schema_version VALUES ({m.Version})")),
                connection))
            {
                await schema.ExecuteNonQueryAsync();
            }

            foreach (var order in orders)
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO orderhub_orders (source, order_id, status, status_raw, account_id, last_updated_at, content_hash, json, public_json, stored_at) VALUES (@s, @o, @st, @raw, @a, @u, 'h', @j, @p::jsonb, now())",
                    connection);
                insert.Parameters.AddWithValue("s", order.Source);
                insert.Parameters.AddWithValue("o", order.OrderId);
                insert.Parameters.AddWithValue("st", order.Status.Value.ToString());
                insert.Parameters.AddWithValue("raw", order.Status.Raw);
                insert.Parameters.AddWithValue("a", (object?)order.AccountId ?? DBNull.Value);
                insert.Parameters.Add(new NpgsqlParameter("u", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = order.LastUpdatedAt is { } u ? u.UtcDateTime : DBNull.Value });
                insert.Parameters.AddWithValue("j", OrderJson.SerializeToUtf8Bytes(order, includeRaw: true));
                insert.Parameters.AddWithValue("p", System.Text.Encoding.UTF8.GetString(OrderJson.SerializeToUtf8Bytes(order.WithoutPersonalData())));
                await insert.ExecuteNonQueryAsync();
            }
        }

        await using var store = await PostgreSqlOrderStore.OpenAsync(database);

        (await store.CountOrdersAsync()).Values.Sum().ShouldBe(orders.Count, "every row is kept");
        foreach (var sort in Enum.GetValues<OrderSort>())
        {
            foreach (var (name, filter) in OrderQueryContractTests.Filters)
            {
                var page = await store.QueryAsync(new OrderQuery { Filter = filter, Sort = sort, PageSize = OrderQuery.MaxPageSize });
                page.Items.Select(i => i.Reference).ShouldBe(
                    orders.Where(o => OrderQueryContractTests.Matches(filter, o)).Order(OrderQueryContractTests.SortOrder(sort)).Select(o => new OrderReference(o.Source, o.OrderId)),
                    $"{name}, {sort}: the migrated columns answer as a new store's do");
            }
        }

        (await store.SummarizeAsync(new OrderFilter())).ShouldHaveSingleItem().Totals
            .ShouldBe([new Money(3m, null), new Money(7.25m, "EUR"), new Money(139.01m, "USD")], "totals come from the stored document");

        await using var check = new NpgsqlConnection(database);
        await check.OpenAsync();
        await using var version = new NpgsqlCommand("SELECT MAX(version) FROM orderhub_schema_version", check);
        Convert.ToInt32(await version.ExecuteScalarAsync(), CultureInfo.InvariantCulture).ShouldBe(PostgreSqlOrderStore.SchemaVersion);
    }
}
