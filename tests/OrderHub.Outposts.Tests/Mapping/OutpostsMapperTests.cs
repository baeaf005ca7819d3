using System.Net;
using System.Text;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Http;
using OrderHub.Outposts.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Mapping;

public sealed class OutpostsMapperTests : IAsyncLifetime
{
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

    private Order Read(string body, string requestId = "req-1") =>
        _source.ReadOrder(new OutpostsResponse(HttpStatusCode.OK, Encoding.UTF8.GetBytes(body), requestId, null, null), new OrderErrorContext("outposts"));

    [Fact]
    public void Map_EveryOrderLineItemShipmentAndAssetMember_LandsWithItsValue()
    {
        var order = Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "get-order-full.json")));

        order.Source.ShouldBe("outposts");
        order.OrderId.ShouldBe("oo-0123456789abcdef0");
        order.AccountId.ShouldBe("op-0123456789abcdef0");
        order.QuoteId.ShouldBe("arn:aws:outposts:us-west-2:123456789012:quote/oq-0123456789abcdef0");
        order.QuoteOptionId.ShouldBe("oqo-0123456789abcdef0");
        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.InProgress, "IN_PROGRESS"));
        order.Type.ShouldBe(new ProviderValue<OrderType>(OrderType.Replacement, "REPLACEMENT"));
        order.Payment!.Option.ShouldBe(new ProviderValue<PaymentOption>(PaymentOption.PartialUpfront, "PARTIAL_UPFRONT"));
        order.Payment.Term.ShouldBe(new ProviderValue<PaymentTerm>(PaymentTerm.FiveYears, "FIVE_YEARS"));
        order.CreatedAt.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        order.FulfilledAt.ShouldBe(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        order.CreatedAt!.Value.Offset.ShouldBe(TimeSpan.Zero);

        order.Lines.Count.ShouldBe(2);
        var line = order.Lines[0];
        line.CatalogItemId.ShouldBe("OR-ABC1234");
        line.LineId.ShouldBe("ooi-0123456789abcdef0");
        line.Quantity.ShouldBe(2);
        line.Status.ShouldBe(new ProviderValue<OrderLineStatus>(OrderLineStatus.Shipped, "SHIPPED"));
        line.Shipment.ShouldBe(new LineShipment(new ProviderValue<ShipmentCarrier>(ShipmentCarrier.Expeditors, "EXPEDITORS"), "1Z999AA10123456784"));
        line.Assets.Count.ShouldBe(2);
        line.Assets[0].AssetId.ShouldBe("asset1");
        line.Assets[0].MacAddresses.ShouldBe(["0A:1B:2C:3D:4E:5F", "0a-1b-2c-3d-4e-60"]);
        line.Assets[1].MacAddresses.ShouldBeEmpty();
        line.ReplacesLineId.ShouldBe("ooi-00000000000000001");
        line.ReplacesOrderId.ShouldBe("oo-00000000000000001");
        order.Lines[1].Status!.Value.Value.ShouldBe(OrderLineStatus.Replaced);
        order.Lines[1].Shipment.ShouldBeNull();
        order.RawPayload!.Element.GetProperty("PaymentTerm").GetString().ShouldBe("FIVE_YEARS");
    }

    [Theory]
    [InlineData("RECEIVED", OrderStatus.Pending)]
    [InlineData("PENDING", OrderStatus.Pending)]
    [InlineData("PROCESSING", OrderStatus.InProgress)]
    [InlineData("INSTALLING", OrderStatus.InProgress)]
    [InlineData("FULFILLED", OrderStatus.Completed)]
    [InlineData("CANCELLED", OrderStatus.Cancelled)]
    [InlineData("PREPARING", OrderStatus.Pending)]
    [InlineData("IN_PROGRESS", OrderStatus.InProgress)]
    [InlineData("DELIVERED", OrderStatus.Delivered)]
    [InlineData("COMPLETED", OrderStatus.Completed)]
    [InlineData("ERROR", OrderStatus.Failed)]
    public void Map_EveryOrderStatusDeprecatedIncluded_Maps(string status, OrderStatus expected) =>
        Read($$$"""{"Order":{"OrderId":"oo-0123456789abcdef0","Status":"{{{status}}}"}}""").Status.Value.ShouldBe(expected);

    [Theory]
    [InlineData("PREPARING", OrderLineStatus.Pending)]
    [InlineData("BUILDING", OrderLineStatus.InProgress)]
    [InlineData("SHIPPED", OrderLineStatus.Shipped)]
    [InlineData("DELIVERED", OrderLineStatus.Delivered)]
    [InlineData("INSTALLING", OrderLineStatus.Installing)]
    [InlineData("INSTALLED", OrderLineStatus.Installed)]
    [InlineData("ERROR", OrderLineStatus.Failed)]
    [InlineData("CANCELLED", OrderLineStatus.Cancelled)]
    [InlineData("REPLACED", OrderLineStatus.Replaced)]
    public void Map_EveryLineItemStatus_Maps(string status, OrderLineStatus expected) =>
        Read($$$"""{"Order":{"OrderId":"oo-0123456789abcdef0","LineItems":[{"Status":"{{{status}}}"}]}}""").Lines[0].Status!.Value.Value.ShouldBe(expected);

    [Theory]
    [InlineData("DHL", ShipmentCarrier.Dhl)]
    [InlineData("DBS", ShipmentCarrier.Dbs)]
    [InlineData("FEDEX", ShipmentCarrier.FedEx)]
    [InlineData("UPS", ShipmentCarrier.Ups)]
    [InlineData("EXPEDITORS", ShipmentCarrier.Expeditors)]
    public void Map_EveryCarrier_Maps(string carrier, ShipmentCarrier expected) =>
        Read($$$"""{"Order":{"OrderId":"oo-0123456789abcdef0","LineItems":[{"ShipmentInformation":{"ShipmentCarrier":"{{{carrier}}}"}}]}}""").Lines[0].Shipment!.Carrier!.Value.Value.ShouldBe(expected);

    [Fact]
    public void Map_ValuesAwsAddsLater_AreUnknownWithRawKept()
    {
        var order = Read("""{"Order":{"OrderId":"oo-0123456789abcdef0","Status":"ON_HOLD","OrderType":"UPGRADE","PaymentOption":"MONTHLY","PaymentTerm":"TEN_YEARS","LineItems":[{"Status":"RECYCLED","ShipmentInformation":{"ShipmentCarrier":"DRONE"}}],"NewMember":{"a":1}}}""");

        order.Status.ShouldBe(new ProviderValue<OrderStatus>(OrderStatus.Unknown, "ON_HOLD"));
        order.Type!.Value.Raw.ShouldBe("UPGRADE");
        order.Payment!.Option!.Value.Raw.ShouldBe("MONTHLY");
        order.Payment.Term!.Value.Value.ShouldBe(PaymentTerm.Unknown);
        order.Lines[0].Status!.Value.Raw.ShouldBe("RECYCLED");
        order.Lines[0].Shipment!.Carrier!.Value.Raw.ShouldBe("DRONE");
        order.RawPayload!.Element.GetProperty("NewMember").GetProperty("a").GetInt32().ShouldBe(1);
    }

    [Theory]
    [InlineData("1700000000", 0)]
    [InlineData("1700000000.5", 500)]
    [InlineData("\"1700000000.25\"", 250)]
    [InlineData("\"2023-11-14T22:13:20Z\"", 0)]
    [InlineData("\"2023-11-14T22:13:20.750Z\"", 750)]
    public void Map_Timestamps_EpochSecondsOrIso8601(string json, int milliseconds) =>
        Read($$$"""{"Order":{"OrderId":"oo-0123456789abcdef0","OrderSubmissionDate":{{{json}}}}}""").CreatedAt
            .ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddMilliseconds(milliseconds));

    [Theory]
    [InlineData("{\"Order\":{\"OrderId\":\"oo-0123456789abcdef0\",\"OrderSubmissionDate\":\"last week\"}}")]
    [InlineData("{\"Order\":{\"OrderId\":\"oo-0123456789abcdef0\",\"Quantity")]
    [InlineData("{\"Orders\":[]}")]
    [InlineData("not json")]
    [InlineData("{\"Order\":{}}")]
    public void Read_BodyThatCannotBeUnderstood_IsAProtocolErrorWithTheRequestId(string body)
    {
        var error = Should.Throw<OrderSourceProtocolException>(() => Read(body, "req-bad"));

        error.RequestId.ShouldBe("req-bad");
        error.ResponseExcerpt.ShouldBe(body);
    }
}
