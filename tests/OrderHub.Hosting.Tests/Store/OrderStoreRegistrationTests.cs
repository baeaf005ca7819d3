using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderHub.Storage.PostgreSql;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Hosting.Tests.Store;

/// <summary><c>AddOrderHubStore</c>: one setting names the store, SQLite or PostgreSQL.</summary>
public sealed class OrderStoreRegistrationTests
{
    private static IConfiguration Settings(string? connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["OrderHub:Store:ConnectionString"] = connectionString }).Build();

    [Theory]
    [InlineData("Host=db.internal;Database=orderhub;Username=orderhub")]
    [InlineData("postgresql://orderhub@db.internal:5432/orderhub")]
    public void APostgreSqlConnectionStringOrUri_RegistersThePostgreSqlStore(string connectionString)
    {
        var services = new ServiceCollection().AddLogging().AddOrderHubStore(Settings(connectionString));

        services.ShouldContain(d => d.ServiceType == typeof(PostgreSqlOrderStore));
        services.ShouldNotContain(d => d.ServiceType == typeof(SqliteOrderStore));
    }

    [Fact]
    public async Task AnythingElse_IsASqliteFile_ThatIsTheStoreTheQueryTheChangeLogAndTheCursorStore()
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-store-setting-").FullName;
        try
        {
            await using (var provider = new ServiceCollection().AddLogging().AddOrderHubStore(Settings(Path.Combine(folder, "orders.db"))).BuildServiceProvider())
            {
                var store = provider.GetRequiredService<IOrderStore>().ShouldBeOfType<SqliteOrderStore>();
                provider.GetRequiredService<IOrderQuery>().ShouldBeSameAs(store);
                provider.GetRequiredService<IOrderChangeLog>().ShouldBeSameAs(store);
                provider.GetRequiredService<ISyncCursorStore>().ShouldBeSameAs(store);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AMissingSetting_IsAnErrorNamingIt(string? connectionString)
    {
        var error = Should.Throw<ArgumentException>(() => new ServiceCollection().AddOrderHubStore(Settings(connectionString)));

        error.Message.ShouldStartWith("OrderHub:Store:ConnectionString is not set: give the path of a SQLite file");
    }

    [Fact]
    public async Task AStoreThatCannotBeOpened_IsUnhealthy_WithTheStoresMessage()
    {
        var services = new ServiceCollection().AddLogging().AddOrderHubStore(Settings("/nonexistent-directory/orders.db"));
        services.AddSingleton(new OrderLookup([]));
        services.AddHealthChecks().AddOrderHub();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["orderhub-store"].Description.ShouldNotBeNull().ShouldStartWith("The order store cannot be read: ");
        report.Entries["orderhub-follower"].Status.ShouldBe(HealthStatus.Healthy, "no follower is registered");
    }
}
