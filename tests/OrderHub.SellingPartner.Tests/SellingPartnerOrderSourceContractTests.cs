using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using OrderHub.Throttling;

namespace OrderHub.SellingPartner.Tests;

/// <summary>The contract every source meets, against the emulator over real sockets.</summary>
public sealed class SellingPartnerOrderSourceContractTests : OrderSourceContractTests
{
    protected override async Task<OrderSourceUnderTest> CreateSourceAsync()
    {
        var emulator = await EmulatorHost.StartAsync();
        var source = new SellingPartnerOrderSource(new HttpClient(), EmulatorClient.Options(emulator), rateLimiters: new RateLimiterRegistry());
        return new OrderSourceUnderTest(
            source,
            emulator.SellingPartner.Catalog.OrderIds[0],
            "999-9999999-9999999",
            () => emulator.SellingPartner.GetOrderRequests + emulator.SellingPartner.TokenRequests,
            emulator.DisposeAsync);
    }
}

internal static class EmulatorClient
{
    public static SellingPartnerOrderSourceOptions Options(EmulatorHost emulator) => new()
    {
        Endpoint = emulator.BaseAddress,
        LwaEndpoint = emulator.LwaEndpoint,
        ClientId = emulator.SellingPartner.Options.ClientId,
        ClientSecret = emulator.SellingPartner.Options.ClientSecret,
        RefreshToken = emulator.SellingPartner.Options.RefreshTokens[0],
    };
}
