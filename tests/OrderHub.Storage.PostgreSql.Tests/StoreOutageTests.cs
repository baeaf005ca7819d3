using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>A store that goes away for a moment (restarted, stopped then started) under a running commit.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task ACommitDuringARestart_LandsOnceWhenTheServerIsBack()
    {
        await using var server = await PostgreSqlServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        await using var store = await PostgreSqlOrderStore.OpenAsync(database, new PostgreSqlOrderStoreOptions { OutageTolerance = TimeSpan.FromMinutes(1) });
        var order = OrderStoreContractTests.SampleOrder();
        await store.AddToRunAsync("run", [new OrderReference(order.Source, order.OrderId)]);

        await server.StopAsync();
        var commit = store.CommitAsync("run", [OrderStoreContractTests.Fetched(order)]);
        await server.StartAgainAsync();

        (await commit.WaitAsync(TimeSpan.FromSeconds(60))).ShouldBe([StoreOutcome.Inserted]);
        (await store.CountRunAsync("run")).ShouldBe(new SyncRunCounts(0, 1, 0));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT COUNT(*) FROM orderhub_orders", connection);
        (await rows.ExecuteScalarAsync()).ShouldBe(1L);
    }

    [Fact]
    public async Task AnErrorThatWaitingCannotMend_FailsAtOnce()
    {
        await using var server = await PostgreSqlServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        var time = new FakeTimeProvider();
        await using var store = await PostgreSqlOrderStore.OpenAsync(database, new PostgreSqlOrderStoreOptions(), time);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE orderhub_orders", connection);
            await drop.ExecuteNonQueryAsync();
        }

        // The fake clock never moves: a retry would wait on it for ever.
        var error = await Should.ThrowAsync<OrderStoreException>(store.UpsertAsync(OrderStoreContractTests.SampleOrder()).WaitAsync(TimeSpan.FromSeconds(30)));
        error.Message.ShouldContain("42P01");
    }

    [Fact]
    public async Task AStoreAwayLongerThanTheTolerance_FailsAsBefore()
    {
        await using var server = await PostgreSqlServer.StartAsync();
        var database = await server.CreateDatabaseAsync();
        var time = new FakeTimeProvider();
        await using var store = await PostgreSqlOrderStore.OpenAsync(database, new PostgreSqlOrderStoreOptions { OutageTolerance = TimeSpan.FromSeconds(30) }, time);
        await server.StopAsync();

        var call = store.CountRunAsync("run");
        for (var i = 0; i < 600 && !call.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        var error = await Should.ThrowAsync<OrderStoreException>(call.WaitAsync(TimeSpan.FromSeconds(30)));
        error.Message.ShouldContain("cannot be reached");
        time.GetUtcNow().ShouldBeGreaterThanOrEqualTo(new FakeTimeProvider().GetUtcNow().AddSeconds(30), "it retried through the tolerance first");
    }
}
