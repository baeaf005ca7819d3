using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Events;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Events.Tests.CloudEvents;

public sealed class OrderChangeEventsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("orderhub-events-").FullName;
    private readonly FakeTimeProvider _clock = new(Start);
    private SqliteOrderStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteOrderStore.OpenAsync(Path.Combine(_directory, "orders.db"), _clock);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static Order Placed(string id) => OrderStoreContractTests.SampleOrder(id) with
    {
        Shipping = new OrderShipping { Address = new PostalAddress { Name = "Jane Buyer", City = "Seattle" } },
    };

    [Fact]
    public async Task Changes_BecomeCloudEvents_ThatTheLibrarysOwnFormatterReadsBack()
    {
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        _clock.Advance(TimeSpan.FromMinutes(3));
        await _store.UpsertAsync(Placed("oo-00000000000000001") with
        {
            Status = new ProviderValue<OrderStatus>(OrderStatus.Shipped, "SHIPPED"),
            LastUpdatedAt = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero),
        });
        var changes = (await _store.ReadAsync(0, 10)).Changes;

        var json = OrderChangeEvents.EncodeBatch(changes.Select(OrderChangeEvents.ToCloudEvent));

        // Read with a formatter of the CloudEvents library that knows nothing of OrderHub's mapping.
        var decoded = new JsonEventFormatter().DecodeBatchModeMessage(json, new System.Net.Mime.ContentType(OrderChangeEvents.BatchMediaType), null);
        decoded.Count.ShouldBe(2);
        decoded[0].SpecVersion.ShouldBe(CloudEventsSpecVersion.V1_0);
        decoded[0].Id.ShouldBe(changes[0].Position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        decoded[0].Type.ShouldBe("orderhub.order.created");
        decoded[0].Source!.OriginalString.ShouldBe("outposts");
        decoded[0].Subject.ShouldBe("oo-00000000000000001");
        decoded[0].Time.ShouldBe(Start);
        decoded[0]["orderstatus"].ShouldBe("Pending");
        decoded[0]["orderstatusbefore"].ShouldBeNull("a created order had no status before");
        decoded[1].Type.ShouldBe("orderhub.order.updated");
        decoded[1].Time.ShouldBe(Start.AddMinutes(3));
        decoded[1]["orderstatus"].ShouldBe("Shipped");
        decoded[1]["orderstatusbefore"].ShouldBe("Pending");
        decoded[1].DataContentType.ShouldBe("application/json");
        var data = decoded[1].Data.ShouldBeOfType<JsonElement>();
        data.GetProperty("orderId").GetString().ShouldBe("oo-00000000000000001");
        data.GetProperty("status").GetProperty("value").GetString().ShouldBe("Shipped");
    }

    [Fact]
    public async Task AnEvent_CarriesThePublicJson_NeverPersonalDataOrTheRawPayload()
    {
        await _store.UpsertAsync(Placed("oo-00000000000000001"));
        var change = (await _store.ReadAsync(0, 10)).Changes.ShouldHaveSingleItem();

        var text = Encoding.UTF8.GetString(OrderChangeEvents.Encode(OrderChangeEvents.ToCloudEvent(change)).Span);

        text.ShouldContain("oo-00000000000000001");
        text.ShouldNotContain("Jane Buyer");
        text.ShouldNotContain("rawPayload");
        text.ShouldNotContain("PREPARING\",\"OrderId", Case.Sensitive, "the provider's payload stays out");
        var roundTrip = OrderChangeEvents.Decode(Encoding.UTF8.GetBytes(text));
        roundTrip[OrderChangeEvents.StatusAttribute].ShouldBe("Pending", "the typed decode knows the extension attributes");
    }
}
