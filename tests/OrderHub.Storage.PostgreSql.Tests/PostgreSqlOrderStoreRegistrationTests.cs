using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary><c>AddPostgreSqlOrderStore</c>: one store for every service it is, connected asynchronously on its first call, once.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderStoreRegistrationTests(PostgreSqlServerFixture postgres)
{
    private static ServiceProvider Provider(string connection) => new ServiceCollection().AddPostgreSqlOrderStore(connection).BuildServiceProvider();

    [Fact]
    public async Task Resolving_ConnectsToNothing_TheFirstCallSaysTheServerCannotBeReached()
    {
        await using var provider = Provider("postgresql://orderhub:secret@127.0.0.1:1/orderhub?Timeout=2");

        var store = provider.GetRequiredService<IOrderStore>();
        _ = provider.GetRequiredService<ISyncCursorStore>();

        var error = await Should.ThrowAsync<OrderStoreException>(() => store.CountRunAsync("run"));
        error.Message.ShouldContain("cannot be reached");
        error.Message.ShouldNotContain("secret");
    }

    [Fact]
    public async Task ConcurrentFirstCalls_ConnectOnce_AsOneWorker()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        await using var provider = Provider(database);
        var store = provider.GetRequiredService<PostgreSqlOrderStore>();
        provider.GetRequiredService<IOrderStore>().ShouldBeSameAs(store);
        provider.GetRequiredService<ISyncCursorStore>().ShouldBeSameAs(store, "one store is both the order store and the cursor store");
        provider.GetRequiredService<IOrderQuery>().ShouldBeSameAs(store, "and the query over its orders");

        var counts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.CountRunAsync("run"))));

        counts.ShouldAllBe(c => c.Total == 0);
        (await LivenessLocksAsync(database)).ShouldBe(1, "each open takes a worker's liveness lock; one open, one lock");
    }

    [Fact]
    public async Task DisposingTheContainer_ReleasesTheWorker()
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var provider = Provider(database);
        await provider.GetRequiredService<IOrderStore>().EnsureOpenAsync();
        (await LivenessLocksAsync(database)).ShouldBe(1);

        await provider.DisposeAsync();

        // The server lets go once it sees the connection closed: socket I/O, not time.
        await Eventually.TrueAsync(async () => await LivenessLocksAsync(database) == 0, "the worker's lock is released");
    }

    // Session advisory locks held on the database: a store's liveness lock is the only one it keeps between calls.
    private static async Task<long> LivenessLocksAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
