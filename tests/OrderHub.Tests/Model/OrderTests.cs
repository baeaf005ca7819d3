using System.Text.Json;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Model;

public sealed class OrderTests
{
    private static readonly PostalAddress Home = new()
    {
        Name = "Jane Buyer",
        AddressLine1 = "1 Private Lane",
        City = "Canton",
        PostalCode = "48817",
        CountryCode = "US",
        Phone = "+1 555 0100",
    };

    private sealed record SampleDetails(string? BuyerEmail, bool IsPrime) : ProviderOrderDetails
    {
        public override ProviderOrderDetails WithoutPersonalData() => this with { BuyerEmail = null };
    }

    private static Order HandBuiltOutpostsOrder() => new()
    {
        Source = "outposts",
        OrderId = "oo-0123456789abcdef0",
        AccountId = "op-0123456789abcdef0",
        Status = new(OrderStatus.InProgress, "IN_PROGRESS"),
        Type = new(OrderType.Replacement, "REPLACEMENT"),
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        FulfilledAt = DateTimeOffset.FromUnixTimeSeconds(1_700_100_000),
        QuoteId = "oq-0123456789abcdef0",
        QuoteOptionId = "oqo-0123456789abcdef0",
        Payment = new OrderPayment { Option = new(PaymentOption.AllUpfront, "ALL_UPFRONT"), Term = new(PaymentTerm.FiveYears, "FIVE_YEARS") },
        Lines =
        [
            new OrderLine
            {
                LineId = "ooi-0123456789abcdef0",
                CatalogItemId = "OR-ABC1234",
                Quantity = 2,
                Status = new(OrderLineStatus.Replaced, "REPLACED"),
                Shipment = new LineShipment(new(ShipmentCarrier.Expeditors, "EXPEDITORS"), "1Z999AA10123456784"),
                Assets = [new LineAsset("asset1", ["0A:1B:2C:3D:4E:5F"])],
                ReplacesOrderId = "oo-00000000000000000",
                ReplacesLineId = "ooi-00000000000000000",
            },
        ],
    };

    [Fact]
    public void Order_HoldsEveryOutpostsOrderAndLineItemField()
    {
        var order = HandBuiltOutpostsOrder();
        var line = order.Lines.ShouldHaveSingleItem();

        order.AccountId.ShouldBe("op-0123456789abcdef0");
        order.Status.Raw.ShouldBe("IN_PROGRESS");
        order.Type!.Value.Value.ShouldBe(OrderType.Replacement);
        order.Payment!.Term!.Value.Value.ShouldBe(PaymentTerm.FiveYears);
        order.QuoteOptionId.ShouldBe("oqo-0123456789abcdef0");
        line.Shipment!.Carrier!.Value.Raw.ShouldBe("EXPEDITORS");
        line.Assets.ShouldHaveSingleItem().MacAddresses.ShouldBe(["0A:1B:2C:3D:4E:5F"]);
        line.ReplacesLineId.ShouldBe("ooi-00000000000000000");
    }

    [Fact]
    public void WithoutPersonalData_RemovesAddressProviderPiiAndRawPayload()
    {
        var order = HandBuiltOutpostsOrder() with
        {
            Shipping = new OrderShipping { Address = Home, ServiceLevel = "Std", ShipFrom = Home },
            ProviderDetails = new SampleDetails("jane@example.com", true),
            RawPayload = OrderHub.RawPayload.FromElement(JsonDocument.Parse("""{"BuyerEmail":"jane@example.com"}""").RootElement),
        };

        var cleaned = order.WithoutPersonalData();

        cleaned.Shipping!.Address.ShouldBeNull();
        cleaned.Shipping.ServiceLevel.ShouldBe("Std");
        cleaned.RawPayload.ShouldBeNull();
        var details = cleaned.GetProviderDetails<SampleDetails>().ShouldNotBeNull();
        details.BuyerEmail.ShouldBeNull();
        details.IsPrime.ShouldBeTrue();
        order.Shipping!.Address.ShouldBe(Home);
    }

    [Fact]
    public void ToString_NeverWritesAddressOrPayload()
    {
        var order = HandBuiltOutpostsOrder() with
        {
            Shipping = new OrderShipping { Address = Home },
            RawPayload = OrderHub.RawPayload.FromElement(JsonDocument.Parse("""{"Name":"Jane Buyer"}""").RootElement),
        };

        var text = order.ToString();

        text.ShouldContain("oo-0123456789abcdef0");
        text.ShouldContain("InProgress");
        text.ShouldNotContain("Jane");
        text.ShouldNotContain("Private Lane");
        Home.ToString().ShouldNotContain("Jane");
        (order.Shipping! with { }).ToString().ShouldNotContain("48817");
    }

    [Fact]
    public void GetProviderDetails_OtherType_IsNull()
    {
        var order = HandBuiltOutpostsOrder() with { ProviderDetails = new SampleDetails(null, false) };

        order.GetProviderDetails<ProviderOrderDetails>().ShouldNotBeNull();
        HandBuiltOutpostsOrder().GetProviderDetails<SampleDetails>().ShouldBeNull();
    }

    [Theory]
    [InlineData(0L, "2026-01-02T03:04:05Z")]
    [InlineData(5_000_000L, "2026-01-02T03:04:05.5Z")]
    [InlineData(1_234_000L, "2026-01-02T03:04:05.1234Z")]
    [InlineData(1_234_567L, "2026-01-02T03:04:05.1234567Z")]
    public void UnifiedJson_Timestamps_AreUtcWithZ_AndTheFractionWithoutTrailingZeros(long fractionTicks, string expected)
    {
        // Given at +02:00: written as the same instant in UTC.
        var local = new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddTicks(fractionTicks);
        var order = HandBuiltOutpostsOrder() with { CreatedAt = local };

        using var json = JsonDocument.Parse(OrderHub.Json.OrderJson.SerializeToUtf8Bytes(order));

        json.RootElement.GetProperty("createdAt").GetString().ShouldBe(expected);
    }
}
