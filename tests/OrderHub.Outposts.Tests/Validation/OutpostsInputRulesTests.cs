using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Validation;

/// <summary>Each rule of the service model, checked before any request (the emulator counts every arrival).</summary>
public sealed class OutpostsInputRulesTests : IAsyncLifetime
{
    private const string Outpost = "op-0123456789abcdef0";
    private EmulatorHost _emulator = null!;
    private OutpostsOrderSource _source = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync();
        _source = OutpostsEmulatorClient.Source(_emulator);
    }

    public async Task DisposeAsync()
    {
        _source.Dispose();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [InlineData("oo-0123456789abcdef0", true)]
    [InlineData("oo-0123456789ABCDEF0", false)]
    [InlineData("oo-0123456789abcdef", false)]
    [InlineData("oo-0123456789abcdef01", false)]
    [InlineData("op-0123456789abcdef0", false)]
    public void OrderId_FollowsTheModelPattern(string id, bool valid) => OutpostsInputRules.OrderId.IsValid(id).ShouldBe(valid);

    [Theory]
    [InlineData("op-0123456789abcdef0", true)]
    [InlineData("arn:aws:outposts:us-west-2:123456789012:outpost/op-0123456789abcdef0", true)]
    [InlineData("arn:aws-us-gov:outposts:us-gov-west-1:123456789012:outpost/op-0123456789abcdef0", true)]
    [InlineData("arn:aws:outposts:us-west-2:12345:outpost/op-0123456789abcdef0", false)]
    [InlineData("op-0123456789abcdefg", false)]
    public void OutpostIdentifier_IsAnIdOrAnArn(string id, bool valid) => OutpostsInputRules.OutpostIdentifier.IsValid(id).ShouldBe(valid);

    [Theory]
    [InlineData("OR-ABC1234", true)]
    [InlineData("OR-abc1234", false)]
    [InlineData("OR-ABC12345", false)]
    [InlineData("XX-ABC1234", false)]
    public void CatalogItemId_FollowsTheModelPattern(string id, bool valid) => OutpostsInputRules.CatalogItemId.IsValid(id).ShouldBe(valid);

    [Theory]
    [InlineData("oq-0123456789abcdef0", true)]
    [InlineData("arn:aws:outposts:us-west-2:123456789012:quote/oq-0123456789abcdef0", true)]
    [InlineData("oqo-0123456789abcdef0", false)]
    public void QuoteIdentifier_IsAnIdOrAnArn(string id, bool valid) => OutpostsInputRules.QuoteIdentifier.IsValid(id).ShouldBe(valid);

    [Theory]
    [InlineData("oqo-0123456789abcdef0", true)]
    [InlineData("oq-0123456789abcdef0", false)]
    public void QuoteOptionIdentifier_FollowsTheModelPattern(string id, bool valid) => OutpostsInputRules.QuoteOptionIdentifier.IsValid(id).ShouldBe(valid);

    public static TheoryData<string, CreateOrderRequest> BadCreates() => new()
    {
        { "OutpostIdentifier", new CreateOrderRequest { AccountId = "outpost-1", Lines = [new("OR-ABC1234", 1)], PaymentOption = PaymentOption.AllUpfront } },
        { "LineItems", new CreateOrderRequest { AccountId = Outpost, PaymentOption = PaymentOption.AllUpfront } },
        { "LineItems", new CreateOrderRequest { AccountId = Outpost, Lines = [.. Enumerable.Repeat(new CreateOrderLine("OR-ABC1234", 1), 21)], PaymentOption = PaymentOption.AllUpfront } },
        { "LineItems[1].CatalogItemId", new CreateOrderRequest { AccountId = Outpost, Lines = [new("OR-ABC1234", 1), new("ABC", 1)], PaymentOption = PaymentOption.AllUpfront } },
        { "LineItems[0].Quantity", new CreateOrderRequest { AccountId = Outpost, Lines = [new("OR-ABC1234", 0)], PaymentOption = PaymentOption.AllUpfront } },
        { "QuoteIdentifier", new CreateOrderRequest { AccountId = Outpost, QuoteId = "quote-1", QuoteOptionId = "oqo-0123456789abcdef0", PaymentOption = PaymentOption.AllUpfront } },
        { "QuoteOptionIdentifier", new CreateOrderRequest { AccountId = Outpost, QuoteId = "oq-0123456789abcdef0", PaymentOption = PaymentOption.AllUpfront } },
        { "option", new CreateOrderRequest { AccountId = Outpost, Lines = [new("OR-ABC1234", 1)], PaymentOption = PaymentOption.Unknown } },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task CreateOrder_BreakingARule_IsRejectedBeforeAnyRequestNamingTheRule(string field, CreateOrderRequest request)
    {
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => _source.CreateOrderAsync(request));

        error.ParameterName.ShouldBe(field);
        error.Message.ShouldNotBeNullOrWhiteSpace();
        _emulator.Outposts.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task CreateOrder_BadOutpost_MessageNamesTheExpectedForm()
    {
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() =>
            _source.CreateOrderAsync(new CreateOrderRequest { AccountId = "outpost-1", Lines = [new("OR-ABC1234", 1)], PaymentOption = PaymentOption.AllUpfront }));

        error.Message.ShouldContain("'op-' and 17 lowercase hex digits");
        error.Message.ShouldContain("outpost-1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task ListOrders_PageSizeOutOfRange_IsRejectedBeforeAnyRequest(int size)
    {
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(async () =>
        {
            await foreach (var _ in _source.ListOrdersAsync(new OrderListQuery { PageSize = size }))
            {
            }
        });

        error.ParameterName.ShouldBe("MaxResults");
        error.Message.ShouldContain("1 to 1000");
        _emulator.Outposts.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task CancelOrder_BadId_IsRejectedBeforeAnyRequest()
    {
        await Should.ThrowAsync<InvalidOrderRequestException>(() => _source.CancelOrderAsync("oo-nope"));

        _emulator.Outposts.Requests.ShouldBe(0);
    }
}
