using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Sync;
using Shouldly;
using Xunit;

namespace OrderHub.Storage.Sqlite.Tests;

/// <summary><c>AddSqliteOrderStore</c>: one store for every service it is, opened on its first call rather than when it is resolved.</summary>
public sealed class SqliteOrderStoreRegistrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static ServiceProvider Provider(string path, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSqliteOrderStore(path);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Resolving_TouchesNoFile_TheFirstCallCreatesIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var provider = Provider(_database.Path, time);

        var store = provider.GetRequiredService<IOrderStore>();
        var cursors = provider.GetRequiredService<ISyncCursorStore>();

        File.Exists(_database.Path).ShouldBeFalse("resolving the store opens nothing");
        var sqlite = provider.GetRequiredService<SqliteOrderStore>();
        store.ShouldBeSameAs(sqlite);
        cursors.ShouldBeSameAs(sqlite, "one store is both the order store and the cursor store");
        provider.GetRequiredService<IOrderQuery>().ShouldBeSameAs(sqlite, "and the query over its orders");
        provider.GetRequiredService<IOrderChangeLog>().ShouldBeSameAs(sqlite, "and its change log");
        sqlite.IsNewFile.ShouldBeFalse("not open yet");

        (await store.UpsertAsync(OrderHub.Testing.OrderStoreContractTests.SampleOrder())).ShouldBe(StoreOutcome.Inserted);

        File.Exists(_database.Path).ShouldBeTrue();
        sqlite.IsNewFile.ShouldBeTrue();
        (await store.GetAsync("outposts", "oo-0123456789abcdef0"))!.StoredAt.ShouldBe(time.GetUtcNow(), "the container's clock");
    }

    [Fact]
    public async Task Resolving_AFolder_Succeeds_AndTheFirstCallSaysWhatIsWrong()
    {
        var folder = Path.GetDirectoryName(_database.Path)!;
        await using var provider = Provider(folder);

        var store = provider.GetRequiredService<IOrderStore>();

        var error = await Should.ThrowAsync<OrderStoreException>(() => store.CountRunAsync("run"));
        error.Message.ShouldContain("is a folder");
        error.Location.ShouldBe(folder);
        (await Should.ThrowAsync<OrderStoreException>(() => store.EnsureOpenAsync())).Message.ShouldBe(error.Message, "the same open, the same message");
    }

    [Fact]
    public async Task AFailedOpen_IsTriedAgainByTheNextCall()
    {
        var folder = Path.Combine(Path.GetDirectoryName(_database.Path)!, "later");
        var path = Path.Combine(folder, "orders.db");
        await using var provider = Provider(path);
        var store = provider.GetRequiredService<IOrderStore>();

        (await Should.ThrowAsync<OrderStoreException>(() => store.GetAsync("outposts", "oo-0123456789abcdef0"))).Message.ShouldContain("does not exist");
        Directory.CreateDirectory(folder);

        (await store.GetAsync("outposts", "oo-0123456789abcdef0")).ShouldBeNull();
        File.Exists(path).ShouldBeTrue();
    }

    [Fact]
    public async Task ConcurrentFirstCalls_ShareOneOpen()
    {
        await using var provider = Provider(_database.Path);
        var store = provider.GetRequiredService<SqliteOrderStore>();

        var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => store.GetPublicAsync("outposts", $"oo-{i:D17}"))));

        reads.ShouldAllBe(r => r == null);
        store.IsNewFile.ShouldBeTrue("one open made the file; a second would have found it there");
        (await store.UpsertAsync(OrderHub.Testing.OrderStoreContractTests.SampleOrder())).ShouldBe(StoreOutcome.Inserted);
    }

    [Fact]
    public async Task DisposedBeforeItsFirstCall_LeavesNoFile_AndRefusesCalls()
    {
        var provider = Provider(_database.Path);
        var store = provider.GetRequiredService<IOrderStore>();

        await provider.DisposeAsync();

        File.Exists(_database.Path).ShouldBeFalse();
        await Should.ThrowAsync<ObjectDisposedException>(() => store.CountRunAsync("run"));
        File.Exists(_database.Path).ShouldBeFalse();
    }
}
