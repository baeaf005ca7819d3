using Shouldly;
using Xunit;

namespace OrderHub.Testing;

/// <summary>A change feed under test: the orders its window holds, the marketplaces a query names, and a count of its upstream requests.</summary>
/// <param name="Feed">The feed, wired to a real server (or the emulator) over loopback, or scripted.</param>
/// <param name="Since">A window start before every order the feed holds.</param>
/// <param name="OrderIds">Every order the feed lists for a query from <paramref name="Since"/> with <paramref name="MarketplaceIds"/>: at least five.</param>
/// <param name="MarketplaceIds">The marketplaces every query of the suite names (empty where the feed needs none).</param>
/// <param name="Now">The feed's clock.</param>
/// <param name="UpstreamRequestCount">How many page requests the feed has sent upstream so far.</param>
/// <param name="DisposeAsync">Releases the feed and its server.</param>
public sealed record OrderChangeFeedUnderTest(
    IOrderChangeFeed Feed,
    DateTimeOffset Since,
    IReadOnlyCollection<string> OrderIds,
    IReadOnlyList<string> MarketplaceIds,
    Func<DateTimeOffset> Now,
    Func<int> UpstreamRequestCount,
    Func<ValueTask>? DisposeAsync = null);

/// <summary>
/// What every <see cref="IOrderChangeFeed"/> must do, whatever its upstream: list every order of a window once, in
/// whole pages that resume from their tokens, and refuse before any request a query its rules forbid. Each feed's test
/// class inherits this and supplies the feed.
/// </summary>
public abstract class OrderChangeFeedContractTests : IAsyncLifetime
{
    private const int SmallPage = 2;
    private OrderChangeFeedUnderTest? _subject;

    protected OrderChangeFeedUnderTest Subject => _subject ?? throw new InvalidOperationException("The feed was not created.");

    private IOrderChangeFeed Feed => Subject.Feed;

    public async Task InitializeAsync()
    {
        _subject = await CreateFeedAsync();
        _subject.OrderIds.Count.ShouldBeGreaterThanOrEqualTo(5, "the suite needs several pages of small size");
    }

    public async Task DisposeAsync()
    {
        if (_subject?.DisposeAsync is { } dispose)
        {
            await dispose();
        }
    }

    protected abstract Task<OrderChangeFeedUnderTest> CreateFeedAsync();

    [Fact]
    public void Contract_Rules_DescribeAnUpstreamThatCanBeQueried()
    {
        var rules = Feed.ChangeFeedRules;

        rules.SettleDelay.ShouldBeGreaterThanOrEqualTo(TimeSpan.Zero);
        rules.MaxMarketplaces.ShouldBeGreaterThan(0);
        rules.MaxPageSize.ShouldBeGreaterThan(0);
        rules.PageTokenLifetime.ShouldBeGreaterThan(TimeSpan.Zero);
        Feed.ChangeFeedRateLimit.PermitsPerSecond.ShouldBeGreaterThan(0, "pages are paced by a known rate");
        Subject.MarketplaceIds.Count.ShouldBeLessThanOrEqualTo(rules.MaxMarketplaces);
        (Subject.MarketplaceIds.Count > 0 || !rules.RequiresMarketplace).ShouldBeTrue("the suite's queries must be ones the feed accepts");
    }

    [Fact]
    public async Task Contract_AWindow_ListsEveryOrderOnce_InWholePagesOfAtMostThePageSize()
    {
        var pages = await ReadAllAsync(Query() with { PageSize = SmallPage });

        var orders = pages.SelectMany(p => p.Orders).ToArray();
        orders.Select(o => o.OrderId).ShouldBe(Subject.OrderIds, ignoreOrder: true);
        orders.Select(o => o.OrderId).Distinct(StringComparer.Ordinal).Count().ShouldBe(orders.Length, "no order is listed twice");
        pages.ShouldAllBe(p => p.Orders.Count <= SmallPage);
        pages.Take(pages.Count - 1).ShouldAllBe(p => p.NextPageToken != null, "every page but the last leads to the next");
        pages[^1].NextPageToken.ShouldBeNull("the last page ends the query");
        orders.ShouldAllBe(o => o.Source == Feed.Name && o.RawPayload != null, "whole orders of this source, with their payload");
    }

    [Fact]
    public async Task Contract_OrdersListed_FallInTheWindow_WithUtcTimes()
    {
        var orders = (await ReadAllAsync(Query())).SelectMany(p => p.Orders).ToArray();

        orders.ShouldNotBeEmpty();
        foreach (var order in orders)
        {
            order.LastUpdatedAt.ShouldNotBeNull($"{order.OrderId}: a change feed knows when an order last changed");
            order.LastUpdatedAt!.Value.Offset.ShouldBe(TimeSpan.Zero);
            order.LastUpdatedAt.Value.ShouldBeGreaterThanOrEqualTo(Subject.Since);
            order.LastUpdatedAt.Value.ShouldBeLessThanOrEqualTo(Subject.Now() - Feed.ChangeFeedRules.SettleDelay);
        }
    }

    [Fact]
    public async Task Contract_APageToken_ResumesTheQuery_AfterThePageItCameWith()
    {
        var query = Query() with { PageSize = SmallPage };
        OrderChangePage first;
        await using (var pages = Feed.ReadChangesAsync(query).GetAsyncEnumerator())
        {
            (await pages.MoveNextAsync()).ShouldBeTrue();
            first = pages.Current;
        }

        first.NextPageToken.ShouldNotBeNull();
        var rest = (await ReadAllAsync(query with { PageToken = first.NextPageToken })).SelectMany(p => p.Orders);

        first.Orders.Concat(rest).Select(o => o.OrderId).ShouldBe(Subject.OrderIds, ignoreOrder: true);
    }

    [Fact]
    public async Task Contract_AWindowEndingBeforeTheUpstreamHasSettled_IsRefusedBeforeAnyRequest()
    {
        var settle = Feed.ChangeFeedRules.SettleDelay;
        var query = Query() with { Before = Subject.Now() - (settle / 2) + TimeSpan.FromSeconds(1) };

        await ShouldBeRefusedAsync(query);
    }

    [Fact]
    public async Task Contract_AWindowThatEndsBeforeItStarts_IsRefusedBeforeAnyRequest() =>
        await ShouldBeRefusedAsync(Query() with { Before = Subject.Since.AddDays(-1) });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task Contract_APageSizeOutsideTheRules_IsRefusedBeforeAnyRequest(int size) =>
        await ShouldBeRefusedAsync(Query() with { PageSize = size == int.MaxValue ? Feed.ChangeFeedRules.MaxPageSize + 1 : size });

    [Fact]
    public async Task Contract_MoreMarketplacesThanAllowed_AreRefusedBeforeAnyRequest() =>
        await ShouldBeRefusedAsync(Query() with { MarketplaceIds = [.. Enumerable.Range(0, Feed.ChangeFeedRules.MaxMarketplaces + 1).Select(i => $"M{i}")] });

    [Fact]
    public async Task Contract_Cancellation_EndsTheRead()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var page in Feed.ReadChangesAsync(Query(), cancelled.Token))
            {
                page.ShouldBeNull("a cancelled read yields nothing");
            }
        });
    }

    [Fact]
    public async Task Contract_APage_SaysNoOrderOfItsOwnInToString()
    {
        var page = (await ReadAllAsync(Query() with { PageSize = SmallPage }))[0];

        var text = page.ToString();
        foreach (var order in page.Orders)
        {
            text.ShouldNotContain(order.OrderId);
        }
    }

    private OrderChangeQuery Query() => new() { After = Subject.Since, MarketplaceIds = Subject.MarketplaceIds };

    private async Task<List<OrderChangePage>> ReadAllAsync(OrderChangeQuery query)
    {
        var pages = new List<OrderChangePage>();
        await foreach (var page in Feed.ReadChangesAsync(query))
        {
            pages.Add(page);
        }

        return pages;
    }

    private async Task ShouldBeRefusedAsync(OrderChangeQuery query)
    {
        var before = Subject.UpstreamRequestCount();

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => ReadAllAsync(query));

        error.SourceName.ShouldBe(Feed.Name);
        error.Message.ShouldNotBeNullOrWhiteSpace();
        Subject.UpstreamRequestCount().ShouldBe(before, "nothing is sent for a query the rules forbid");
    }
}
