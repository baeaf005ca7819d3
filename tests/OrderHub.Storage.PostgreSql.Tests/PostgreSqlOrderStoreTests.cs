using Npgsql;
using OrderHub.Sync;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderStoreTests(PostgreSqlServerFixture postgres) : OrderStoreContractTests
{
    protected override async Task<IOrderStore> CreateStoreAsync(TimeProvider timeProvider) => await PostgreSqlOrderStore.OpenAsync(await postgres.Server.CreateDatabaseAsync(), timeProvider: timeProvider);

    [Fact]
    public async Task Get_ReturnsTheUnifiedJsonByteForByte_AndADocumentWithoutPersonalData()
    {
        await using var store = await PostgreSqlOrderStore.OpenAsync(await postgres.Server.CreateDatabaseAsync());
        var order = SampleOrder() with { Shipping = new OrderShipping { Address = new PostalAddress { Name = "Jane Buyer", City = "Seattle" } } };

        await store.UpsertAsync(order);
        var stored = await store.GetAsync(order.Source, order.OrderId);

        stored.ShouldNotBeNull();
        stored.Json.ShouldBe(OrderHub.Json.OrderJson.SerializeToUtf8Bytes(order, includeRaw: true));
        System.Text.Encoding.UTF8.GetString(stored.PublicJson!).ShouldNotContain("Jane Buyer");
        System.Text.Encoding.UTF8.GetString(stored.Json).ShouldContain("Jane Buyer");
    }

    [Fact]
    public async Task Open_TwoProcessesAtOnce_MigrateOnce()
    {
        var database = await postgres.Server.CreateDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlOrderStore.OpenAsync(database)));

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var versions = new NpgsqlCommand("SELECT COUNT(*) FROM orderhub_schema_version", connection);
        (await versions.ExecuteScalarAsync()).ShouldBe((long)PostgreSqlOrderStore.SchemaVersion, "each migration once");
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Open_WrongPassword_NamesTheDatabaseNeverThePassword()
    {
        var database = new NpgsqlConnectionStringBuilder(await postgres.Server.CreateDatabaseAsync()) { Password = "wrong-secret-value" };

        var error = await Should.ThrowAsync<OrderStoreException>(() => PostgreSqlOrderStore.OpenAsync(database.ConnectionString));

        error.Message.ShouldContain($"127.0.0.1:{postgres.Server.Port}");
        error.Message.ShouldContain("refused the user name or password");
        error.ToString().ShouldNotContain("wrong-secret-value");
    }

    [Fact]
    public async Task Open_NothingListening_SaysItCannotBeReached()
    {
        var error = await Should.ThrowAsync<OrderStoreException>(() => PostgreSqlOrderStore.OpenAsync("postgresql://orderhub:secret@127.0.0.1:1/orderhub?Timeout=2"));

        error.Message.ShouldContain("cannot be reached");
        error.Message.ShouldNotContain("secret");
    }

    [Fact]
    public void Parse_Uri_ReadsEveryPart()
    {
        var builder = PostgreSqlConnection.Parse("postgresql://shop%40eu:p%3Ass@db.internal:6543/orders?sslmode=require");

        builder.Host.ShouldBe("db.internal");
        builder.Port.ShouldBe(6543);
        builder.Username.ShouldBe("shop@eu");
        builder.Password.ShouldBe("p:ss");
        builder.Database.ShouldBe("orders");
        builder.SslMode.ShouldBe(SslMode.Require);
    }

    [Theory]
    [InlineData("postgresql://u:p@h/db", true)]
    [InlineData("Host=db;Database=orders;Username=u", true)]
    [InlineData("orderhub.db", false)]
    [InlineData("/var/lib/orderhub/host=1.db", false)]
    public void IsPostgreSql_TellsConnectionsFromFilePaths(string value, bool expected) =>
        PostgreSqlConnection.IsPostgreSql(value).ShouldBe(expected);

    [Fact]
    public void Parse_Garbage_SaysWhatIsExpectedWithoutRepeatingIt()
    {
        var error = Should.Throw<ArgumentException>(() => PostgreSqlConnection.Parse("Host=db;Nonsense Key=secret-value"));

        error.Message.ShouldContain("postgresql://user:password@host:5432/database");
        error.Message.ShouldNotContain("secret-value");
    }
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlSyncCursorStoreTests(PostgreSqlServerFixture postgres) : SyncCursorStoreContractTests
{
    protected override async Task<ISyncCursorStore> CreateStoreAsync() => await PostgreSqlOrderStore.OpenAsync(await postgres.Server.CreateDatabaseAsync());
}

[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlOrderNotificationLedgerTests(PostgreSqlServerFixture postgres) : OrderNotificationLedgerContractTests
{
    protected override async Task<IOrderNotificationLedger> CreateStoreAsync(TimeProvider timeProvider) => await PostgreSqlOrderStore.OpenAsync(await postgres.Server.CreateDatabaseAsync(), timeProvider: timeProvider);
}
