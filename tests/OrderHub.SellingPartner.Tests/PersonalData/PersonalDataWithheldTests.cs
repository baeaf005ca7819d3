using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderHub.Emulator.Hosting;
using OrderHub.Json;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.PersonalData;

/// <summary>
/// An order read with personal data asked for says why it came without it: the Tokens API refused the application
/// (its own words kept), the order's status does not release it, or 2026-01-01 answered without it. Never a silent null.
/// </summary>
public sealed class PersonalDataWithheldTests
{
    private static readonly OrderReadOptions WithPersonalData = new() { IncludePersonalData = true };

    private static string StatusOf(EmulatorHost emulator, string orderId) => emulator.SellingPartner.GetOrderPayload(orderId)!["OrderStatus"]!.GetValue<string>();

    private static string OrderWithStatus(EmulatorHost emulator, string status) => emulator.SellingPartner.OrderIds.First(id => StatusOf(emulator, id) == status);

    private static SellingPartnerOrderSource Source(EmulatorHost emulator, string version = "v0")
    {
        var options = EmulatorClient.Options(emulator);
        options.OrdersApiVersion = version;
        return new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
    }

    [Theory]
    [InlineData("v0")]
    [InlineData("2026-01-01")]
    public async Task AReleasedOrder_ComesWithItsAddress_AndNothingWithheld(string version)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = Source(emulator, version);

        var order = await source.GetOrderAsync(OrderWithStatus(emulator, "Unshipped"), WithPersonalData);

        order.Shipping!.Address.ShouldNotBeNull();
        order.PersonalDataWithheld.ShouldBeNull();
    }

    [Theory]
    [InlineData("v0", "Pending")]
    [InlineData("2026-01-01", "Pending")]
    [InlineData("v0", "Canceled")]
    public async Task AnOrderWhoseStatusDoesNotReleaseIt_SaysSo_NamingTheStatus(string version, string status)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = Source(emulator, version);

        var order = await source.GetOrderAsync(OrderWithStatus(emulator, status), WithPersonalData);

        order.Shipping?.Address.ShouldBeNull();
        order.PersonalDataWithheld!.Reason.ShouldBe(PersonalDataWithheldReason.NotReleasedForStatus);
        order.PersonalDataWithheld.Detail.ShouldContain(order.Status.Raw);
        var json = JsonNode.Parse(OrderJson.SerializeToUtf8Bytes(order))!;
        json["personalDataWithheld"]!["reason"]!.GetValue<string>().ShouldBe("NotReleasedForStatus");
    }

    [Fact]
    public async Task V0_WhenTheTokensApiRefusesTheApplication_TheOrderIsReadWithoutIt_AndCarriesTheRefusalInTheUpstreamsWords()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpRestrictedRoleGranted = false });
        using var source = Source(emulator);

        var order = await source.GetOrderAsync(OrderWithStatus(emulator, "Shipped"), WithPersonalData);

        order.Shipping!.Address.ShouldBeNull();
        order.GetProviderDetails<SellingPartnerOrderDetails>()!.Buyer.ShouldBeNull();
        order.PersonalDataWithheld!.Reason.ShouldBe(PersonalDataWithheldReason.NotAuthorized);
        order.PersonalDataWithheld.Detail.ShouldContain("Access to requested resource is denied");
        order.PersonalDataWithheld.Detail.ShouldContain("restricted role");
        order.PersonalDataWithheld.Detail.ShouldNotContain("Atz");
        emulator.SellingPartner.RestrictedDataTokenRequests.ShouldBe(1);
        emulator.SellingPartner.GetOrderRequests.ShouldBe(1, "the order itself is read once, with the normal token");
    }

    [Fact]
    public async Task V20260101_WhenTheApplicationLacksTheRole_AReleasedOrderWithoutBuyerOrRecipient_SaysItWasNotReturned()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpRestrictedRoleGranted = false });
        using var source = Source(emulator, "2026-01-01");

        var order = await source.GetOrderAsync(OrderWithStatus(emulator, "Shipped"), WithPersonalData);

        order.Shipping?.Address.ShouldBeNull();
        order.PersonalDataWithheld!.Reason.ShouldBe(PersonalDataWithheldReason.NotReturned);
        order.PersonalDataWithheld.Detail.ShouldContain("restricted role");
    }

    [Fact]
    public async Task AReadThatDidNotAskForPersonalData_SaysNothingAboutIt()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpRestrictedRoleGranted = false });
        using var source = Source(emulator);

        var order = await source.GetOrderAsync(OrderWithStatus(emulator, "Pending"));

        order.PersonalDataWithheld.ShouldBeNull();
        emulator.SellingPartner.RestrictedDataTokenRequests.ShouldBe(0);
    }

    [Fact]
    public async Task AChangeFeedPageAskingForPersonalData_ExplainsEachOrderWithoutIt()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 16, SpSearchOrdersBurst = 100 });
        using var source = Source(emulator, "2026-01-01");

        var orders = new List<Order>();
        await foreach (var page in source.ReadChangesAsync(new OrderChangeQuery { After = DateTimeOffset.UnixEpoch, Before = emulator.SellingPartner.TimeProvider.GetUtcNow().AddMinutes(-5), IncludePersonalData = true }))
        {
            orders.AddRange(page.Orders);
        }

        orders.Count.ShouldBe(16);
        orders.Where(o => o.Shipping?.Address is not null).ShouldAllBe(o => o.PersonalDataWithheld == null);
        orders.Where(o => o.Shipping?.Address is null).ShouldAllBe(o => o.PersonalDataWithheld != null && o.PersonalDataWithheld.Reason == PersonalDataWithheldReason.NotReleasedForStatus);
        orders.ShouldContain(o => o.Shipping != null && o.Shipping.Address != null);
        orders.ShouldContain(o => o.PersonalDataWithheld != null);
    }

    [Fact]
    public async Task TheEmulator_RefusesRestrictedDataTokens_ToAnApplicationWithoutTheRole_AndGivesNoAddressForAPendingOrder()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpRestrictedRoleGranted = false });
        using var http = new HttpClient();
        var token = await EmulatorQuotaTests.TokenAsync(http, emulator);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.BaseAddress, "tokens/2021-03-01/restrictedDataToken"))
        {
            Content = JsonContent.Create(new { restrictedResources = new[] { new { method = "GET", path = "/orders/v0/orders/{orderId}", dataElements = new[] { "shippingAddress" } } } }),
        };
        request.Headers.Add("x-amz-access-token", token);

        using var refused = await http.SendAsync(request);

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("does not have access");
        emulator.SellingPartner.GetOrderPayload(OrderWithStatus(emulator, "Pending"), includePersonalData: true)!["ShippingAddress"].ShouldBeNull();
        emulator.SellingPartner.GetOrderPayload(OrderWithStatus(emulator, "Shipped"), includePersonalData: true)!["ShippingAddress"].ShouldNotBeNull();
    }
}
