using System.Net;
using System.Text.Json.Nodes;
using OrderHub.Emulator.Hosting;
using OrderHub.SellingPartner.Tests.Support;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests;

/// <summary>The emulator answers the spec's sandbox cases exactly as ordersV0.json documents them.</summary>
public sealed class EmulatorSandboxTests
{
    [Theory]
    [InlineData("TEST_CASE_200")]
    [InlineData("TEST_CASE_IBA_200")]
    [InlineData("TEST_CASE_400")]
    public async Task SandboxCase_IsAnsweredWithTheDocumentedStatusAndBody(string sandboxCase)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = emulator.SellingPartner.Options.ClientId,
            ["client_secret"] = emulator.SellingPartner.Options.ClientSecret,
            ["refresh_token"] = emulator.SellingPartner.Options.RefreshTokens[0],
        });
        var token = JsonNode.Parse(await (await http.PostAsync(emulator.LwaEndpoint, form)).Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, $"orders/v0/orders/{sandboxCase}"));
        request.Headers.Add("x-amz-access-token", token);

        using var response = await http.SendAsync(request);

        var expected = JsonNode.Parse(Fixtures.Read("orders-v0-sandbox.json"))![sandboxCase]!;
        ((int)response.StatusCode).ShouldBe(expected["status"]!.GetValue<int>());
        JsonNode.DeepEquals(JsonNode.Parse(await response.Content.ReadAsStringAsync()), expected["body"]).ShouldBeTrue();
        response.Headers.GetValues("x-amzn-RequestId").Single().ShouldNotBeNullOrEmpty();
        response.Headers.GetValues("x-amzn-RateLimit-Limit").Single().ShouldBe("0.5");
    }

    [Fact]
    public async Task GetOrder_WithoutAToken_Is403InTheApisShape()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(emulator.BaseAddress, $"orders/v0/orders/{emulator.SellingPartner.OrderIds[0]}"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!["code"]!.GetValue<string>().ShouldBe("Unauthorized");
    }
}
