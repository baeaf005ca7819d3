using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.Outposts;
using OrderHub.Outposts.Tests.Support;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests;

/// <summary>The adapter against the emulator over real sockets, every request signed and verified.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task ListOrders_FollowsNextTokenAcrossPages_AndGetsEveryOrderOnce()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator);

        var listed = new List<OrderSummary>();
        await foreach (var summary in source.ListOrdersAsync(new OrderListQuery { PageSize = 7 }))
        {
            listed.Add(summary);
        }

        listed.Select(s => s.OrderId).ShouldBe(emulator.Outposts.OrderIds);
        listed.Select(s => s.Status.Raw).Distinct().Order().ShouldBe(OutpostsEmulatorState.OrderStatuses.Order());
        listed.ShouldAllBe(s => s.LineCountsByStatus.Values.Sum() > 0 && s.CreatedAt != null);
        emulator.Outposts.Requests.ShouldBe((int)Math.Ceiling(listed.Count / 7.0));
    }

    [Fact]
    public async Task ListOrders_FilteredByOutpost_ListsOnlyItsOrders()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator);
        var outpost = emulator.Outposts.OutpostIds[1];

        var listed = new List<OrderSummary>();
        await foreach (var summary in source.ListOrdersAsync(new OrderListQuery { AccountId = outpost }))
        {
            listed.Add(summary);
        }

        listed.ShouldNotBeEmpty();
        listed.ShouldAllBe(s => s.AccountId == outpost);
    }

    [Fact]
    public async Task SeededOrders_CoverEveryLineStatusAndCarrier_AndMapToKnownValues()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator);

        var orders = await Task.WhenAll(emulator.Outposts.OrderIds.Select(id => source.GetOrderAsync(id)));
        var lines = orders.SelectMany(o => o.Lines).ToArray();

        lines.Select(l => l.Status!.Value.Raw).Distinct().Order().ShouldBe(OutpostsEmulatorState.LineItemStatuses.Order());
        lines.Select(l => l.Shipment!.Carrier!.Value.Raw).Distinct().Order().ShouldBe(OutpostsEmulatorState.Carriers.Order());
        orders.ShouldAllBe(o => o.Status.IsKnown);
        lines.ShouldAllBe(l => l.Status!.Value.IsKnown && l.Shipment!.Carrier!.Value.IsKnown && l.Assets.Count == 1);
        orders.ShouldContain(o => o.Type!.Value.Value == OrderType.Replacement && o.Lines[0].ReplacesOrderId != null && o.Lines[0].ReplacesLineId != null);
        orders.ShouldContain(o => o.QuoteId != null && o.QuoteOptionId != null);
    }

    [Fact]
    public async Task CreateOrder_ByLineItems_ThenItMovesThroughStatusesOverTime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = clock, OutpostsStatusStep = TimeSpan.FromHours(1) });
        using var source = OutpostsEmulatorClient.Source(emulator);

        var created = await source.CreateOrderAsync(new CreateOrderRequest
        {
            AccountId = $"arn:aws:outposts:us-west-2:123456789012:outpost/{emulator.Outposts.OutpostIds[0]}",
            Lines = [new("OR-ABC1234", 2), new("OR-XYZ9876", 1)],
            PaymentOption = PaymentOption.PartialUpfront,
            PaymentTerm = PaymentTerm.FiveYears,
        });

        created.Status.Raw.ShouldBe("PREPARING");
        created.AccountId.ShouldBe(emulator.Outposts.OutpostIds[0]);
        created.Lines.Select(l => (l.CatalogItemId, l.Quantity)).ShouldBe([("OR-ABC1234", 2), ("OR-XYZ9876", 1)]);
        created.Payment!.Term!.Value.Value.ShouldBe(PaymentTerm.FiveYears);
        clock.Advance(TimeSpan.FromHours(1));
        (await source.GetOrderAsync(created.OrderId)).Status.Value.ShouldBe(OrderStatus.InProgress);
        clock.Advance(TimeSpan.FromHours(1));
        (await source.GetOrderAsync(created.OrderId)).Status.Value.ShouldBe(OrderStatus.Delivered);
        clock.Advance(TimeSpan.FromHours(1));
        var completed = await source.GetOrderAsync(created.OrderId);
        completed.Status.Value.ShouldBe(OrderStatus.Completed);
        completed.FulfilledAt.ShouldNotBeNull();
        completed.Lines.ShouldAllBe(l => l.Status!.Value.Value == OrderLineStatus.Installed);
    }

    [Fact]
    public async Task CreateOrder_FromAQuote_EchoesTheQuote()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator);

        var created = await source.CreateOrderAsync(new CreateOrderRequest
        {
            AccountId = emulator.Outposts.OutpostIds[1],
            QuoteId = "oq-0123456789abcdef0",
            QuoteOptionId = "oqo-0123456789abcdef0",
            PaymentOption = PaymentOption.AllUpfront,
        });

        created.QuoteId.ShouldBe("oq-0123456789abcdef0");
        created.QuoteOptionId.ShouldBe("oqo-0123456789abcdef0");
        created.Lines.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task CreateOrder_UnknownOutpost_IsNotFound()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator);

        await Should.ThrowAsync<OrderNotFoundException>(() => source.CreateOrderAsync(new CreateOrderRequest
        {
            AccountId = "op-fffffffffffffffff",
            Lines = [new("OR-ABC1234", 1)],
            PaymentOption = PaymentOption.AllUpfront,
        }));
    }

    [Fact]
    public async Task CancelOrder_ThenAgain_IsAConflictNamingTheOrder()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator);
        var created = await source.CreateOrderAsync(new CreateOrderRequest { AccountId = emulator.Outposts.OutpostIds[0], Lines = [new("OR-ABC1234", 1)], PaymentOption = PaymentOption.NoUpfront });

        await source.CancelOrderAsync(created.OrderId);
        (await source.GetOrderAsync(created.OrderId)).Status.Value.ShouldBe(OrderStatus.Cancelled);
        var error = await Should.ThrowAsync<OrderConflictException>(() => source.CancelOrderAsync(created.OrderId));

        error.ResourceId.ShouldBe(created.OrderId);
        error.ResourceType.ShouldBe("ORDER");
        error.ErrorCode.ShouldBe("ConflictException");
    }

    [Fact]
    public async Task WrongSecret_IsRefusedByTheSignatureCheck()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        using var source = OutpostsEmulatorClient.Source(emulator, secret: "not-the-secret");

        var error = await Should.ThrowAsync<OrderSourceAuthenticationException>(() => source.GetOrderAsync(emulator.Outposts.OrderIds[0]));

        error.ErrorCode.ShouldBe("InvalidSignatureException");
        error.ToString().ShouldNotContain("not-the-secret");
    }

    [Fact]
    public async Task AddAwsOutposts_RegistersASourceTheLookupRoutesTo()
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrderHub:Sources:outposts:Region"] = "us-west-2",
            ["OrderHub:Sources:outposts:Endpoint"] = emulator.BaseAddress.ToString(),
        }).Build());
        services.AddOrderHub().AddAwsOutposts(o => o.Credentials = OutpostsEmulatorClient.Options(emulator).Credentials);
        await using var provider = services.BuildServiceProvider();

        var order = await provider.GetRequiredService<OrderLookup>().GetOrderAsync(emulator.Outposts.OrderIds[2]);

        order.Source.ShouldBe("outposts");
        order.OrderId.ShouldBe(emulator.Outposts.OrderIds[2]);
    }
}
