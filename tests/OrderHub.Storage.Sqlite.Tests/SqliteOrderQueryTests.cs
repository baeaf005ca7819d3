using System.Globalization;
using Microsoft.Data.Sqlite;
using OrderHub.Json;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>The SQLite store answers queries as every store does.</summary>
public sealed class SqliteOrderQueryContractTests : OrderQueryContractTests, IDisposable
{
    private readonly TempDatabases _databases = new();

    protected override async Task<IOrderStore> CreateStoreAsync() => await SqliteOrderStore.OpenAsync(_databases.NewPath());

    public void Dispose() => _databases.Dispose();
}

/// <summary>Every documented filter and sort is answered from an index: the plans SQLite takes, on a store of some size.</summary>
public sealed class SqliteOrderQueryPlanTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>
    /// Each documented filter alone, and the index that must answer it: a window in the sort of its own time (a
    /// window on the other time is read in the sort's index, below), the others in the default sort.
    /// </summary>
    public static TheoryData<string, OrderSort, string> FilterIndexes => new()
    {
        { "one source", OrderSort.LastUpdatedDescending, "ux_orders_source_order_id" },
        { "accounts", OrderSort.LastUpdatedDescending, "ix_orders_account_id" },
        { "statuses", OrderSort.LastUpdatedDescending, "ix_orders_status" },
        { "seller order id", OrderSort.LastUpdatedDescending, "ix_orders_seller_order_id" },
        { "created window", OrderSort.CreatedDescending, "ix_orders_created_key" },
        { "created before", OrderSort.CreatedAscending, "ix_orders_created_key" },
        { "created after", OrderSort.CreatedDescending, "ix_orders_created_key" },
        { "updated window", OrderSort.LastUpdatedDescending, "ix_orders_updated_key" },
        { "updated after", OrderSort.LastUpdatedAscending, "ix_orders_updated_key" },
        { "updated before", OrderSort.LastUpdatedDescending, "ix_orders_updated_key" },
    };

    private async Task<SqliteOrderStore> StoreWithOrdersAsync()
    {
        var store = await SqliteOrderStore.OpenAsync(_database.Path);
        var orders = OrderQueryContractTests.PlanOrders(3000).ToArray();
        foreach (var chunk in orders.Chunk(500))
        {
            await store.AddToRunAsync("seed", [.. chunk.Select(o => new OrderReference(o.Source, o.OrderId))]);
            await store.CommitAsync("seed", [.. chunk.Select(OrderStoreContractTests.Fetched)]);
        }

        return store;
    }

    private async Task<IReadOnlyList<string>> PlanAsync(SqliteOrderStore store, OrderQuery query)
    {
        var plan = await store.ExplainAsync(query);
        output.WriteLine($"{query.Filter} {query.Sort} cursor={query.Cursor is not null}: {string.Join(" / ", plan)}");
        return plan;
    }

    // A step that reads the table itself, row after row, is a scan; one that walks an index (in its order, or to a range) is not.
    private static void ShouldReadOnlyIndexes(IReadOnlyList<string> plan)
    {
        plan.ShouldNotBeEmpty();
        foreach (var step in plan.Where(s => s.StartsWith("SCAN ", StringComparison.Ordinal)))
        {
            step.ShouldContain("INDEX", customMessage: $"a table scan: {string.Join(" / ", plan)}");
        }
    }

    [Theory]
    [MemberData(nameof(FilterIndexes))]
    public async Task EveryFilter_IsAnsweredFromItsIndex(string filterName, OrderSort sort, string index)
    {
        await using var store = await StoreWithOrdersAsync();
        var filter = OrderQueryContractTests.Filters[filterName];

        var plan = await PlanAsync(store, new OrderQuery { Filter = filter, Sort = sort });

        ShouldReadOnlyIndexes(plan);
        plan.ShouldContain(s => s.StartsWith("SEARCH orders USING INDEX " + index, StringComparison.Ordinal), $"{filterName}: {string.Join(" / ", plan)}");
    }

    [Theory]
    [MemberData(nameof(OrderQueryContractTests.Sorts), MemberType = typeof(OrderQueryContractTests))]
    public async Task EverySort_IsReadInTheOrderOfItsIndex_FirstPageAndNext_WithoutSorting(OrderSort sort)
    {
        await using var store = await StoreWithOrdersAsync();
        var index = sort.IsByCreation() ? "ix_orders_created_key" : "ix_orders_updated_key";
        var first = new OrderQuery { Sort = sort, PageSize = 50 };
        var cursor = (await store.QueryAsync(first)).NextCursor;

        var firstPlan = await PlanAsync(store, first);
        var nextPlan = await PlanAsync(store, first with { Cursor = cursor });

        firstPlan.ShouldBe([$"SCAN orders USING INDEX {index}"], "the first page walks the sort's index from its end, and stops after a page");
        nextPlan.ShouldHaveSingleItem().ShouldStartWith($"SEARCH orders USING INDEX {index} (", customMessage: "the next page starts at the cursor's place in the index");
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

/// <summary>A database of the schema before the query (version 4) is migrated on open, its orders kept and queryable.</summary>
public sealed class SqliteQueryMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_DatabaseAtVersion4_FillsTheQueryColumnsFromTheStoredJson_KeepingEveryRow()
    {
        // Every copy is full: the schema of that version had no partial ones (bulk exports came later).
        var orders = OrderQueryContractTests.SampleOrders.Select(o => o with { Completeness = OrderCompleteness.Full }).ToList();
        await using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            // The schema as version 4 wrote it: its own migrations, which never change once shipped.
            command.CommandText = $"PRAGMA application_id={SqliteOrderStore.ApplicationId}; CREATE TABLE schema_version (version INTEGER NOT NULL); "
                + string.Join("; ", SqliteSchema.Migrations.Where(m => m.Version <= 4).Select(m => m.Sql + $"; INSERT INTO schema_version VALUES ({m.Version})"));
            await command.ExecuteNonQueryAsync();
            command.CommandText = "INSERT INTO orders (source, order_id, status, status_raw, account_id, last_updated_at, content_hash, stored_at, public_json, json) VALUES ($s, $o, $st, $raw, $a, $u, 'h', '2026-01-01T00:00:00.0000000Z', $p, $j)";
            foreach (var order in orders)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$s", order.Source);
                command.Parameters.AddWithValue("$o", order.OrderId);
                command.Parameters.AddWithValue("$st", order.Status.Value.ToString());
                command.Parameters.AddWithValue("$raw", order.Status.Raw);
                command.Parameters.AddWithValue("$a", (object?)order.AccountId ?? DBNull.Value);
                command.Parameters.AddWithValue("$u", order.LastUpdatedAt is { } u ? u.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value);
                command.Parameters.AddWithValue("$p", OrderJson.SerializeToUtf8Bytes(order.WithoutPersonalData()));
                command.Parameters.AddWithValue("$j", OrderJson.SerializeToUtf8Bytes(order, includeRaw: true));
                await command.ExecuteNonQueryAsync();
            }

            // A row of the first schema: no public view, a JSON that is no order.
            command.CommandText = "INSERT INTO orders (source, order_id, status, status_raw, content_hash, stored_at, json) VALUES ('sp-api', '111-9999999-9999999', 'Pending', 'Pending', 'h', '2026-01-01T00:00:00Z', x'7B7D')";
            await command.ExecuteNonQueryAsync();
        }

        await using var store = await SqliteOrderStore.OpenAsync(_database.Path);

        (await store.CountOrdersAsync()).Values.Sum().ShouldBe(orders.Count + 1, "every row is kept");
        (await store.GetAsync("sp-api", "111-9999999-9999999")).ShouldNotBeNull();
        foreach (var sort in Enum.GetValues<OrderSort>())
        {
            foreach (var (name, filter) in OrderQueryContractTests.Filters)
            {
                var page = await store.QueryAsync(new OrderQuery { Filter = filter, Sort = sort, PageSize = OrderQuery.MaxPageSize });
                page.Items.Select(i => i.Reference).ShouldBe(
                    orders.Where(o => OrderQueryContractTests.Matches(filter, o)).Order(OrderQueryContractTests.SortOrder(sort)).Select(o => new OrderReference(o.Source, o.OrderId)),
                    $"{name}, {sort}: the migrated columns answer as a new store's do (a row without a public view is not listed)");
            }
        }

        var summary = (await store.SummarizeAsync(new OrderFilter())).ShouldHaveSingleItem();
        summary.Totals.ShouldBe([new Money(3m, null), new Money(7.25m, "EUR"), new Money(139.01m, "USD")], "totals come from the stored JSON");

        await using var check = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await check.OpenAsync();
        using var version = check.CreateCommand();
        version.CommandText = "SELECT MAX(version) FROM schema_version";
        Convert.ToInt32(await version.ExecuteScalarAsync(), CultureInfo.InvariantCulture).ShouldBe(SqliteOrderStore.SchemaVersion);
        version.CommandText = "SELECT created_at FROM orders WHERE order_id = '111-0000001-0000002'";
        (await version.ExecuteScalarAsync()).ShouldBe("2026-03-01T01:00:00.0000000Z", "in the store's own form, as a new row's");
    }
}
