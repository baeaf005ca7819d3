using Microsoft.Extensions.Time.Testing;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync;

/// <summary>
/// The scripted feed the incremental sync's tests read is held to the contract of a real one, so what those tests
/// prove holds for the feeds users have.
/// </summary>
public sealed class ScriptedChangeFeedContractTests : OrderChangeFeedContractTests
{
    protected override Task<OrderChangeFeedUnderTest> CreateFeedAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var feed = new ScriptedChangeFeed(time);
        var since = time.GetUtcNow().AddDays(-1);
        string[] ids = ["902-0000001-0000001", "902-0000002-0000002", "902-0000003-0000003", "902-0000004-0000004", "902-0000005-0000005"];
        for (var i = 0; i < ids.Length; i++)
        {
            feed.Put(ids[i], since.AddHours(i + 1));
        }

        // An order updated inside the settle delay is not yet listed: the window ends at the settled present.
        feed.Put("902-0000006-0000006", time.GetUtcNow().AddMinutes(-1));
        return Task.FromResult(new OrderChangeFeedUnderTest(feed, since, ids, [], time.GetUtcNow, () => feed.Requests.Count));
    }
}
