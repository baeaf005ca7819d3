using OrderHub.Tests.Sources;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Lookup;

public sealed class OrderLookupTests
{
    private readonly InMemoryOrderSource _sp = new InMemoryOrderSource("sp-api", InMemoryOrderSource.ThreeSevenSeven).Add("902-3159896-1390916");
    private readonly InMemoryOrderSource _outposts = new InMemoryOrderSource("outposts", InMemoryOrderSource.OutpostsStyle).Add("oo-0123456789abcdef0");

    [Fact]
    public async Task GetOrderAsync_ByIdAlone_RoutesOnTheIdFormat()
    {
        var lookup = new OrderLookup([_sp, _outposts]);

        var fromSp = await lookup.GetOrderAsync("902-3159896-1390916");
        var fromOutposts = await lookup.GetOrderAsync("oo-0123456789abcdef0");

        fromSp.Source.ShouldBe("sp-api");
        fromOutposts.Source.ShouldBe("outposts");
        _sp.Requests.ShouldBe(1);
        _outposts.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrderAsync_BySourceName_IgnoresCaseAndUsesThatSource()
    {
        var lookup = new OrderLookup([_sp, _outposts]);

        var order = await lookup.GetOrderAsync("SP-API", "902-3159896-1390916");

        order.OrderId.ShouldBe("902-3159896-1390916");
        _outposts.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task GetOrderAsync_IdNoSourceRecognizes_NamesEveryAcceptedFormat()
    {
        var lookup = new OrderLookup([_sp, _outposts]);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => lookup.GetOrderAsync("12345"));

        error.Message.ShouldContain("sp-api: 3-7-7 digits, like 902-3159896-1390916");
        error.Message.ShouldContain("outposts: 'oo-' and 17 lowercase hex digits, like oo-0123456789abcdef0");
        error.OrderId.ShouldBe("12345");
        (_sp.Requests + _outposts.Requests).ShouldBe(0);
    }

    [Fact]
    public async Task GetOrderAsync_IdTwoSellersRecognize_TriesThemInOrder_NotFoundPassingToTheNext()
    {
        var europe = new InMemoryOrderSource("sp-eu", InMemoryOrderSource.ThreeSevenSeven).Add("111-0000000-0000001");
        var america = new InMemoryOrderSource("sp-na", InMemoryOrderSource.ThreeSevenSeven).Add("111-0000000-0000002");
        var lookup = new OrderLookup([europe, america]);

        (await lookup.GetOrderAsync("111-0000000-0000001")).Source.ShouldBe("sp-eu");
        (await lookup.GetOrderAsync("111-0000000-0000002")).Source.ShouldBe("sp-na");
        var missing = await Should.ThrowAsync<OrderNotFoundException>(() => lookup.GetOrderAsync("111-0000000-0000003"));

        missing.Message.ShouldContain("sp-eu, sp-na");
        (europe.Requests, america.Requests).ShouldBe((3, 2), "the first seller is asked every time, the second only when the first has no such order");
        lookup.ResolveSources("111-0000000-0000001").Select(s => s.Name).ShouldBe(["sp-eu", "sp-na"]);
        Should.Throw<InvalidOrderRequestException>(() => lookup.ResolveSource("111-0000000-0000001")).Message.ShouldContain("sp-eu, sp-na");
    }

    [Fact]
    public async Task GetOrderAsync_IdTwoSellersRecognize_AnErrorOtherThanNotFound_EndsTheCall()
    {
        var failing = new FailingSource("sp-eu");
        var america = new InMemoryOrderSource("sp-na", InMemoryOrderSource.ThreeSevenSeven).Add("111-0000000-0000002");
        var lookup = new OrderLookup([failing, america]);

        await Should.ThrowAsync<OrderSourceUnavailableException>(() => lookup.GetOrderAsync("111-0000000-0000002"));

        america.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task GetOrderAsync_IdOfAMarketplaceWithNoSourceConfigured_SaysWhatToConfigure()
    {
        var lookup = new OrderLookup([_sp]);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => lookup.GetOrderAsync("oo-0123456789abcdef0"));

        error.Message.ShouldContain("AWS Outposts order id");
        error.Message.ShouldContain("AddAwsOutposts");
    }

    [Fact]
    public async Task GetOrderAsync_IdOfAMarketplaceWithNoSourceConfigured_SaysWhatTheApplicationsHintSays()
    {
        var hint = new OrderSourceConfigurationHint("AWS Outposts", KnownOrderIdFormats.OutpostsOrderId, "set AWS_REGION");
        var lookup = new OrderLookup([_sp], [hint]);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => lookup.GetOrderAsync("oo-0123456789abcdef0"));

        error.Message.ShouldContain("AWS Outposts order id, and no AWS Outposts source is configured: set AWS_REGION.");
        error.Message.ShouldNotContain("AddAwsOutposts", Case.Sensitive, "the application's words replace the library's");
        error.ParameterName.ShouldBe("orderId");
    }

    [Fact]
    public void ResolveSources_IdOfAMarketplaceOnlyAHintKnows_SaysWhatToConfigure()
    {
        var shop = new OrderIdFormat("'SHOP-' and 6 digits", "SHOP-123456", new System.Text.RegularExpressions.Regex("^SHOP-[0-9]{6}$"));
        var lookup = new OrderLookup([_sp, _outposts], [new OrderSourceConfigurationHint("Example Shop", shop, "add a shop source")]);

        var error = Should.Throw<InvalidOrderRequestException>(() => lookup.ResolveSources("SHOP-000001"));

        error.Message.ShouldContain("It is an Example Shop order id, and no Example Shop source is configured: add a shop source.");
    }

    private sealed class FailingSource(string name) : IOrderSource
    {
        public string Name => name;

        public OrderIdFormat OrderIdFormat => InMemoryOrderSource.ThreeSevenSeven;

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
            throw new OrderSourceUnavailableException("HTTP 503", new OrderErrorContext(name, orderId));
    }

    [Fact]
    public async Task GetOrderAsync_WithSourceName_StillLetsTheSourceRejectAForeignId()
    {
        var lookup = new OrderLookup([_sp, _outposts]);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => lookup.GetOrderAsync("outposts", "902-3159896-1390916"));

        error.Message.ShouldContain("'oo-' and 17 lowercase hex digits");
    }

    [Fact]
    public void GetSource_UnknownName_ListsRegisteredNames()
    {
        var lookup = new OrderLookup([_sp, _outposts]);

        var error = Should.Throw<InvalidOrderRequestException>(() => lookup.GetSource("shopify"));

        error.Message.ShouldContain("sp-api, outposts");
        error.ParameterName.ShouldBe("source");
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws() =>
        Should.Throw<ArgumentException>(() => new OrderLookup([_sp, new InMemoryOrderSource("SP-API", InMemoryOrderSource.ThreeSevenSeven)]));

    [Fact]
    public async Task GetOrderAsync_NoSources_SaysSo()
    {
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => new OrderLookup([]).GetOrderAsync("902-3159896-1390916"));

        error.Message.ShouldContain("no sources are registered");
    }
}
