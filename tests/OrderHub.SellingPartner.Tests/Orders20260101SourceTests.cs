using System.Web;
using OrderHub.Emulator.Hosting;
using OrderHub.SellingPartner.Tests.Support;
using OrderHub.RateLimits;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests;

/// <summary>What a source reading through Orders API 2026-01-01 asks for, and how it is configured.</summary>
public sealed class Orders20260101SourceTests : IAsyncLifetime
{
    private const string OrderId = "902-3159896-1390916";
    private static readonly string[] NonPersonalDatasets = ["PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"];
    private ScriptedSellingPartner _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ScriptedSellingPartner.StartAsync();
        _server.OrdersApiVersion = SellingPartnerOrdersApi.V20260101;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetOrder_WithoutPersonalData_AsksForEveryDatasetButBuyerAndRecipient()
    {
        var order = await _server.CreateSource().GetOrderAsync(OrderId);

        order.GetProviderDetails<SellingPartnerOrderDetails>()!.ApiVersion.ShouldBe("2026-01-01");
        IncludedData(_server.QueriesSeen.Single()).ShouldBe(NonPersonalDatasets);
    }

    [Fact]
    public async Task GetOrder_WithPersonalData_AddsBuyerAndRecipient_WithoutARestrictedDataToken()
    {
        await _server.CreateSource().GetOrderAsync(OrderId, new OrderReadOptions { IncludePersonalData = true });

        IncludedData(_server.QueriesSeen.Single()).ShouldBe([.. NonPersonalDatasets, "BUYER", "RECIPIENT"]);
        _server.AccessTokensSeen.Single().ShouldStartWith("token-");
        _server.TokenRequests.ShouldBe(1);
    }

    [Fact]
    public async Task GetOrder_ConfiguredDatasets_ReplaceTheDefault()
    {
        await _server.CreateSource(configure: o => o.IncludedData = ["FULFILLMENT"]).GetOrderAsync(OrderId);

        IncludedData(_server.QueriesSeen.Single()).ShouldBe(["FULFILLMENT"]);
    }

    [Fact]
    public async Task InvalidId_IsRejectedBeforeAnyRequest_NamingTheFormat()
    {
        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => _server.CreateSource().GetOrderAsync("TEST_CASE_400"));

        error.Message.ShouldContain("3-7-7 digits");
        _server.GetOrderRequests.ShouldBe(0);
    }

    [Fact]
    public void TheTwoVersions_HaveSeparateQuotas_SharedByEverySourceOfTheSameVersion()
    {
        var registry = new RateLimiterRegistry();
        var v0 = _server.CreateSource(registry: registry, configure: o => (o.RefreshToken, o.OrdersApiVersion) = ("Atzr|seller", "v0"));
        var first = _server.CreateSource(registry: registry, configure: o => o.RefreshToken = "Atzr|seller");
        var second = _server.CreateSource(registry: registry, configure: o => o.RefreshToken = "Atzr|seller");

        first.GetOrderRateLimiter.ShouldBeSameAs(second.GetOrderRateLimiter);
        first.GetOrderRateLimiter.ShouldNotBeSameAs(v0.GetOrderRateLimiter);
        (first.OrdersApiVersion, v0.OrdersApiVersion).ShouldBe(("2026-01-01", "v0"));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("2026-01-02")]
    [InlineData("")]
    public void UnknownVersion_FailsValidation_NamingTheVersions(string version)
    {
        var options = new SellingPartnerOrderSourceOptions { ClientId = "c", ClientSecret = "s", RefreshToken = "r", OrdersApiVersion = version };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true).ShouldBeFalse();
        Should.Throw<ArgumentException>(() => new SellingPartnerOrderSource(options)).Message.ShouldContain("v0, 2026-01-01");
    }

    [Fact]
    public void UnknownDataset_FailsValidation_NamingTheDatasets()
    {
        var options = new SellingPartnerOrderSourceOptions { ClientId = "c", ClientSecret = "s", RefreshToken = "r", IncludedData = ["FULFILMENT"] };

        var results = options.Validate(new(options)).ToList();

        results.Single().ErrorMessage!.ShouldContain("'FULFILMENT'");
        results.Single().ErrorMessage!.ShouldContain("FULFILLMENT_ORDERS");
    }

    [Theory]
    [InlineData("2026-01-01", "2026-01-01")]
    [InlineData("V0", "v0")]
    [InlineData(" v0 ", "v0")]
    public void VersionNames_AreReadIgnoringCaseAndSpace(string text, string expected)
    {
        SellingPartnerOrdersApi.TryParse(text, out var version).ShouldBeTrue();
        version.ShouldBe(expected);
    }

    private static string[] IncludedData(string query) =>
        HttpUtility.ParseQueryString(query)["includedData"]!.Split(',');
}

/// <summary>
/// Orders API 2026-01-01 against the emulator over real sockets (the quota tests run for both versions in
/// <see cref="EndToEndTests"/>).
/// </summary>
public sealed class Orders20260101EndToEndTests
{
    [Fact]
    public async Task EverySeededOrder_MapsToKnownValues_WithItsLines()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 1000, SpGetOrderBurst = 1000, SpOrderCount = 40 });
        var options = EmulatorClient.Options(emulator, SellingPartnerOrdersApi.V20260101);
        options.GetOrderBurst = 1000;
        var source = new SellingPartnerOrderSource(options, OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());

        var orders = await Task.WhenAll(emulator.SellingPartner.OrderIds.Select(id => source.GetOrderAsync(id)));

        orders.Select(o => o.Status.Raw).Distinct().Order().ShouldBe(["CANCELLED", "PARTIALLY_SHIPPED", "PENDING", "PENDING_AVAILABILITY", "SHIPPED", "UNFULFILLABLE", "UNSHIPPED"]);
        orders.ShouldAllBe(o => o.Status.IsKnown && o.Total != null && o.Lines.Count == 2);
        orders.SelectMany(o => o.Lines).ShouldAllBe(l => l.LineId != null && l.CatalogItemId != null && l.Sku != null && l.Price != null && l.Quantity == 1);
        orders.SelectMany(o => o.Lines).Where(l => l.Status != null).ShouldAllBe(l => l.Status!.Value.IsKnown && l.Shipment != null);
        orders.Where(o => o.Status.Value == OrderStatus.Shipped).ShouldAllBe(o => o.Lines.All(l => l.Shipment != null));
        orders.Select(o => o.GetProviderDetails<SellingPartnerOrderDetails>()!.FulfillmentChannel!.Value.Value).Distinct().Order().ShouldBe([FulfillmentChannel.Merchant, FulfillmentChannel.Amazon]);
        orders.ShouldAllBe(o => o.Shipping!.Address == null && o.GetProviderDetails<SellingPartnerOrderDetails>()!.Buyer == null);
    }

    [Fact]
    public async Task PersonalData_ComesWithTheBuyerAndRecipientDatasets_WithoutARestrictedDataToken()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var source = Source(emulator);
        var id = emulator.SellingPartner.OrderIds[1]; // Unshipped: its status releases personal data;

        var order = await source.GetOrderAsync(id, new OrderReadOptions { IncludePersonalData = true });

        order.Shipping!.Address!.Name.ShouldBe("Buyer 1");
        var details = order.GetProviderDetails<SellingPartnerOrderDetails>()!;
        details.Buyer!.Email.ShouldBe("buyer1@marketplace.amazon.example");
        details.DeliveryPreference.ShouldNotBeNull();
        details.TaxRegistrations.Select(t => t.EntityType).ShouldContain("BUYER");
        emulator.SellingPartner.RestrictedDataTokenRequests.ShouldBe(0);
    }

    [Fact]
    public async Task MissingOrder_IsNotFound_WithTheUpstreamRequestId()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var source = Source(emulator);

        var error = await Should.ThrowAsync<OrderNotFoundException>(() => source.GetOrderAsync("999-9999999-9999999"));

        (error.ErrorCode, error.StatusCode).ShouldBe(("NotFound", System.Net.HttpStatusCode.NotFound));
        error.RequestId.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("171-9876543-2109876")]
    [InlineData("028-1234567-8901234")]
    [InlineData("114-9876543-1234567")]
    public async Task SpecSandboxOrders_AreServedAndMapped(string orderId)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var source = Source(emulator);

        var order = await source.GetOrderAsync(orderId);

        order.OrderId.ShouldBe(orderId);
        order.Lines.ShouldNotBeEmpty();
    }

    private static SellingPartnerOrderSource Source(EmulatorHost emulator) =>
        new(EmulatorClient.Options(emulator, SellingPartnerOrdersApi.V20260101), OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
}
