using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Text.Json.Nodes;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests;

/// <summary>
/// The emulator's server-side usage plan, probed with plain HTTP requests on the emulator's clock: no client code, and
/// no limiter of the client's, takes part.
/// </summary>
public sealed class EmulatorQuotaTests
{
    internal static async Task<string> TokenAsync(HttpClient http, EmulatorHost emulator, int seller = 0)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = emulator.SellingPartner.Options.ClientId,
            ["client_secret"] = emulator.SellingPartner.Options.ClientSecret,
            ["refresh_token"] = emulator.SellingPartner.Options.RefreshTokens[seller],
        });
        using var response = await http.PostAsync(emulator.LwaEndpoint, form);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> GetOrderAsync(HttpClient http, EmulatorHost emulator, string token, string version = "v0", int seller = 0)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, $"orders/{version}/orders/{emulator.SellingPartner.OrderIdsOf(seller)[0]}"));
        request.Headers.Add("x-amz-access-token", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task GetOrder_BurstOfThirty_ThenOneEveryTwoSeconds_ThenQuotaExceeded()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock });
        using var http = new HttpClient();
        var token = await TokenAsync(http, emulator);

        for (var i = 0; i < 30; i++)
        {
            (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.OK, $"request {i + 1} of the burst");
        }

        (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.TooManyRequests);
        clock.Advance(TimeSpan.FromMilliseconds(1999));
        (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.TooManyRequests, "a request accrues after a full 2 s");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.OK);
        (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.TooManyRequests);
        clock.Advance(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 30; i++)
        {
            (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.OK, "after a minute idle the burst is back, and no more");
        }

        (await GetOrderAsync(http, emulator, token)).ShouldBe(HttpStatusCode.TooManyRequests);
        emulator.SellingPartner.Throttled.ShouldBe(4);
    }

    [Fact]
    public async Task Quotas_ArePerSellerAndPerOperation()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, SpGetOrderBurst = 1, RefreshTokens = ["Atzr|seller-a", "Atzr|seller-b"] });
        using var http = new HttpClient();
        var sellerA = await TokenAsync(http, emulator, 0);
        var sellerB = await TokenAsync(http, emulator, 1);

        (await GetOrderAsync(http, emulator, sellerA)).ShouldBe(HttpStatusCode.OK);
        (await GetOrderAsync(http, emulator, sellerA)).ShouldBe(HttpStatusCode.TooManyRequests);
        (await GetOrderAsync(http, emulator, sellerB, seller: 1)).ShouldBe(HttpStatusCode.OK, "another seller has its own quota");
        clock.Advance(TimeSpan.FromSeconds(2));
        (await GetOrderAsync(http, emulator, sellerB, seller: 0)).ShouldBe(HttpStatusCode.NotFound, "a seller reads only its own orders");
        (await GetOrderAsync(http, emulator, sellerA, "2026-01-01")).ShouldBe(HttpStatusCode.OK, "the 2026-01-01 operation has its own quota");
    }
}
