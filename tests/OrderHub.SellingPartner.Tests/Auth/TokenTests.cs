using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.Testing;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Auth;

public sealed class TokenTests
{
    private const string OrderId = "902-3159896-1390916";

    [Fact]
    public async Task FiftyConcurrentCallers_CauseExactlyOneTokenRequest()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderBurst = 50 });
        var options = EmulatorClient.Options(emulator);
        options.GetOrderBurst = 50;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        var id = emulator.SellingPartner.OrderIds[0];

        var orders = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => source.GetOrderAsync(id))));

        orders.ShouldAllBe(o => o.OrderId == id);
        emulator.SellingPartner.TokenRequests.ShouldBe(1);
        emulator.SellingPartner.GetOrderRequests.ShouldBe(50);
    }

    [Fact]
    public async Task AccessToken_IsRefreshedAheadOfTheExpiryTheEndpointReturned()
    {
        await using var server = await ScriptedSellingPartner.StartAsync();
        server.TokenLifetimeSeconds = 600;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var source = server.CreateSource(time);

        await source.GetOrderAsync(OrderId);
        time.Advance(TimeSpan.FromSeconds(539));
        await source.GetOrderAsync(OrderId);
        time.Advance(TimeSpan.FromSeconds(1));
        await source.GetOrderAsync(OrderId);

        server.AccessTokensSeen.ShouldBe(["token-1", "token-1", "token-2"]);
    }

    [Fact]
    public async Task ExpiredTokenRejected_ForcesOneRefreshAndOneRetry()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var source = new SellingPartnerOrderSource(EmulatorClient.Options(emulator), OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        var id = emulator.SellingPartner.OrderIds[1];
        await source.GetOrderAsync(id);

        emulator.SellingPartner.ExpireAllTokens();
        var order = await source.GetOrderAsync(id);

        order.OrderId.ShouldBe(id);
        emulator.SellingPartner.TokenRequests.ShouldBe(2);
        emulator.SellingPartner.GetOrderRequests.ShouldBe(3);
    }

    [Fact]
    public async Task TokenRejectedTwice_RefreshesOnlyOnce_ThenFails()
    {
        await using var server = await ScriptedSellingPartner.StartAsync(
            ScriptedResponse.Error(403, "Unauthorized", "Access to requested resource is denied."));
        server.Enqueue(ScriptedResponse.Error(403, "Unauthorized", "The access token you provided has expired."));
        var source = server.CreateSource();

        // The first 403 is about permissions (no refresh); the script then repeats an expired-token 403.
        await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(OrderId));
        server.TokenRequests.ShouldBe(1);

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(OrderId));

        server.TokenRequests.ShouldBe(2);
        server.GetOrderRequests.ShouldBe(3);
        error.Message.ShouldNotContain("token-");
    }
}
