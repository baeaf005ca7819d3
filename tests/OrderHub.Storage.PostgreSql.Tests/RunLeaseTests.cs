using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>Several workers (stores, as separate processes would open them) splitting one run on one database.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class RunLeaseTests(PostgreSqlServerFixture postgres)
{
    private static readonly OrderReference[] References = [.. Enumerable.Range(1, 100).Select(i => new OrderReference("outposts", $"oo-{i:D17}"))];

    [Fact]
    public async Task TwoWorkers_SplitTheRun_EachReferenceHandedOutOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var first = await PostgreSqlOrderStore.OpenAsync(database);
        await using var second = await PostgreSqlOrderStore.OpenAsync(database);
        await first.AddToRunAsync("run", References);

        var taken = await Task.WhenAll(WorkAsync(first), WorkAsync(second));

        taken[0].Intersect(taken[1]).ShouldBeEmpty();
        taken[0].Concat(taken[1]).Select(r => r.OrderId).Order(StringComparer.Ordinal).ShouldBe(References.Select(r => r.OrderId));
        taken.ShouldAllBe(t => t.Count > 0, "both workers took a share");
        (await first.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 100, 0));
    }

    [Fact]
    public async Task AWorkerThatDied_ItsLeasesGoToTheOthersWhenTheyExpire()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var shortLeases = new PostgreSqlOrderStoreOptions { LeaseDuration = TimeSpan.FromSeconds(2), LeaseBatchSize = 10, IdlePollInterval = TimeSpan.FromMilliseconds(100) };
        var dying = await PostgreSqlOrderStore.OpenAsync(database, shortLeases);
        await using var survivor = await PostgreSqlOrderStore.OpenAsync(database, shortLeases);
        await dying.AddToRunAsync("run", References);

        // The dying worker leases its first batch and is gone without committing (nothing renews its leases).
        var abandoned = new List<OrderReference>();
        await foreach (var reference in dying.GetPendingAsync("run"))
        {
            abandoned.Add(reference);
            if (abandoned.Count == 10)
            {
                break;
            }
        }

        await dying.DisposeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var taken = await WorkAsync(survivor, timeout.Token);

        taken.Select(r => r.OrderId).Order(StringComparer.Ordinal).ShouldBe(References.Select(r => r.OrderId), "the survivor finished the run, the abandoned references included");
        (await survivor.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 100, 0));
    }

    [Fact]
    public async Task AWorkerThatLostItsLease_CommitsNothing_AndIsToldSo()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var options = new PostgreSqlOrderStoreOptions { LeaseBatchSize = 1 };
        await using var paused = await PostgreSqlOrderStore.OpenAsync(database, options);
        await using var other = await PostgreSqlOrderStore.OpenAsync(database, options);
        await paused.AddToRunAsync("run", References.Take(2).ToArray());
        await using var pausedPending = paused.GetPendingAsync("run").GetAsyncEnumerator();
        (await pausedPending.MoveNextAsync()).ShouldBeTrue();
        var reference = pausedPending.Current;

        // The paused worker's lease runs out (as after SIGSTOP past the lease); another worker takes the reference.
        await ExpireLeasesAsync(database);
        await using var otherPending = other.GetPendingAsync("run").GetAsyncEnumerator();
        (await otherPending.MoveNextAsync()).ShouldBeTrue();
        otherPending.Current.ShouldBe(reference);
        var stale = OrderStoreContractTests.SampleOrder(reference.OrderId, "PREPARING");
        var fresh = OrderStoreContractTests.SampleOrder(reference.OrderId, "DELIVERED") with { LastUpdatedAt = stale.LastUpdatedAt!.Value.AddHours(1) };

        // Leased by the other worker now: the paused one's commit (even of a newer copy) does not land.
        (await paused.CommitAsync("run", [OrderStoreContractTests.Fetched(fresh)])).ShouldBe([StoreOutcome.LeaseLost]);
        (await paused.GetAsync(reference.Source, reference.OrderId)).ShouldBeNull();
        (await other.CommitAsync("run", [OrderStoreContractTests.Fetched(fresh)])).ShouldBe([StoreOutcome.Inserted]);

        // Done by the other worker: the paused one's late commit, failure or order, still does not land.
        (await paused.CommitAsync("run", [OrderStoreContractTests.Fetched(stale)])).ShouldBe([StoreOutcome.LeaseLost]);
        (await paused.CommitAsync("run", [new SyncResult { Reference = reference, Failure = new SyncFailure(reference, "unavailable", "E", 1, null, Permanent: true) }])).ShouldBe([StoreOutcome.LeaseLost]);
        System.Text.Encoding.UTF8.GetString((await other.GetAsync(reference.Source, reference.OrderId))!.Json).ShouldContain("DELIVERED");
        (await other.CountRunAsync("run")).ShouldBe(new SyncRunCounts(1, 1, 0));
    }

    [Fact]
    public async Task AWorkerThatLostItsLeases_DoesNotHandOutTheRestOfItsBatch()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var time = new FakeTimeProvider();
        var options = new PostgreSqlOrderStoreOptions { LeaseBatchSize = 10, LeaseDuration = TimeSpan.FromSeconds(30) };
        await using var paused = await PostgreSqlOrderStore.OpenAsync(database, options, time);
        await using var other = await PostgreSqlOrderStore.OpenAsync(database, options);
        await paused.AddToRunAsync("run", References.Take(10).ToArray());
        await using var pausedPending = paused.GetPendingAsync("run").GetAsyncEnumerator();
        (await pausedPending.MoveNextAsync()).ShouldBeTrue();

        // Paused past its lease: the other worker takes and finishes the other nine.
        await ExpireLeasesAsync(database);
        var taken = await WorkAsync(other);
        taken.Count.ShouldBe(10);
        time.Advance(TimeSpan.FromSeconds(31));

        (await pausedPending.MoveNextAsync()).ShouldBeFalse("what it had leased is done by the other worker");
    }

    private static async Task ExpireLeasesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE orderhub_sync_items SET leased_until = now() - interval '1 second' WHERE leased_by IS NOT NULL", connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AWorkerWhoseConnectionDropped_ItsLeasesPassOnWithoutWaitingForExpiry()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var longLeases = new PostgreSqlOrderStoreOptions { LeaseDuration = TimeSpan.FromMinutes(5), LeaseBatchSize = 10, IdlePollInterval = TimeSpan.FromMilliseconds(100) };
        var dying = await PostgreSqlOrderStore.OpenAsync(database, longLeases);
        await using var survivor = await PostgreSqlOrderStore.OpenAsync(database, longLeases);
        await dying.AddToRunAsync("run", References);
        await using (var leased = dying.GetPendingAsync("run").GetAsyncEnumerator())
        {
            (await leased.MoveNextAsync()).ShouldBeTrue();
        }

        // Its connections close, as when the process is killed; its leases still have five minutes to run.
        await dying.DisposeAsync();
        using var wellBeforeExpiry = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var taken = await WorkAsync(survivor, wellBeforeExpiry.Token);

        taken.Count.ShouldBe(100, "the survivor took the dead worker's ten as soon as it saw it gone");
        (await survivor.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 100, 0));
    }

    [Fact]
    public async Task ALiveWorker_RenewsItsLeases()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var time = new FakeTimeProvider();
        await using var worker = await PostgreSqlOrderStore.OpenAsync(database, new PostgreSqlOrderStoreOptions { LeaseDuration = TimeSpan.FromSeconds(30), LeaseBatchSize = 5 }, time);
        await worker.AddToRunAsync("run", References);
        await using var pending = worker.GetPendingAsync("run").GetAsyncEnumerator();
        (await pending.MoveNextAsync()).ShouldBeTrue();
        var before = await LeaseEndsAsync(database);

        time.Advance(TimeSpan.FromSeconds(10)); // a third of the lease: the renewal runs
        await Eventually.TrueAsync(async () => await LeaseEndsAsync(database) > before, "the lease is renewed", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AFailureDuringTheRun_IsNotHandedOutAgainInTheSameEnumeration()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var store = await PostgreSqlOrderStore.OpenAsync(database);
        await store.AddToRunAsync("run", References.Take(3).ToArray());

        var seen = new List<OrderReference>();
        await foreach (var reference in store.GetPendingAsync("run"))
        {
            seen.Add(reference);
            await store.CommitAsync("run", [new SyncResult { Reference = reference, Failure = new SyncFailure(reference, "unavailable", "E", 1, null, Permanent: false) }]);
        }

        seen.Count.ShouldBe(3);
        (await ToListAsync(store.GetPendingAsync("run"))).Count.ShouldBe(3, "the next enumeration (the next run) tries them again");
    }

    private static async Task<List<OrderReference>> WorkAsync(PostgreSqlOrderStore store, CancellationToken cancellationToken = default)
    {
        var taken = new List<OrderReference>();
        await foreach (var reference in store.GetPendingAsync("run", cancellationToken))
        {
            taken.Add(reference);
            var order = OrderHub.Testing.OrderStoreContractTests.SampleOrder(reference.OrderId);
            await store.CommitAsync("run", [OrderHub.Testing.OrderStoreContractTests.Fetched(order)], cancellationToken);
        }

        return taken;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task<DateTime> LeaseEndsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT MAX(leased_until) FROM orderhub_sync_items", connection);
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }
}
