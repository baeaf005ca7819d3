using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using OrderHub.RateLimits;

namespace OrderHub.SellingPartner.Tests;

/// <summary>The contract every source meets, against the emulator over real sockets.</summary>
public class SellingPartnerOrderSourceContractTests : OrderSourceContractTests
{
    protected virtual string OrdersApiVersion => SellingPartnerOrdersApi.V0;

    protected override async Task<OrderSourceUnderTest> CreateSourceAsync()
    {
        var emulator = await EmulatorHost.StartAsync();
        var options = EmulatorClient.Options(emulator);
        options.OrdersApiVersion = OrdersApiVersion;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        return new OrderSourceUnderTest(
            source,
            emulator.SellingPartner.OrderIds[0],
            "999-9999999-9999999",
            () => emulator.SellingPartner.GetOrderRequests + emulator.SellingPartner.TokenRequests,
            emulator.DisposeAsync);
    }
}

/// <summary>The same contract through Orders API 2026-01-01.</summary>
public sealed class SellingPartnerOrders20260101SourceContractTests : SellingPartnerOrderSourceContractTests
{
    protected override string OrdersApiVersion => SellingPartnerOrdersApi.V20260101;
}

internal static class EmulatorClient
{
    public static SellingPartnerOrderSourceOptions Options(EmulatorHost emulator, string ordersApiVersion = SellingPartnerOrdersApi.V0) => new()
    {
        OrdersApiVersion = ordersApiVersion,
        Endpoint = emulator.BaseAddress,
        LwaEndpoint = emulator.LwaEndpoint,
        ClientId = emulator.SellingPartner.Options.ClientId,
        ClientSecret = emulator.SellingPartner.Options.ClientSecret,
        RefreshToken = emulator.SellingPartner.Options.RefreshTokens[0],
    };

    /// <summary>A window start before every order the emulator seeded: they reach back <c>SpOrderHistory</c> from its start.</summary>
    public static DateTimeOffset Since(EmulatorHost emulator) =>
        (emulator.SellingPartner.Options.TimeProvider ?? TimeProvider.System).GetUtcNow() - emulator.SellingPartner.Options.SpOrderHistory - TimeSpan.FromDays(1);
}
