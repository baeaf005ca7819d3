using System.Collections.Concurrent;
using Npgsql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>
/// Positions follow commit order under concurrent writers: a reader that follows the log while three stores (three
/// connection pools, as three processes) write the same orders sees every entry once, and none is committed behind it.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlChangeLogConcurrencyTests(PostgreSqlServerFixture postgres)
{
    private const int Writers = 3;
    private const int WritesPerWriter = 200;
    private const int Orders = 12;

    [Fact]
    public async Task ThreeWritersAndAFollowingReader_TheReaderSeesEveryCommittedEntryOnce_InPositionOrder()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var writers = new PostgreSqlOrderStore[Writers];
        for (var w = 0; w < Writers; w++)
        {
            writers[w] = await PostgreSqlOrderStore.OpenAsync(database);
        }

        await using var reader = await PostgreSqlOrderStore.OpenAsync(database);
        var logged = new ConcurrentBag<StoreOutcome>();
        var writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var k = 0; k < WritesPerWriter; k++)
            {
                // The same orders from every writer, each write newer than the last: inserts, updates, and superseded
                // writes (not logged) when another writer got there with a newer copy first.
                var order = OrderStoreContractTests.SampleOrder($"oo-{k % Orders:D17}", $"STEP_{w}_{k}") with
                {
                    LastUpdatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds((k * Writers) + w),
                };
                logged.Add(await writers[w].UpsertAsync(order));
            }
        })));

        var seen = new List<long>();
        var after = 0L;
        var done = false;
        while (!done)
        {
            // One more read after the writers finished, so the last commits are read too.
            done = writing.IsCompleted;
            var page = await reader.ReadAsync(after, 7);
            seen.AddRange(page.Changes.Select(c => c.Position));
            after = page.LastPosition;
            if (page.Changes.Count == 0 && !done)
            {
                await reader.WaitAsync(after, TimeSpan.FromMilliseconds(50));
            }
        }

        await writing;
        foreach (var writer in writers)
        {
            await writer.DisposeAsync();
        }

        var committed = new List<long>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var all = new NpgsqlCommand("SELECT position FROM orderhub_order_changes ORDER BY position", connection);
            await using var rows = await all.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                committed.Add(rows.GetInt64(0));
            }
        }

        var expected = logged.Count(o => o is StoreOutcome.Inserted or StoreOutcome.Updated);
        logged.Count(o => o == StoreOutcome.Inserted).ShouldBe(Orders, "each order is created once, whoever wrote it first");
        committed.Count.ShouldBe(expected, "an entry per insert and per update, none for superseded writes");
        seen.Distinct().Count().ShouldBe(seen.Count, "no entry is read twice");
        committed.Except(seen).ShouldBeEmpty("the reader, moving on as it read, missed no entry committed behind a higher position");
        seen.ShouldBe(committed, "in position order");
    }
}
