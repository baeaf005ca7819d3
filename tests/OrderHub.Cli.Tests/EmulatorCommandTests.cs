using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OrderHub.Cli.Commands;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub emulator</c>: its sellers from <c>--sellers</c>, read and then served by a real emulator process.</summary>
public sealed class EmulatorCommandTests
{
    [Fact]
    public void ParseSellers_ReadsRegionRefreshTokenPairs_InTheirOrder_KeepingAnEqualsSignInTheToken()
    {
        EmulatorCommand.ParseSellers("eu=Atzr|eu-seller, NA=Atzr|na==,fe=Atzr|fe").ShouldBe([("eu", "Atzr|eu-seller"), ("na", "Atzr|na=="), ("fe", "Atzr|fe")]);
    }

    [Theory]
    [InlineData("us=Atzr|x", "each region na, eu or fe")]
    [InlineData("eu", "region=refresh-token pairs")]
    [InlineData("eu=", "region=refresh-token pairs")]
    [InlineData("eu=Atzr|x,na=Atzr|x", "one refresh token twice")]
    [InlineData(",", "at least one")]
    public void ParseSellers_RefusesWhatIsNotAPairOfAKnownRegion_WithoutEchoingTheToken(string value, string message)
    {
        var error = Should.Throw<ArgumentException>(() => EmulatorCommand.ParseSellers(value));

        error.Message.ShouldContain(message);
        error.Message.ShouldNotContain("Atzr|x");
    }

    [Theory]
    [InlineData("--sellers", "us=Atzr|x", "each region na, eu or fe")]
    [InlineData("--sp-history-days", "0", "--sp-history-days must be more than 0")]
    [InlineData("--sp-report-fatal-rate", "1.5", "FatalRate is a share of reports, from 0 to 1")]
    [InlineData("--sp-report-delay-seconds", "-1", "ProcessingDelay cannot be negative")]
    [InlineData("--sp-report-plan-scale", "0", "--sp-report-plan-scale must be more than 0")]
    public async Task ABadSetting_IsOneLine_AndExitCode2_BeforeListening(string option, string value, string message)
    {
        var port = OrderHub.Testing.LoopbackPorts.Free();

        var result = await CliProcess.RunAsync(null, "emulator", "--urls", $"http://127.0.0.1:{port}", option, value);

        result.ExitCode.ShouldBe(2, result.Error);
        result.Error.Trim().Split('\n').ShouldHaveSingleItem().ShouldContain(message);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Sellers_EachSeesItsOwnOrders_InItsRegionsMarketplaces()
    {
        var port = OrderHub.Testing.LoopbackPorts.Free();
        var info = CliProcess.StartInfo(null, ["emulator", "--urls", $"http://127.0.0.1:{port}", "--sp-orders", "20", "--sellers", "eu=Atzr|eu-seller,na=Atzr|na-seller"]);
        using var process = Process.Start(info)!;
        try
        {
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync() is { } line && !line.Contains("the variables above are the first seller's", StringComparison.Ordinal))
            {
                lines.Add(line);
            }

            lines.ShouldContain(l => l.Contains("seller 1 (eu", StringComparison.Ordinal) && l.Contains("10 orders in A1PA6795UKMFR9, A1F83G8C2ARO7P, A13V1IB3VIYZZH, APJ6JRA9NG5V4", StringComparison.Ordinal));
            lines.ShouldContain(l => l.Contains("seller 2 (na", StringComparison.Ordinal) && l.EndsWith("10 orders in ATVPDKIKX0DER, A2EUQ1WTGCTBG2, A1AM78C64UM0Y8, A2Q3Y263D00KWC", StringComparison.Ordinal));
            lines.Where(l => l.StartsWith("  seller ", StringComparison.Ordinal)).ShouldAllBe(l => !l.Contains("Atzr|", StringComparison.Ordinal), "the seller lines do not repeat the refresh tokens");
            lines.ShouldContain("  export ORDERHUB_LWA_REFRESH_TOKEN='Atzr|eu-seller'", "the variables point the CLI at the first seller");
            lines.ShouldContain(l => l.StartsWith($"  export AWS_ENDPOINT_URL_SQS='http://127.0.0.1:{port}/'", StringComparison.Ordinal));
            lines.ShouldContain(l => l.StartsWith($"  export AWS_ENDPOINT_URL_STS='http://127.0.0.1:{port}/'", StringComparison.Ordinal), "its STS, for assume-role and web identity profiles");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            string[] europe = ["A1PA6795UKMFR9", "A1F83G8C2ARO7P", "A13V1IB3VIYZZH", "APJ6JRA9NG5V4", "A1RKKUPIHCS9HS", "A1805IZSGTT6HS", "A1C3SOZRARQ6R3", "A2NODRKZP88ZB9", "A33AVAJ2PDY3EV"];
            string[] northAmerica = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC"];
            foreach (var (refreshToken, marketplaces) in new[] { ("Atzr|eu-seller", europe), ("Atzr|na-seller", northAmerica) })
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token", ["client_id"] = "emulator-client", ["client_secret"] = "emulator-secret", ["refresh_token"] = refreshToken,
                });
                using var tokenResponse = await http.PostAsync("auth/o2/token", form);
                var token = JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
                using var request = new HttpRequestMessage(HttpMethod.Get, $"orders/2026-01-01/orders?createdAfter={DateTimeOffset.UtcNow.AddDays(-100):yyyy-MM-ddTHH:mm:ssZ}");
                request.Headers.Add("x-amz-access-token", token);
                using var response = await http.SendAsync(request);
                response.StatusCode.ShouldBe(HttpStatusCode.OK);

                var orders = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["orders"]!.AsArray();
                orders.Count.ShouldBe(10, "twenty orders dealt out to two sellers");
                orders.Select(o => o!["salesChannel"]!["marketplaceId"]!.GetValue<string>()).Distinct().Order().ShouldBe(marketplaces.Order(), "ten orders over the region's marketplaces in turn");
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
