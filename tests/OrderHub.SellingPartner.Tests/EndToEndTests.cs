using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.SellingPartner;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests;

/// <summary>The adapter against the emulator over real sockets, with the emulator enforcing the same limit server-side.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task EverySeededOrder_CoversEveryDocumentedValue_AndMapsToAKnownUnifiedValue()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 1000, SpGetOrderBurst = 1000, SpOrderCount = 40 });
        var options = EmulatorClient.Options(emulator);
        options.GetOrderBurst = 1000;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());

        var orders = await Task.WhenAll(emulator.SellingPartner.OrderIds.Select(id => source.GetOrderAsync(id)));

        orders.Select(o => o.Status.Raw).Distinct().Order().ShouldBe(SpOrderCatalog.Statuses.Order());
        orders.Select(o => o.Type!.Value.Raw).Distinct().Order().ShouldBe(SpOrderCatalog.OrderTypes.Order());
        orders.Select(o => o.Payment!.Method!.Value.Raw).Distinct().Order().ShouldBe(SpOrderCatalog.PaymentMethods.Order());
        orders.Select(o => o.GetProviderDetails<SellingPartnerOrderDetails>()!.FulfillmentChannel!.Value.Raw).Distinct().Order().ShouldBe(SpOrderCatalog.Channels.Order());
        orders.ShouldAllBe(o => o.Status.IsKnown && o.Type!.Value.IsKnown && o.Total != null);
    }

    [Theory]
    [InlineData(SellingPartnerOrdersApi.V0)]
    [InlineData(SellingPartnerOrdersApi.V20260101)]
    public async Task ClientThatIsTheOnlyUserOfTheQuota_NeverReceivesA429(string ordersApiVersion)
    {
        // The emulator shares this test process with the other tests: a quarter second of its own stalls (5 permits)
        // is not counted against the client.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 20, SpGetOrderBurst = 5, SpQuotaJitterTolerance = TimeSpan.FromMilliseconds(250) });
        var options = EmulatorClient.Options(emulator, ordersApiVersion);
        options.GetOrderBurst = 5;

        // The first requests of a cold client on a loaded test machine can take far longer than the default 50 ms to
        // reach the server, which starts refilling only when they arrive; the allowance covers that start-up latency.
        options.BurstLatencyAllowance = TimeSpan.FromMilliseconds(500);
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        var ids = emulator.SellingPartner.OrderIds.Take(30).ToArray();

        // The client starts at the documented 0.5 req/s and adopts the 20 req/s the emulator announces (less its 0.5 % margin).
        var orders = await Task.WhenAll(ids.Select(id => source.GetOrderAsync(id)));

        orders.Select(o => o.OrderId).ShouldBe(ids);
        emulator.SellingPartner.Throttled.ShouldBe(0);
        source.GetOrderRateLimiter.PermitsPerSecond.ShouldBe(20 * 0.995, tolerance: 1e-9);
    }

    [Theory]
    [InlineData(SellingPartnerOrdersApi.V0)]
    [InlineData(SellingPartnerOrdersApi.V20260101)]
    public async Task EmulatorLimit_IsEnforcedServerSide_WithTheRealQuotaBody(string ordersApiVersion)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 0.5, SpGetOrderBurst = 2 });
        var options = EmulatorClient.Options(emulator, ordersApiVersion);
        options.GetOrderBurst = 10;
        options.ThrottleMode = ThrottleMode.FailFast;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
        var id = emulator.SellingPartner.OrderIds[0];

        await source.GetOrderAsync(id);
        await source.GetOrderAsync(id);
        var error = await Should.ThrowAsync<OrderSourceThrottledException>(() => source.GetOrderAsync(id));

        error.ErrorCode.ShouldBe("QuotaExceeded");
        error.RequestId.ShouldNotBeNullOrEmpty();
        emulator.SellingPartner.Throttled.ShouldBe(1);
    }

    [Fact]
    public async Task AddSellingPartner_RegistersASourceTheLookupRoutesTo()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Sources:sp-api:Endpoint"] = emulator.BaseAddress.ToString(),
            ["OrderHub:Sources:sp-api:LwaEndpoint"] = emulator.LwaEndpoint.ToString(),
            ["OrderHub:Sources:sp-api:ClientId"] = emulator.SellingPartner.Options.ClientId,
            ["OrderHub:Sources:sp-api:ClientSecret"] = emulator.SellingPartner.Options.ClientSecret,
            ["OrderHub:Sources:sp-api:RefreshToken"] = emulator.SellingPartner.Options.RefreshTokens[0],
        }).Build());
        services.AddOrderHub().AddSellingPartner();
        await using var provider = services.BuildServiceProvider();

        var order = await provider.GetRequiredService<OrderLookup>().GetOrderAsync(emulator.SellingPartner.OrderIds[3]);

        order.Source.ShouldBe("sp-api");
    }

    [Fact]
    public async Task AddSellingPartner_HandlersAddedToItsNamedClient_SeeEveryRequest()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddOrderHub().AddSellingPartner("sp-eu", o =>
        {
            var defaults = EmulatorClient.Options(emulator);
            o.Endpoint = defaults.Endpoint;
            o.LwaEndpoint = defaults.LwaEndpoint;
            o.ClientId = defaults.ClientId;
            o.ClientSecret = defaults.ClientSecret;
            o.RefreshToken = defaults.RefreshToken;
        });
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        services.AddHttpClient(OrderHubBuilder.HttpClientName("sp-eu")).AddHttpMessageHandler(() => new RecordingHandler(seen));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<SellingPartnerOrderSource>("sp-eu").GetOrderAsync(emulator.SellingPartner.OrderIds[0]);

        seen.ShouldContain(path => path.EndsWith("/auth/o2/token", StringComparison.Ordinal));
        seen.ShouldContain(path => path.Contains("/orders/2026-01-01/orders/", StringComparison.Ordinal));
    }

    private sealed class RecordingHandler(System.Collections.Concurrent.ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task AddSellingPartner_MissingCredentials_FailValidation()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddOrderHub().AddSellingPartner();
        await using var provider = services.BuildServiceProvider();

        var error = Should.Throw<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<SellingPartnerOrderSource>());

        error.Message.ShouldContain("ClientSecret");
    }
}
