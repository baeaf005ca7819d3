using OrderHub.Sync;
using OrderHub.Testing;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>The backfill run against a PostgreSQL database, connected to again as a restarted process connects.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderBackfillTests(PostgreSqlServerFixture postgres) : OrderBackfillContractTests
{
    protected override async Task<(ISyncCursorStore Store, Func<Task<ISyncCursorStore>> Reopen)> CreateStoreAsync(TimeProvider timeProvider)
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        return (await PostgreSqlOrderStore.OpenAsync(database, timeProvider: timeProvider), async () => await PostgreSqlOrderStore.OpenAsync(database, timeProvider: timeProvider));
    }
}
