using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Api.Hosting;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests.Changes;

/// <summary><c>GET /changes</c> over a real SQLite store's change log, read back with the CloudEvents library's own formatter.</summary>
public sealed class OrderApiChangesTests : IAsyncLifetime
{
    private const string Key = "changes-reader-0123456789";
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-changes-").FullName;
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly HttpClient _client = new();
    private SqliteOrderStore _store = null!;
    private OrderApiHost _api = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteOrderStore.OpenAsync(Path.Combine(_folder, "orders.db"), new SqliteOrderStoreOptions { ChangeLogRetention = TimeSpan.FromHours(1) }, _clock);
        _api = await OrderApiHost.StartAsync(
            options =>
            {
                options.Urls = "http://127.0.0.1:0";
                options.ApiKeys.Add(new ApiKey(Key, false));
            },
            new OrderLookup([]),
            _store,
            configureLogging: _ => { });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _store.DisposeAsync();
        _client.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static Order Placed(int i) => OrderStoreContractTests.SampleOrder($"oo-{i:D17}");

    private static Order Shipped(int i) => Placed(i) with
    {
        Status = new ProviderValue<OrderStatus>(OrderStatus.Shipped, "SHIPPED"),
        LastUpdatedAt = Placed(i).LastUpdatedAt!.Value.AddHours(1),
    };

    private Task<HttpResponseMessage> GetAsync(string pathAndQuery, string? key = Key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_api.BaseAddress, pathAndQuery.TrimStart('/')));
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return _client.SendAsync(request);
    }

    private static async Task<IReadOnlyList<CloudEvent>> EventsOf(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/cloudevents-batch+json");
        return new JsonEventFormatter().DecodeBatchModeMessage(await response.Content.ReadAsByteArrayAsync(), new ContentType("application/cloudevents-batch+json"), null);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).ShouldHaveSingleItem();

    [Fact]
    public async Task Changes_AreCloudEventsInCommitOrder_ReadOnByTheLinkHeaderToTheEnd()
    {
        for (var i = 1; i <= 5; i++)
        {
            await _store.UpsertAsync(Placed(i));
        }

        await _store.UpsertAsync(Shipped(2));
        await _store.UpsertAsync(Shipped(2));
        await _store.UpsertAsync(Shipped(4));

        var seen = new List<CloudEvent>();
        var next = "changes?limit=3";
        while (true)
        {
            var response = await GetAsync(next);
            var events = await EventsOf(response);
            var link = Header(response, "Link");
            next = link[(link.IndexOf('<') + 1)..link.IndexOf('>')];
            if (events.Count == 0)
            {
                Header(response, "OrderHub-Last-Position").ShouldBe(seen[^1].Id, "an empty page says where the reader stands");
                break;
            }

            events.Count.ShouldBeLessThanOrEqualTo(3);
            Header(response, "OrderHub-Last-Position").ShouldBe(events[^1].Id);
            seen.AddRange(events);
        }

        seen.Select(e => e.Subject).ShouldBe(["oo-00000000000000001", "oo-00000000000000002", "oo-00000000000000003", "oo-00000000000000004", "oo-00000000000000005", "oo-00000000000000002", "oo-00000000000000004"]);
        seen.Select(e => e.Type).ShouldBe([.. Enumerable.Repeat("orderhub.order.created", 5), "orderhub.order.updated", "orderhub.order.updated"]);
        seen.Select(e => long.Parse(e.Id!, CultureInfo.InvariantCulture)).ShouldBeInOrder(SortDirection.Ascending);
        seen.Select(e => e.Id).Distinct().Count().ShouldBe(7);
        seen.ShouldAllBe(e => e.Source!.OriginalString == "outposts" && e.Time == Start);
        seen[5]["orderstatus"].ShouldBe("Shipped");
        seen[5]["orderstatusbefore"].ShouldBe("Pending");
        var data = seen[5].Data.ShouldBeOfType<JsonElement>();
        data.GetProperty("status").GetProperty("value").GetString().ShouldBe("Shipped");
    }

    [Fact]
    public async Task Wait_AnswersWithTheChangeStoredWhileTheRequestWaits()
    {
        await _store.UpsertAsync(Placed(1));
        var head = Header(await GetAsync("changes"), "OrderHub-Last-Position");

        // The store looks for a new entry on its clock: the fake clock's 100 ms steps stand for the poll interval.
        var waiting = GetAsync($"changes?after={head}&wait=30");
        await _store.UpsertAsync(Placed(2));
        await Eventually.TrueAsync(
            () =>
            {
                _clock.Advance(TimeSpan.FromMilliseconds(100));
                return waiting.IsCompleted;
            },
            "the waiting request answers once the store sees the new entry");

        var events = await EventsOf(await waiting);
        events.ShouldHaveSingleItem().Subject.ShouldBe("oo-00000000000000002");
    }

    [Fact]
    public async Task WithoutWait_AnEmptyPageIsAnsweredAtOnce()
    {
        var response = await GetAsync("changes?after=0");

        (await EventsOf(response)).ShouldBeEmpty();
        Header(response, "OrderHub-Last-Position").ShouldBe("0");
    }

    [Theory]
    [InlineData("after=-1", "after")]
    [InlineData("after=abc", "after")]
    [InlineData("after=1&after=2", "after")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("wait=31", "wait")]
    [InlineData("wait=1.5", "wait")]
    [InlineData("cursor=x", "cursor")]
    public async Task BadParameters_AreRefusedAsProblems_NamingTheParameter(string query, string parameter)
    {
        var response = await GetAsync($"changes?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("parameter").GetString().ShouldBe(parameter);
        problem.GetProperty("detail").GetString()!.ShouldContain($"'{parameter}'");
    }

    [Fact]
    public async Task WithoutAKey_IsRefused()
    {
        var response = await GetAsync("changes", key: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task APrunedPosition_IsGone_AndAReaderWithoutAPositionStartsFromWhatIsKept()
    {
        await _store.UpsertAsync(Placed(1));
        await _store.UpsertAsync(Placed(2));
        _clock.Advance(TimeSpan.FromHours(2));
        await _store.UpsertAsync(Placed(3));
        var prunedThrough = await _store.PruneAsync();
        prunedThrough.ShouldBeGreaterThan(0);

        var gone = await GetAsync("changes?after=0");

        gone.StatusCode.ShouldBe(HttpStatusCode.Gone);
        gone.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await gone.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("prunedThrough").GetInt64().ShouldBe(prunedThrough);
        problem.GetProperty("detail").GetString()!.ShouldContain("GET /orders");

        var kept = await EventsOf(await GetAsync("changes"));
        kept.ShouldHaveSingleItem().Subject.ShouldBe("oo-00000000000000003");
    }
}
