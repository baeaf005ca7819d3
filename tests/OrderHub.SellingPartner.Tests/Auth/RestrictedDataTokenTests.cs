using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Auth;

public sealed class RestrictedDataTokenTests
{
    [Fact]
    public async Task IncludePersonalData_ReadsAddressBuyerAndTax_WithOneCachedToken()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var source = new SellingPartnerOrderSource(EmulatorClient.Options(emulator), OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        var withPii = new OrderReadOptions { IncludePersonalData = true };
        var ids = emulator.SellingPartner.OrderIds;

        // The second and third orders are Unshipped and PartiallyShipped: their status releases personal data.
        var first = await source.GetOrderAsync(ids[1], withPii);
        var second = await source.GetOrderAsync(ids[2], withPii);

        first.Shipping!.Address!.Name.ShouldBe("Buyer 1");
        second.Shipping!.Address!.Name.ShouldBe("Buyer 2");
        first.GetProviderDetails<SellingPartnerOrderDetails>()!.Buyer!.PurchaseOrderNumber.ShouldBe("PO-000001");
        first.GetProviderDetails<SellingPartnerOrderDetails>()!.BuyerTaxInformation!.TaxRegistrationId.ShouldBe("TR-REG-1");
        emulator.SellingPartner.RestrictedDataTokenRequests.ShouldBe(1);
    }

    [Fact]
    public async Task WithoutPersonalData_NoRestrictedTokenAndNoPersonalFields()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var source = new SellingPartnerOrderSource(EmulatorClient.Options(emulator), OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());

        var order = await source.GetOrderAsync(emulator.SellingPartner.OrderIds[0]);

        order.Shipping!.Address.ShouldBeNull();
        order.Shipping.ShipFrom.ShouldNotBeNull();
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.Buyer.ShouldBeNull();
        emulator.SellingPartner.RestrictedDataTokenRequests.ShouldBe(0);
    }
}
