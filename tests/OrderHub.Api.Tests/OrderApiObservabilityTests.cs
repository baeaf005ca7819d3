using System.Net;
using System.Text.Json;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>What an operator reads of the API: /healthz with each source's credentials, and store hits and misses as metrics.</summary>
public sealed class OrderApiObservabilityTests
{
    private static async Task<JsonElement> HealthAsync(ApiFixture fixture)
    {
        var response = await fixture.Client.GetAsync(new Uri(fixture.Api.BaseAddress, "healthz"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Health_TellsEachSourcesCredentials_AndLookupsAreCountedAsStoreHitsAndMisses()
    {
        var name = "api-observed-" + Guid.NewGuid().ToString("N")[..8];
        using var telemetry = new TelemetryCapture(name);
        await using var fixture = await ApiFixture.StartAsync(spSourceName: name);
        var orderId = fixture.Emulator.SellingPartner.OrderIds[0];

        var before = await HealthAsync(fixture);
        (await fixture.GetAsync($"orders/{orderId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.GetAsync($"orders/{orderId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await HealthAsync(fixture);

        before.GetProperty("sources").GetProperty(name).GetString().ShouldBe("unknown");
        after.GetProperty("sources").GetProperty(name).GetString().ShouldBe("accepted");
        after.GetProperty("status").GetString().ShouldBe("ok");
        telemetry.Measurements.Where(m => m.Instrument == "orderhub.lookup.store")
            .Select(m => m.Tags.Single(t => t.Key == "orderhub.lookup.outcome").Value).ShouldBe(["miss", "hit"]);
    }

    [Fact]
    public async Task Health_IsDegraded_WhenASourcesCredentialsWereRefused_NamingTheSource()
    {
        await using var fixture = await ApiFixture.StartAsync(outpostsSecret: "not-the-secret-key-at-all");
        var orderId = fixture.Emulator.Outposts.OrderIds[0];

        var read = await fixture.GetAsync($"orders/{orderId}");
        var health = await HealthAsync(fixture);

        ((int)read.StatusCode).ShouldBeOneOf(401, 403, 502);
        health.GetProperty("status").GetString().ShouldBe("degraded");
        health.GetProperty("sources").GetProperty("outposts").GetString().ShouldBe("rejected");
        health.GetRawText().ShouldNotContain("not-the-secret-key-at-all");
    }
}
