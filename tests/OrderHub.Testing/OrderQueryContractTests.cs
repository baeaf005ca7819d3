using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>
/// What every <see cref="IOrderQuery"/> must do, whatever store it reads. Each store's tests inherit this class and say
/// how to open a fresh, empty store that is also its query. The expected answers come from <see cref="Matches"/> and
/// <see cref="SortOrder"/>, the documented rules written once over plain objects.
/// </summary>
public abstract class OrderQueryContractTests
{
    /// <summary>The start of the sample orders' times.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Opens a new, empty store that also answers <see cref="IOrderQuery"/>; the test disposes it if it is disposable.</summary>
    protected abstract Task<IOrderStore> CreateStoreAsync();

    /// <summary>Ten orders of three sources with ties on every sort key, orders without times, totals in two currencies, without a currency, and none.</summary>
    public static IReadOnlyList<Order> SampleOrders { get; } =
    [
        Make("sp-api", "111-0000001-0000001", "ATVPDKIKX0DER", OrderStatus.Pending, created: 0, updated: 5, new Money(10.00m, "USD"), seller: "S-1"),
        Make("sp-api", "111-0000001-0000002", "ATVPDKIKX0DER", OrderStatus.Shipped, created: 1, updated: 5, new Money(20.50m, "USD")),
        Make("sp-api", "111-0000001-0000003", "A1PA6795UKMFR9", OrderStatus.Shipped, created: 2, updated: 6, new Money(5.25m, "EUR"), seller: "S-3") with { Completeness = OrderCompleteness.Partial },
        Make("sp-api", "111-0000001-0000004", "A1PA6795UKMFR9", OrderStatus.Cancelled, created: 2, updated: null, null),
        Make("outposts", "oo-00000000000000001", "op-0000000000000000a", OrderStatus.Pending, created: 3, updated: 7, new Money(100m, "USD")),
        Make("outposts", "oo-00000000000000002", "op-0000000000000000a", OrderStatus.InProgress, created: null, updated: 7, new Money(1.5m, "USD")),
        Make("outposts", "oo-00000000000000003", "op-0000000000000000b", OrderStatus.Completed, created: 26, updated: 30, new Money(2m, "EUR")),
        Make("outposts", "oo-00000000000000004", "op-0000000000000000b", OrderStatus.Pending, created: null, updated: null, new Money(3m, null)),
        Make("acme", "a-1", null, OrderStatus.Shipped, created: 31 * 24, updated: (31 * 24) + 1, new Money(7m, "USD"), seller: "S-1"),
        Make("acme", "a-2", null, OrderStatus.Unknown, created: 0, updated: 0, new Money(0.01m, "USD")) with { ProviderDetails = new AcmeDetails("gold", "Jane Buyer") },
    ];

    /// <summary>The filters every sort and page size is checked with, by name.</summary>
    public static IReadOnlyDictionary<string, OrderFilter> Filters { get; } = new Dictionary<string, OrderFilter>
    {
        ["everything"] = new(),
        ["one source"] = new() { Sources = ["sp-api"] },
        ["two sources"] = new() { Sources = ["outposts", "acme"] },
        ["accounts"] = new() { Accounts = ["ATVPDKIKX0DER", "op-0000000000000000b"] },
        ["statuses"] = new() { Statuses = [OrderStatus.Pending, OrderStatus.Shipped] },
        ["created window"] = new() { CreatedAfter = T0.AddHours(1), CreatedBefore = T0.AddHours(26) },
        ["created before"] = new() { CreatedBefore = T0.AddHours(2) },
        ["created after"] = new() { CreatedAfter = T0.AddHours(2) },
        ["updated window"] = new() { UpdatedAfter = T0.AddHours(5), UpdatedBefore = T0.AddHours(7) },
        ["updated after"] = new() { UpdatedAfter = T0.AddHours(6) },
        ["updated before"] = new() { UpdatedBefore = T0.AddHours(6) },
        ["seller order id"] = new() { SellerOrderId = "S-1" },
        ["nothing matches"] = new() { Sources = ["sp-api"], SellerOrderId = "none" },
        ["partial copies"] = new() { Completeness = OrderCompleteness.Partial },
        ["full copies of a source"] = new() { Sources = ["sp-api"], Completeness = OrderCompleteness.Full },
        ["combined"] = new() { Sources = ["sp-api", "outposts"], Statuses = [OrderStatus.Pending, OrderStatus.Shipped], CreatedAfter = T0, UpdatedBefore = T0.AddHours(7) },
    };

    /// <summary>The names of <see cref="Filters"/>, for a theory.</summary>
    public static TheoryData<string> FilterNames => [.. Filters.Keys];

    /// <summary>The sorts, for a theory.</summary>
    public static TheoryData<OrderSort> Sorts => [.. Enum.GetValues<OrderSort>()];

    /// <summary>
    /// Many orders for query plans, on which each of <see cref="Filters"/> is selective (one source, the two statuses and
    /// the accounts it names are rare or absent), as a real store's filters are, so a planner that has statistics
    /// prefers the filter's index.
    /// </summary>
    public static IEnumerable<Order> PlanOrders(int count) => Enumerable.Range(0, count).Select(i => Make(
        i % 60 == 0 ? "sp-api" : i % 2 == 0 ? "outposts" : "acme",
        $"order-{i:D6}",
        $"account-{i % 40}",
        i % 60 == 1 ? OrderStatus.Pending : i % 60 == 2 ? OrderStatus.Shipped : i % 2 == 0 ? OrderStatus.InProgress : OrderStatus.Completed,
        created: i % 50 == 0 ? null : i,
        updated: i % 70 == 0 ? null : i + 5,
        new Money(i, i % 2 == 0 ? "USD" : "EUR"),
        seller: $"S-{i}"));

    /// <summary>Makes an order with times counted in hours from <see cref="T0"/>.</summary>
    public static Order Make(string source, string id, string? account, OrderStatus status, int? created, int? updated, Money? total, string? seller = null) => new()
    {
        Source = source,
        OrderId = id,
        AccountId = account,
        SellerOrderId = seller,
        Status = new ProviderValue<OrderStatus>(status, status.ToString().ToUpperInvariant()),
        CreatedAt = created is { } c ? T0.AddHours(c) : null,
        LastUpdatedAt = updated is { } u ? T0.AddHours(u) : null,
        Total = total,
        Lines = [new OrderLine { LineId = "1", Quantity = 1 }],
        Shipping = new OrderShipping { Address = new PostalAddress { Name = "Jane Buyer", City = "Seattle" } },
    };

    /// <summary>The documented filter over plain orders: every condition given holds; windows include their start and exclude their end.</summary>
    public static bool Matches(OrderFilter filter, Order order)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(order);
        static bool In(DateTimeOffset? time, DateTimeOffset? after, DateTimeOffset? before) =>
            (after is null && before is null) || (time is { } t && (after is null || t >= after) && (before is null || t < before));
        return (filter.Sources.Count == 0 || filter.Sources.Contains(order.Source))
            && (filter.Accounts.Count == 0 || (order.AccountId is { } account && filter.Accounts.Contains(account)))
            && (filter.Statuses.Count == 0 || filter.Statuses.Contains(order.Status.Value))
            && In(order.CreatedAt, filter.CreatedAfter, filter.CreatedBefore)
            && In(order.LastUpdatedAt, filter.UpdatedAfter, filter.UpdatedBefore)
            && (filter.SellerOrderId is null || order.SellerOrderId == filter.SellerOrderId)
            && (filter.Completeness is null || order.Completeness == filter.Completeness);
    }

    /// <summary>The documented order: by the sorted time (none is earliest), then source, then order id, ordinally, all in the sort's direction.</summary>
    public static IComparer<Order> SortOrder(OrderSort sort) => Comparer<Order>.Create((a, b) =>
    {
        var time = Nullable.Compare(SortTime(sort, a), SortTime(sort, b));
        var order = time != 0 ? time : string.CompareOrdinal(a.Source, b.Source) is var s and not 0 ? s : string.CompareOrdinal(a.OrderId, b.OrderId);
        return sort.IsDescending() ? -order : order;
    });

    /// <summary>The time a sort orders by.</summary>
    public static DateTimeOffset? SortTime(OrderSort sort, Order order) => sort.IsByCreation() ? order.CreatedAt : order.LastUpdatedAt;

    private static OrderReference Ref(Order order) => new(order.Source, order.OrderId);

    /// <summary>A provider's own details, with personal data that the public view leaves out.</summary>
    /// <param name="Tier">Not personal.</param>
    /// <param name="BuyerName">Personal.</param>
    public sealed record AcmeDetails(string Tier, string? BuyerName) : ProviderOrderDetails
    {
        /// <inheritdoc />
        public override ProviderOrderDetails WithoutPersonalData() => this with { BuyerName = null };
    }

    private static IReadOnlyList<OrderReference> Expected(IEnumerable<Order> orders, OrderFilter filter, OrderSort sort) =>
        [.. orders.Where(o => Matches(filter, o)).Order(SortOrder(sort)).Select(Ref)];

    private async Task<T> WithStoreAsync<T>(Func<IOrderStore, IOrderQuery, Task<T>> test, bool seeded = true)
    {
        var store = await CreateStoreAsync();
        try
        {
            if (seeded)
            {
                foreach (var order in SampleOrders)
                {
                    (await store.UpsertAsync(order)).ShouldBe(StoreOutcome.Inserted);
                }
            }

            return await test(store, (IOrderQuery)store);
        }
        finally
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    private static async Task<(List<OrderReference> Orders, int Pages)> ReadAllPagesAsync(IOrderQuery query, OrderQuery first, Func<Task>? betweenPages = null)
    {
        var seen = new List<OrderReference>();
        var pages = 0;
        var next = first;
        while (true)
        {
            var page = await query.QueryAsync(next);
            pages++;
            page.Items.Count.ShouldBeLessThanOrEqualTo(first.PageSize);
            seen.AddRange(page.Items.Select(i => i.Reference));
            if (page.NextCursor is null)
            {
                return (seen, pages);
            }

            page.Items.Count.ShouldBe(first.PageSize, "only the last page is short");
            if (betweenPages is not null)
            {
                await betweenPages();
            }

            next = next with { Cursor = page.NextCursor };
        }
    }

    [Theory]
    [MemberData(nameof(FilterNames))]
    public Task Query_EveryFilter_InEverySort_AndPageSize_ReadsExactlyTheMatchingOrders_InTheDocumentedOrder(string filterName) => WithStoreAsync(async (_, query) =>
    {
        var filter = Filters[filterName];
        foreach (var sort in Enum.GetValues<OrderSort>())
        {
            var expected = Expected(SampleOrders, filter, sort);
            foreach (var pageSize in new[] { 1, 3, OrderQuery.MaxPageSize })
            {
                var (orders, pages) = await ReadAllPagesAsync(query, new OrderQuery { Filter = filter, Sort = sort, PageSize = pageSize });

                orders.ShouldBe(expected, $"{filterName}, {sort}, pages of {pageSize}");
                pages.ShouldBe(Math.Max(1, (expected.Count + pageSize - 1) / pageSize), "a page that ends the orders has no cursor: no empty last page");
            }
        }

        return true;
    });

    [Fact]
    public Task Query_OrdersWithoutTheSortedTime_AreFirstAscending_AndLastDescending_TiesBySourceThenId() => WithStoreAsync(async (_, query) =>
    {
        var ascending = (await query.QueryAsync(new OrderQuery { Sort = OrderSort.CreatedAscending })).Items.Select(i => i.Reference.OrderId).ToList();
        var descending = (await query.QueryAsync(new OrderQuery { Sort = OrderSort.CreatedDescending })).Items.Select(i => i.Reference.OrderId).ToList();

        ascending.Take(2).ShouldBe(["oo-00000000000000002", "oo-00000000000000004"], "no creation time: first, by source then id");
        ascending.Skip(2).Take(2).ShouldBe(["a-2", "111-0000001-0000001"], "created at the same time: acme before sp-api");
        descending.ShouldBe(Enumerable.Reverse(ascending).ToList(), "descending is ascending reversed, ties included");

        var byUpdate = (await query.QueryAsync(new OrderQuery { Sort = OrderSort.LastUpdatedDescending })).Items.Select(i => i.Reference.OrderId).ToList();
        byUpdate[0].ShouldBe("a-1");
        byUpdate.TakeLast(2).ShouldBe(["111-0000001-0000004", "oo-00000000000000004"], "no last update: last, by source then id, descending");
        return true;
    });

    [Fact]
    public Task Query_ThePageHoldsThePublicJsonAsStored_AndTheSameOrdersAsObjects_WithoutPersonalData() => WithStoreAsync(async (store, query) =>
    {
        var page = await query.QueryAsync(new OrderQuery { Sort = OrderSort.CreatedAscending, PageSize = OrderQuery.MaxPageSize });

        page.Items.Count.ShouldBe(SampleOrders.Count);
        page.Orders.Count.ShouldBe(SampleOrders.Count);
        for (var i = 0; i < page.Items.Count; i++)
        {
            var item = page.Items[i];
            var stored = await store.GetPublicAsync(item.Reference.Source, item.Reference.OrderId);
            stored.ShouldNotBeNull();
            item.PublicJson.ShouldBe(stored.PublicJson, "the bytes the store keeps, not serialized again");
            item.StoredAt.ShouldBe(stored.StoredAt);
            Encoding.UTF8.GetString(item.PublicJson).ShouldNotContain("Jane Buyer");

            var order = page.Orders[i];
            var original = SampleOrders.Single(o => Ref(o) == item.Reference);
            (order.Source, order.OrderId, order.AccountId, order.SellerOrderId, order.Status, order.CreatedAt, order.LastUpdatedAt, order.Total)
                .ShouldBe((original.Source, original.OrderId, original.AccountId, original.SellerOrderId, original.Status, original.CreatedAt, original.LastUpdatedAt, original.Total));
            order.Lines.Count.ShouldBe(1);
            order.Shipping.ShouldNotBeNull();
            order.Shipping.Address.ShouldBeNull("no personal data");
            order.RawPayload.ShouldBeNull();
            order.ProviderDetails.ShouldBeNull("a provider's details are in the JSON view only");
        }

        var withDetails = page.Items.Single(i => i.Reference.OrderId == "a-2");
        Encoding.UTF8.GetString(withDetails.PublicJson).ShouldContain("gold", customMessage: "the JSON view keeps a provider's own details");

        page.ToString().ShouldNotContain("111-");
        return true;
    });

    [Fact]
    public Task Query_EmptyStore_IsOneEmptyPageWithoutCursor() => WithStoreAsync(
        async (_, query) =>
        {
            var page = await query.QueryAsync(new OrderQuery());

            page.Items.ShouldBeEmpty();
            page.Orders.ShouldBeEmpty();
            page.NextCursor.ShouldBeNull();
            return true;
        },
        seeded: false);

    [Fact]
    public Task QueryAll_ReadsEveryOrderPageByPage_FromACursor() => WithStoreAsync(async (_, query) =>
    {
        var first = new OrderQuery { Filter = Filters["statuses"], Sort = OrderSort.LastUpdatedAscending, PageSize = 2 };
        var expected = Expected(SampleOrders, first.Filter, first.Sort);

        var all = new List<OrderReference>();
        await foreach (var item in query.QueryAllAsync(first))
        {
            all.Add(item.Reference);
        }

        all.ShouldBe(expected);
        var second = await query.QueryAsync(first);
        var rest = new List<OrderReference>();
        await foreach (var item in query.QueryAllAsync(first with { Cursor = second.NextCursor }))
        {
            rest.Add(item.Reference);
        }

        rest.ShouldBe(expected.Skip(2).ToList(), "from a cursor, the orders after it");
        return true;
    });

    [Fact]
    public Task Cursor_WithOtherFiltersOrAnotherSort_IsRefused_NamingTheCursor_WithAnotherPageSize_Continues() => WithStoreAsync(async (_, query) =>
    {
        var first = new OrderQuery { Filter = new() { Sources = ["sp-api", "outposts"] }, Sort = OrderSort.CreatedAscending, PageSize = 2 };
        var cursor = (await query.QueryAsync(first)).NextCursor;
        cursor.ShouldNotBeNull();

        OrderQuery[] others =
        [
            first with { Cursor = cursor, Filter = new() { Sources = ["sp-api"] } },
            first with { Cursor = cursor, Filter = first.Filter with { Statuses = [OrderStatus.Pending] } },
            first with { Cursor = cursor, Filter = first.Filter with { CreatedAfter = T0 } },
            first with { Cursor = cursor, Filter = first.Filter with { UpdatedBefore = T0.AddDays(1) } },
            first with { Cursor = cursor, Filter = first.Filter with { SellerOrderId = "S-1" } },
            first with { Cursor = cursor, Filter = first.Filter with { Accounts = ["ATVPDKIKX0DER"] } },
            first with { Cursor = cursor, Sort = OrderSort.CreatedDescending },
            first with { Cursor = cursor, Sort = OrderSort.LastUpdatedAscending },
        ];
        foreach (var other in others)
        {
            var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => query.QueryAsync(other));
            error.ParameterName.ShouldBe("cursor");
            error.Message.ShouldContain("other filters or another sort");
        }

        // The same filters written in another order select the same orders: the cursor is theirs too.
        var same = await query.QueryAsync(first with { Cursor = cursor, Filter = new() { Sources = ["outposts", "sp-api", "outposts"] }, PageSize = 100 });
        var expected = Expected(SampleOrders, first.Filter, first.Sort);
        same.Items.Select(i => i.Reference).ShouldBe(expected.Skip(2).ToList());
        return true;
    });

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("AAAA")]
    [InlineData("e30")] // {}
    [InlineData("eyJ2IjoxfQ")] // {"v":1}
    [InlineData("W10")] // []
    public Task Cursor_Malformed_IsRefused_NamingTheCursor(string cursor) => WithStoreAsync(async (_, query) =>
    {
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => query.QueryAsync(new OrderQuery { Cursor = cursor }));

        error.ParameterName.ShouldBe("cursor");
        error.Message.ShouldContain("nextCursor");
        return true;
    });

    [Fact]
    public Task Cursor_Tampered_IsRefused() => WithStoreAsync(async (_, query) =>
    {
        var cursor = (await query.QueryAsync(new OrderQuery { PageSize = 1 })).NextCursor!;
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        var tampered = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal)));

        (await Should.ThrowAsync<InvalidOrderRequestException>(() => query.QueryAsync(new OrderQuery { PageSize = 1, Cursor = tampered }))).ParameterName.ShouldBe("cursor");
        (await Should.ThrowAsync<InvalidOrderRequestException>(() => query.QueryAsync(new OrderQuery { PageSize = 1, Cursor = cursor[..^2] }))).ParameterName.ShouldBe("cursor");
        return true;
    });

    /// <summary>Queries no store answers, with the parameter each must name.</summary>
    public static TheoryData<string, string> InvalidQueries => new()
    {
        { "page size 0", "pageSize" },
        { "page size 1001", "pageSize" },
        { "page size -1", "pageSize" },
        { "empty source", "sources" },
        { "blank account", "accounts" },
        { "null source", "sources" },
        { "undefined status", "statuses" },
        { "too many statuses", "statuses" },
        { "created window backwards", "createdBefore" },
        { "updated window empty", "updatedBefore" },
        { "blank seller order id", "sellerOrderId" },
        { "undefined sort", "sort" },
        { "empty cursor", "cursor" },
        { "null filter", "filter" },
    };

    private static OrderQuery InvalidQuery(string name) => name switch
    {
        "page size 0" => new() { PageSize = 0 },
        "page size 1001" => new() { PageSize = 1001 },
        "page size -1" => new() { PageSize = -1 },
        "empty source" => new() { Filter = new() { Sources = ["sp-api", ""] } },
        "blank account" => new() { Filter = new() { Accounts = [" "] } },
        "null source" => new() { Filter = new() { Sources = [null!] } },
        "undefined status" => new() { Filter = new() { Statuses = [(OrderStatus)99] } },
        "too many statuses" => new() { Filter = new() { Statuses = [.. Enumerable.Repeat(OrderStatus.Pending, 101)] } },
        "created window backwards" => new() { Filter = new() { CreatedAfter = T0, CreatedBefore = T0.AddSeconds(-1) } },
        "updated window empty" => new() { Filter = new() { UpdatedAfter = T0, UpdatedBefore = T0 } },
        "blank seller order id" => new() { Filter = new() { SellerOrderId = "  " } },
        "undefined sort" => new() { Sort = (OrderSort)7 },
        "empty cursor" => new() { Cursor = string.Empty },
        "null filter" => new() { Filter = null! },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(InvalidQueries))]
    public async Task Query_AParameterNotAccepted_IsRefusedBeforeAnyIo_NamingIt(string name, string parameter)
    {
        // A closed store refuses any I/O: the query must be refused for its parameter first.
        var store = await CreateStoreAsync();
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }


        var error = await Should.ThrowAsync<InvalidOrderRequestException>(async () => await ((IOrderQuery)store).QueryAsync(InvalidQuery(name)));

        error.ParameterName.ShouldBe(parameter);
        error.Message.ShouldNotBeNullOrWhiteSpace();
        if (parameter == "pageSize")
        {
            error.Message.ShouldContain("from 1 to 1000");
        }
    }

    [Fact]
    public async Task Summarize_AParameterNotAccepted_IsRefusedBeforeAnyIo_NamingIt()
    {
        var store = await CreateStoreAsync();
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        var query = (IOrderQuery)store;

        (await Should.ThrowAsync<InvalidOrderRequestException>(() => query.SummarizeAsync(new OrderFilter(), OrderGrouping.CreatedDay | OrderGrouping.CreatedMonth))).ParameterName.ShouldBe("groupBy");
        (await Should.ThrowAsync<InvalidOrderRequestException>(() => query.SummarizeAsync(new OrderFilter(), (OrderGrouping)64))).ParameterName.ShouldBe("groupBy");
        (await Should.ThrowAsync<InvalidOrderRequestException>(() => query.SummarizeAsync(new OrderFilter { Sources = [""] }))).ParameterName.ShouldBe("sources");
        (await Should.ThrowAsync<InvalidOrderRequestException>(() => query.SummarizeAsync(new OrderFilter { CreatedAfter = T0, CreatedBefore = T0 }))).ParameterName.ShouldBe("createdBefore");
    }

    [Fact]
    public Task Summarize_Everything_IsOneGroup_TotalsPerCurrency_NeverSummedAcrossCurrencies() => WithStoreAsync(async (_, query) =>
    {
        var summary = await query.SummarizeAsync(new OrderFilter());

        var group = summary.ShouldHaveSingleItem();
        (group.Source, group.AccountId, group.Status, group.CreatedOn).ShouldBe((null, null, null, null));
        group.Count.ShouldBe(SampleOrders.Count);
        group.Totals.ShouldBe([new Money(3m, null), new Money(7.25m, "EUR"), new Money(139.01m, "USD")]);
        return true;
    });

    [Fact]
    public Task Summarize_EmptyStore_IsOneGroupOfNothing() => WithStoreAsync(
        async (_, query) =>
        {
            var group = (await query.SummarizeAsync(new OrderFilter())).ShouldHaveSingleItem();

            group.Count.ShouldBe(0);
            group.Totals.ShouldBeEmpty();
            (await query.SummarizeAsync(new OrderFilter(), OrderGrouping.Source)).ShouldBeEmpty();
            return true;
        },
        seeded: false);

    /// <summary>Every grouping, each compared with the documented one computed over the sample orders.</summary>
    public static TheoryData<OrderGrouping> Groupings =>
    [
        OrderGrouping.Source,
        OrderGrouping.Account,
        OrderGrouping.Status,
        OrderGrouping.CreatedDay,
        OrderGrouping.CreatedMonth,
        OrderGrouping.Source | OrderGrouping.Status,
        OrderGrouping.Source | OrderGrouping.Account | OrderGrouping.Status | OrderGrouping.CreatedMonth,
        OrderGrouping.Status | OrderGrouping.CreatedDay,
    ];

    [Theory]
    [MemberData(nameof(Groupings))]
    public Task Summarize_ByAnyGrouping_ForEveryFilter_CountsAndTotalsEachGroup(OrderGrouping groupBy) => WithStoreAsync(async (_, query) =>
    {
        foreach (var (name, filter) in Filters)
        {
            var summary = await query.SummarizeAsync(filter, groupBy);

            summary.Select(Describe).ShouldBe(ExpectedSummary(SampleOrders.Where(o => Matches(filter, o)), groupBy).Select(Describe), $"{name}, by {groupBy}");
        }

        return true;
    });

    [Fact]
    public Task Summarize_ByStatusAndSource_AnswersWhatIsStillUnshipped() => WithStoreAsync(async (_, query) =>
    {
        var summary = await query.SummarizeAsync(new OrderFilter { Statuses = [OrderStatus.Pending, OrderStatus.InProgress] }, OrderGrouping.Source | OrderGrouping.Status);

        summary.Select(g => (g.Source, g.Status, g.Count)).ShouldBe(
        [
            ("outposts", OrderStatus.Pending, 2L),
            ("outposts", OrderStatus.InProgress, 1L),
            ("sp-api", OrderStatus.Pending, 1L),
        ]);
        summary[0].Totals.ShouldBe([new Money(3m, null), new Money(100m, "USD")]);
        return true;
    });

    [Fact]
    public Task Summarize_ByDayAndMonth_UsesTheUtcDateOfCreation_OrdersWithoutOneInTheirOwnGroup() => WithStoreAsync(async (_, query) =>
    {
        var byDay = await query.SummarizeAsync(new OrderFilter(), OrderGrouping.CreatedDay);
        var byMonth = await query.SummarizeAsync(new OrderFilter(), OrderGrouping.CreatedMonth);

        byDay.Select(g => (g.CreatedOn, g.Count)).ShouldBe([(null, 2L), (new DateOnly(2026, 3, 1), 6L), (new DateOnly(2026, 3, 2), 1L), (new DateOnly(2026, 4, 1), 1L)]);
        byMonth.Select(g => (g.CreatedOn, g.Count)).ShouldBe([(null, 2L), (new DateOnly(2026, 3, 1), 7L), (new DateOnly(2026, 4, 1), 1L)]);
        return true;
    });

    [Fact]
    public Task Query_FollowsUpdates_AnUpdatedOrderMovesAndIsFilteredByItsNewValues() => WithStoreAsync(async (store, query) =>
    {
        var moved = SampleOrders[0] with { Status = new ProviderValue<OrderStatus>(OrderStatus.Shipped, "SHIPPED"), LastUpdatedAt = T0.AddDays(100), Total = new Money(12m, "USD"), SellerOrderId = "S-9" };
        (await store.UpsertAsync(moved)).ShouldBe(StoreOutcome.Updated);

        (await query.QueryAsync(new OrderQuery { PageSize = 1 })).Items.Single().Reference.ShouldBe(Ref(moved));
        (await query.QueryAsync(new OrderQuery { Filter = new() { Statuses = [OrderStatus.Pending], Sources = ["sp-api"] } })).Items.ShouldBeEmpty();
        (await query.QueryAsync(new OrderQuery { Filter = new() { SellerOrderId = "S-9" } })).Items.Single().Reference.ShouldBe(Ref(moved));
        (await query.SummarizeAsync(new OrderFilter { Sources = ["sp-api"] })).Single().Totals.ShouldBe([new Money(5.25m, "EUR"), new Money(32.50m, "USD")]);
        return true;
    });

    /// <summary>
    /// A reader pages through while a writer keeps inserting and updating orders. Sorted by creation, no order is
    /// skipped or repeated; sorted by last update, every order the writer did not touch is seen exactly once.
    /// </summary>
    [Theory]
    [MemberData(nameof(Sorts))]
    public Task Query_PagesUnderAConcurrentWriter_NeitherSkipNorRepeat_WhatTheWriterLeavesAlone(OrderSort sort) => WithStoreAsync(
        async (store, query) =>
        {
            const int Seeded = 240;
            var seeded = Enumerable.Range(0, Seeded)
                .Select(i => Make(i % 3 == 0 ? "outposts" : "sp-api", $"seed-{i:D4}", "acct", OrderStatus.Pending, created: i * 2, updated: i * 2, new Money(1m, "USD")))
                .ToArray();
            foreach (var chunk in seeded.Chunk(60))
            {
                await store.AddToRunAsync("seed", [.. chunk.Select(Ref)]);
                await store.CommitAsync("seed", [.. chunk.Select(o => new SyncResult { Reference = Ref(o), Order = o })]);
            }

            var touched = new ConcurrentDictionary<OrderReference, bool>();
            var turn = new SemaphoreSlim(0);
            var started = new SemaphoreSlim(0);
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                var random = new Random(7);
                var n = 0;
                while (true)
                {
                    // A few writes per page the reader reads, started as the reader starts its next page: they run
                    // while it reads, and the read still ends (fewer orders are inserted than a page holds).
                    try
                    {
                        await turn.WaitAsync(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    started.Release();
                    for (var k = 0; k < 4; k++, n++)
                    {
                        if (n % 2 == 0)
                        {
                            // A new order created anywhere in the seeded range, before or after the reader's place.
                            await store.UpsertAsync(Make("acme", $"new-{n:D5}", "acct", OrderStatus.Pending, created: random.Next(Seeded * 2), updated: random.Next(Seeded * 2), null));
                        }
                        else
                        {
                            // An update of a seeded order: a later last update and another status; its creation time is kept.
                            var order = seeded[random.Next(Seeded)];
                            touched[Ref(order)] = true;
                            await store.UpsertAsync(order with { Status = new ProviderValue<OrderStatus>(OrderStatus.Shipped, "SHIPPED"), LastUpdatedAt = T0.AddHours((Seeded * 2) + n) });
                        }
                    }
                }
            });

            List<OrderReference> seen;
            try
            {
                (seen, _) = await ReadAllPagesAsync(query, new OrderQuery { Sort = sort, PageSize = 7 }, async () =>
                {
                    turn.Release();
                    await started.WaitAsync();
                });
            }
            finally
            {
                await stop.CancelAsync();
                await writer;
            }

            var seenSeeded = seen.Where(r => r.OrderId.StartsWith("seed-", StringComparison.Ordinal)).ToList();
            touched.Count.ShouldBeGreaterThan(0, "the writer updated orders while the reader read");
            if (sort.IsByCreation())
            {
                seen.Distinct().Count().ShouldBe(seen.Count, "no order is repeated");
                seenSeeded.OrderBy(r => r.OrderId, StringComparer.Ordinal).ShouldBe(seeded.Select(Ref).OrderBy(r => r.OrderId, StringComparer.Ordinal), "every order stored before the read is seen once, updated or not");
            }
            else
            {
                var untouched = seeded.Select(Ref).Where(r => !touched.ContainsKey(r)).ToList();
                untouched.Count.ShouldBeGreaterThan(0);
                foreach (var reference in untouched)
                {
                    seenSeeded.Count(r => r == reference).ShouldBe(1, $"{reference} was not updated during the read");
                }

                seen.GroupBy(r => r).Max(g => g.Count()).ShouldBeLessThanOrEqualTo(2, "an updated order is seen at most at its old place and its new one");
            }

            // What was read is in the documented order of the values each order had when its page was read.
            seenSeeded.Where(r => !touched.ContainsKey(r)).ShouldBe(
                seeded.Where(o => !touched.ContainsKey(Ref(o))).Order(SortOrder(sort)).Select(Ref).ToList());
            return true;
        },
        seeded: false);

    private static string Describe(OrderGroupSummary group) =>
        $"{group.Source}|{group.AccountId}|{group.Status}|{group.CreatedOn:yyyy-MM-dd}|{group.Count}|{string.Join(",", group.Totals.Select(t => $"{t.Amount:0.00####} {t.CurrencyCode}"))}";

    private static List<OrderGroupSummary> ExpectedSummary(IEnumerable<Order> orders, OrderGrouping groupBy)
    {
        var groups = orders
            .GroupBy(o => (
                Source: groupBy.HasFlag(OrderGrouping.Source) ? o.Source : null,
                Account: groupBy.HasFlag(OrderGrouping.Account) ? o.AccountId : null,
                Status: groupBy.HasFlag(OrderGrouping.Status) ? o.Status.Value : (OrderStatus?)null,
                Period: o.CreatedAt is not { } created ? null
                    : groupBy.HasFlag(OrderGrouping.CreatedDay) ? DateOnly.FromDateTime(created.UtcDateTime)
                    : groupBy.HasFlag(OrderGrouping.CreatedMonth) ? new DateOnly(created.UtcDateTime.Year, created.UtcDateTime.Month, 1)
                    : (DateOnly?)null))
            .Select(g => new OrderGroupSummary
            {
                Source = g.Key.Source,
                AccountId = g.Key.Account,
                Status = g.Key.Status,
                CreatedOn = g.Key.Period,
                Count = g.Count(),
                Totals = [.. g.Where(o => o.Total is not null).GroupBy(o => o.Total!.Value.CurrencyCode).Select(c => new Money(c.Sum(o => o.Total!.Value.Amount), c.Key)).OrderBy(m => m.CurrencyCode, StringComparer.Ordinal)],
            })
            .OrderBy(g => g.Source, StringComparer.Ordinal).ThenBy(g => g.AccountId, StringComparer.Ordinal).ThenBy(g => g.Status).ThenBy(g => g.CreatedOn)
            .ToList();
        return groupBy == OrderGrouping.None && groups.Count == 0 ? [new OrderGroupSummary()] : groups;
    }
}
