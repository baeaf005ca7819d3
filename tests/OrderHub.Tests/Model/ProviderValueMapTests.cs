using OrderHub.Providers;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Model;

public sealed class ProviderValueMapTests
{
    private static readonly ProviderValueMap<ShipmentCarrier> Carriers = new(new Dictionary<string, ShipmentCarrier>
    {
        ["DHL"] = ShipmentCarrier.Dhl,
        ["UPS"] = ShipmentCarrier.Ups,
    });

    [Fact]
    public void Map_KnownValue_GivesMemberAndKeepsRaw()
    {
        var value = Carriers.Map("DHL");

        value.Value.ShouldBe(ShipmentCarrier.Dhl);
        value.Raw.ShouldBe("DHL");
        value.IsKnown.ShouldBeTrue();
    }

    [Fact]
    public void Map_ValueAddedLaterByProvider_IsUnknownWithRawKeptAndNeverThrows()
    {
        var value = Carriers.Map("EXPEDITORS");

        value.Value.ShouldBe(ShipmentCarrier.Unknown);
        value.Raw.ShouldBe("EXPEDITORS");
        value.IsKnown.ShouldBeFalse();
        value.ToString().ShouldBe("EXPEDITORS");
    }

    [Fact]
    public void Map_DifferentCase_MapsButKeepsTheProvidersSpelling()
    {
        var value = Carriers.Map("ups");

        value.Value.ShouldBe(ShipmentCarrier.Ups);
        value.Raw.ShouldBe("ups");
    }

    [Fact]
    public void MapOptional_Absent_IsNull() => Carriers.MapOptional(null).ShouldBeNull();

    [Fact]
    public void Map_EmptyString_IsUnknown() => Carriers.Map(string.Empty).Value.ShouldBe(ShipmentCarrier.Unknown);
}
