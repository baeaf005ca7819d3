using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests;

/// <summary>
/// The emulator refuses what the service model refuses, judged by the model itself: requests are signed by hand here,
/// so the client's own validation never sees them.
/// </summary>
public sealed class EmulatorServiceModelTests : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<(HttpStatusCode Status, string ErrorType, string Body)> SendAsync(HttpMethod method, string pathAndQuery, string? json = null, string region = "us-west-2")
    {
        var content = json is null ? null : Encoding.UTF8.GetBytes(json);
        var signing = new AWSSigningRequest { HttpMethod = method, RequestUri = new Uri(_emulator.BaseAddress, pathAndQuery), Content = content };
        var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials(_emulator.Outposts.Options.AwsAccessKeyId, _emulator.Outposts.Options.AwsSecretAccessKey),
            Region = RegionEndpoint.GetBySystemName(region),
            Service = "outposts",
        });
        using var message = new HttpRequestMessage(method, signing.RequestUri);
        if (content is not null)
        {
            message.Content = new ByteArrayContent(content);
        }

        foreach (var (name, value) in signed.Headers.Where(h => !h.Key.Equals("host", StringComparison.OrdinalIgnoreCase)))
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(message);
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First() : string.Empty;
        var body = await response.Content.ReadAsStringAsync();

        // Error bodies are AWS's {"message": ...}: compare their text, not its JSON escaping.
        var text = response.IsSuccessStatusCode ? body : JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        return (response.StatusCode, errorType, text);
    }

    private string Outpost => _emulator.Outposts.OutpostIds[0];

    [Fact]
    public async Task CreateOrder_BreakingTheModelsConstraints_IsAValidationExceptionNamingEachOne()
    {
        var lines = new JsonArray([.. Enumerable.Range(0, 21).Select(_ => (JsonNode)new JsonObject { ["CatalogItemId"] = "OR-ABC1234", ["Quantity"] = 0 })]);
        var input = new JsonObject { ["OutpostIdentifier"] = Outpost, ["LineItems"] = lines, ["PaymentOption"] = "SOMETIMES" };

        var (status, type, body) = await SendAsync(HttpMethod.Post, "orders", input.ToJsonString());

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldStartWith("ValidationException");
        body.ShouldContain("at 'lineItems' failed to satisfy constraint: Member must have length less than or equal to 20");
        body.ShouldContain("at 'lineItems.1.member.quantity' failed to satisfy constraint: Member must have value greater than or equal to 1");
        body.ShouldContain("at 'paymentOption' failed to satisfy constraint: Member must satisfy enum value set");
        _emulator.Outposts.List().Count().ShouldBe(_emulator.Outposts.OrderIds.Count);
    }

    [Fact]
    public async Task CreateOrder_WithoutTheRequiredPaymentOption_IsRefused()
    {
        var input = new JsonObject { ["OutpostIdentifier"] = Outpost, ["LineItems"] = new JsonArray(new JsonObject { ["CatalogItemId"] = "OR-ABC1234", ["Quantity"] = 1 }) };

        var (status, _, body) = await SendAsync(HttpMethod.Post, "orders", input.ToJsonString());

        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("Value null at 'paymentOption' failed to satisfy constraint: Member must not be null");
    }

    [Theory]
    [InlineData("list-orders?MaxResults=0", "Member must have value greater than or equal to 1")]
    [InlineData("list-orders?MaxResults=1001", "Member must have value less than or equal to 1000")]
    [InlineData("list-orders?OutpostIdentifierFilter=op-%D9%A0123456789abcdef", "regular expression pattern")]
    [InlineData("orders/oo-0123456789ABCDEF0", "regular expression pattern")]
    public async Task ReadOperations_BreakingTheModel_AreRefused(string pathAndQuery, string expected)
    {
        var (status, type, body) = await SendAsync(HttpMethod.Get, pathAndQuery);

        status.ShouldBe(HttpStatusCode.BadRequest);
        type.ShouldStartWith("ValidationException");
        body.ShouldContain(expected);
    }

    [Fact]
    public async Task ListOrders_NextTokenItNeverIssued_IsRefused_WhileTheOneItIssuedWorks()
    {
        var (_, _, first) = await SendAsync(HttpMethod.Get, "list-orders?MaxResults=5");
        var issued = JsonNode.Parse(first)!["NextToken"]!.GetValue<string>();

        var forgedToken = issued[..^1] + (issued[^1] == '0' ? '1' : '0');
        var forged = await SendAsync(HttpMethod.Get, $"list-orders?MaxResults=5&NextToken={Uri.EscapeDataString(forgedToken)}");
        var guessed = await SendAsync(HttpMethod.Get, "list-orders?MaxResults=5&NextToken=5%23%23anything");
        var genuine = await SendAsync(HttpMethod.Get, $"list-orders?MaxResults=5&NextToken={Uri.EscapeDataString(issued)}");

        forged.Status.ShouldBe(HttpStatusCode.BadRequest);
        guessed.Status.ShouldBe(HttpStatusCode.BadRequest);
        guessed.Body.ShouldContain("Invalid NextToken");
        genuine.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Request_SignedForARegionTheEndpointDoesNotServe_IsRefused()
    {
        var (status, type, body) = await SendAsync(HttpMethod.Get, "list-orders", region: "eu-west-1");

        status.ShouldBe(HttpStatusCode.Forbidden);
        type.ShouldStartWith("InvalidSignatureException");
        body.ShouldContain("valid region");
    }
}
