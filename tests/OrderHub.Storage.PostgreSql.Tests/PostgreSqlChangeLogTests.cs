using OrderHub.Sync;
using OrderHub.Testing;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>The PostgreSQL store keeps its change log as every store does.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderChangeLogContractTests(PostgreSqlServerFixture postgres) : OrderChangeLogContractTests
{
    protected override async Task<(IOrderStore Store, Func<Task<IOrderStore>>? Reopen)> CreateStoreAsync(TimeProvider timeProvider, TimeSpan retention)
    {
        var database = await postgres.Server.CreateDatabaseAsync();
        var options = new PostgreSqlOrderStoreOptions { ChangeLogRetention = retention };
        return (await PostgreSqlOrderStore.OpenAsync(database, options, timeProvider), async () => await PostgreSqlOrderStore.OpenAsync(database, options, timeProvider));
    }
}
