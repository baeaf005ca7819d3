using System.Net;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

public sealed class OrderApiTests : IAsyncLifetime
{
    private ApiFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await ApiFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private string SpOrder(int i) => _fixture.Emulator.SellingPartner.OrderIds[i];

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Get_NoKey_Or_WrongKey_Is401Problem()
    {
        foreach (var key in new[] { null, "wrong-key" })
        {
            var response = await _fixture.GetAsync($"orders/{SpOrder(0)}", key);

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        _fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Get_FirstReadsUpstream_ThenServesFromTheStore_UntilRefresh()
    {
        var first = await _fixture.GetAsync($"orders/{SpOrder(1)}");
        var second = await _fixture.GetAsync($"orders/{SpOrder(1)}");

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonOf(second)).GetProperty("orderId").GetString().ShouldBe(SpOrder(1));
        _fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1);

        (await _fixture.GetAsync($"orders/{SpOrder(1)}?refresh=true", ApiFixture.RefresherKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(2);
    }

    [Fact]
    public async Task Get_BySourceAndId_RoutesToThatSource()
    {
        var id = _fixture.Emulator.Outposts.OrderIds[0];

        var response = await _fixture.GetAsync($"orders/outposts/{id}");

        var json = await JsonOf(response);
        json.GetProperty("source").GetString().ShouldBe("outposts");
        json.GetProperty("createdAt").GetString().ShouldEndWith("Z");
    }

    [Fact]
    public async Task Get_PersonalData_OnlyForKeysAllowedToSeeIt_EvenFromTheStore_AndAnAnswerWithoutItSaysWhy()
    {
        var adminResponse = await _fixture.GetAsync($"orders/{SpOrder(2)}", ApiFixture.AdminKey);
        var readerResponse = await _fixture.GetAsync($"orders/{SpOrder(2)}", ApiFixture.ReaderKey);
        var admin = await JsonOf(adminResponse);
        var reader = await JsonOf(readerResponse);
        var pending = await JsonOf(await _fixture.GetAsync($"orders/{SpOrder(0)}", ApiFixture.AdminKey));

        adminResponse.Headers.Contains("OrderHub-Personal-Data").ShouldBeFalse();
        admin.TryGetProperty("personalDataWithheld", out _).ShouldBeFalse();
        string.Join(' ', readerResponse.Headers.GetValues("OrderHub-Personal-Data")).ShouldStartWith("withheld; reason=api-key");
        pending.GetProperty("status").GetProperty("raw").GetString().ShouldBe("PENDING");
        pending.GetProperty("personalDataWithheld").GetProperty("reason").GetString().ShouldBe("NotReleasedForStatus");
        pending.GetProperty("personalDataWithheld").GetProperty("detail").GetString()!.ShouldContain("PENDING");

        admin.GetProperty("shipping").GetProperty("address").GetProperty("name").GetString().ShouldBe("Buyer 2");
        admin.GetProperty("providerDetails").GetProperty("buyer").GetProperty("email").GetString().ShouldNotBeNull();
        reader.GetProperty("shipping").TryGetProperty("address", out _).ShouldBeFalse();
        reader.GetProperty("providerDetails").TryGetProperty("buyer", out _).ShouldBeFalse();
        reader.GetProperty("providerDetails").TryGetProperty("buyerTaxInformation", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Get_IncludeRaw_AddsTheProviderPayload_ForPersonalDataKeys_AndIsRefusedToOthers()
    {
        var admin = await JsonOf(await _fixture.GetAsync($"orders/{SpOrder(3)}?include=raw", ApiFixture.AdminKey));
        var reader = await _fixture.GetAsync($"orders/{SpOrder(3)}?include=raw", ApiFixture.ReaderKey);
        var plain = await JsonOf(await _fixture.GetAsync($"orders/{SpOrder(3)}", ApiFixture.AdminKey));

        admin.GetProperty("rawPayload").GetProperty("orderId").GetString().ShouldBe(SpOrder(3));
        reader.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        reader.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = await JsonOf(reader);
        problem.GetProperty("permission").GetString().ShouldBe("pii");
        problem.GetProperty("detail").GetString()!.ShouldContain("include=raw");
        problem.GetRawText().ShouldNotContain(SpOrder(3));
        plain.TryGetProperty("rawPayload", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Get_InvalidId_Is400Problem_NamingTheFormats_WithoutAnUpstreamCall()
    {
        var response = await _fixture.GetAsync("orders/12345");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await JsonOf(response);
        problem.GetProperty("detail").GetString()!.ShouldContain("3-7-7 digits");
        problem.GetProperty("detail").GetString()!.ShouldContain("'oo-' and 17 lowercase hex digits");
        _fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public async Task Get_Missing_Is404Problem_WithTheUpstreamRequestId()
    {
        var response = await _fixture.GetAsync("orders/999-9999999-9999999");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await JsonOf(response)).GetProperty("requestId").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Get_500SimultaneousRequestsForOneUncachedOrder_CauseExactlyOneGetOrder()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => _fixture.GetAsync($"orders/{SpOrder(4)}")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        _fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task OpenApiDocument_And_Health_AreServed()
    {
        var openApi = await _fixture.Client.GetStringAsync(new Uri(_fixture.Api.BaseAddress, "openapi/v1.json"));
        var health = await _fixture.Client.GetAsync(new Uri(_fixture.Api.BaseAddress, "healthz"));

        openApi.ShouldContain("/orders/{orderId}");
        openApi.ShouldContain("/orders/{source}/{orderId}");
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class OrderApiPacingAndAuthTests
{
    [Fact]
    public async Task Get_NoPermitWithinTheBudget_Is429WithRetryAfter_InsteadOfHoldingTheConnection()
    {
        // One permit every 10 s: the second request finds none within the budget however slow the first one was on a
        // loaded machine (at 0.5/s, a first request slower than 2 s let the bucket refill before the second).
        await using var fixture = await ApiFixture.StartAsync(
            new Emulator.Hosting.EmulatorOptions { SpGetOrderRate = 0.1, SpGetOrderBurst = 1, SpOrderCount = 5 },
            o => o.UpstreamWaitBudget = TimeSpan.FromMilliseconds(500),
            spBurst: 1,
            spRate: 0.1);
        var ids = fixture.Emulator.SellingPartner.OrderIds;

        (await fixture.GetAsync($"orders/{ids[0]}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var throttled = await fixture.GetAsync($"orders/{ids[1]}");

        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(9, 11);
        fixture.Emulator.SellingPartner.GetOrderRequests.ShouldBe(1);
    }

    [Fact]
    public async Task AuthenticationOff_ServesWithoutAKey()
    {
        await using var fixture = await ApiFixture.StartAsync(configure: o => o.AuthenticationDisabled = true);

        (await fixture.GetAsync($"orders/{fixture.Emulator.SellingPartner.OrderIds[0]}", key: null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NoKeysAndAuthenticationOn_RefusesToStart() =>
        (await Should.ThrowAsync<ArgumentException>(() => ApiFixture.StartAsync(configure: o => o.ApiKeys.Clear()))).Message.ShouldContain("ApiKeys");

    [Fact]
    public async Task UpstreamRefusingThisServicesCredentials_Is502()
    {
        await using var fixture = await ApiFixture.StartAsync(outpostsSecret: "not-the-secret");

        var response = await fixture.GetAsync($"orders/{fixture.Emulator.Outposts.OrderIds[0]}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("upstreamErrorCode").GetString().ShouldBe("InvalidSignatureException");
        body.ShouldNotContain("not-the-secret");
    }

    [Fact]
    public async Task UpstreamTimingOut_Is504()
    {
        await using var fixture = await ApiFixture.StartAsync(
            new Emulator.Hosting.EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 5, Faults = { Latency = TimeSpan.FromSeconds(2) } },
            spAttemptTimeout: TimeSpan.FromMilliseconds(200));

        var response = await fixture.GetAsync($"orders/{fixture.Emulator.SellingPartner.OrderIds[0]}");

        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
    }

    [Fact]
    public async Task UpstreamFailures_BecomeGatewayProblems()
    {
        await using var fixture = await ApiFixture.StartAsync(new Emulator.Hosting.EmulatorOptions
        {
            SpGetOrderRate = 100,
            SpGetOrderBurst = 100,
            SpOrderCount = 5,
            Faults = { ServerErrorRate = 1 },
        });

        var response = await fixture.GetAsync($"orders/{fixture.Emulator.SellingPartner.OrderIds[0]}");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("requestId").GetString().ShouldNotBeNullOrEmpty();
        problem.GetProperty("upstreamStatus").GetInt32().ShouldBeOneOf(500, 503);
    }
}
