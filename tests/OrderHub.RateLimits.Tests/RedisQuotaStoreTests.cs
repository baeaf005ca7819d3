using OrderHub.RateLimits;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.RateLimits.Tests;

public sealed class RedisQuotaStoreTests(RedisServerFixture redis) : QuotaStoreContractTests, IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly List<RedisQuotaStore> _stores = [];

    protected override IQuotaStore CreateStore() => Track(RedisQuotaStore.Connect(redis.Server.Configuration));

    [Fact]
    public async Task ReserveAsync_RedisDown_FailsNamingTheServer_ThenRecoversWhenItIsBack()
    {
        await using var own = await RedisServer.StartAsync();
        var store = Track(RedisQuotaStore.Connect(own.Configuration));
        var quota = new QuotaDefinition("p", 1, 5);
        (await store.ReserveAsync(quota, new QuotaReservationRequest())).IsGranted.ShouldBeTrue();

        await own.StopAsync();
        var error = await Should.ThrowAsync<QuotaStoreUnavailableException>(() => store.ReserveAsync(quota, new QuotaReservationRequest()).AsTask());
        await own.StartAgainAsync();
        var reservation = await Eventually(() => store.ReserveAsync(quota, new QuotaReservationRequest()).AsTask());

        error.Message.ShouldContain($"Redis at 127.0.0.1:{own.Port}");
        error.Message.ShouldContain("ORDERHUB_REDIS");
        reservation.IsGranted.ShouldBeTrue("the store reconnected on its own");
    }

    [Fact]
    public async Task ReserveAsync_UnreachableWithAPassword_NeverShowsIt()
    {
        // Nothing listens on port 1: the call fails, and neither the message nor the error chain holds the password.
        var store = Track(RedisQuotaStore.Connect("127.0.0.1:1,password=hunter2-secret-value,connectTimeout=500,syncTimeout=500,asyncTimeout=500"));

        var error = await Should.ThrowAsync<QuotaStoreUnavailableException>(() => store.ReserveAsync(new QuotaDefinition("p", 1, 1), new QuotaReservationRequest()).AsTask());

        store.Description.ShouldNotContain("hunter2");
        error.Message.ShouldNotContain("hunter2");
        error.ToString().ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task ReserveAsync_WrongPassword_FailsAtOnceAsAnAuthenticationFailure_NotAsAnOutage()
    {
        await using var own = await RedisServer.StartAsync(requirePassword: "right,pass=word");
        var store = Track(RedisQuotaStore.Connect(own.Configuration, keyPrefix: null, password: "wrong-secret-value"));

        var reserve = await Should.ThrowAsync<QuotaStoreUnavailableException>(() => store.ReserveAsync(new QuotaDefinition("p", 1, 1), new QuotaReservationRequest()).AsTask());
        var list = await Should.ThrowAsync<QuotaStoreUnavailableException>(async () => await store.ListAsync().ToListAsync());

        foreach (var error in new[] { reserve, list })
        {
            error.IsTransient.ShouldBeFalse("waiting does not fix a wrong password");
            error.Message.ShouldContain("authentication failed");
            error.Message.ShouldContain("ORDERHUB_REDIS_PASSWORD");
            error.Message.ShouldNotContain("running and reachable");
            error.ToString().ShouldNotContain("wrong-secret-value");
        }
    }

    [Fact]
    public async Task ReserveAsync_PasswordWithACommaGivenApart_IsAccepted()
    {
        await using var own = await RedisServer.StartAsync(requirePassword: "right,pass=word");
        var store = Track(RedisQuotaStore.Connect(own.Configuration, keyPrefix: null, password: "right,pass=word"));

        var reservation = await store.ReserveAsync(new QuotaDefinition("p", 1, 1), new QuotaReservationRequest());

        reservation.IsGranted.ShouldBeTrue();
        store.Description.ShouldNotContain("right,pass");
    }

    [Fact]
    public void Connect_NotAConfigurationString_SaysWhatIsExpectedWithoutEchoingIt()
    {
        var error = Should.Throw<ArgumentException>(() => RedisQuotaStore.Connect("password=only-a-secret"));

        error.Message.ShouldContain("names no server");
        error.Message.ShouldNotContain("only-a-secret");
    }

    [Fact]
    public async Task ReserveAsync_UsesTheServersClock_AndExpiresIdleBuckets()
    {
        var store = Track(RedisQuotaStore.Connect(redis.Server.Configuration));
        var quota = new QuotaDefinition($"clock|{Guid.NewGuid():N}", 1000, 1);

        var reservation = await store.ReserveAsync(quota, new QuotaReservationRequest());
        using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Server.Configuration);
        var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(RedisQuotaStore.DefaultKeyPrefix + quota.Partition);
        var serverTime = await connection.GetServers()[0].TimeAsync();

        reservation.Bucket.ObservedAt.UtcDateTime.ShouldBe(serverTime, TimeSpan.FromSeconds(5));
        ttl.ShouldNotBeNull();
        ttl.Value.ShouldBe(TimeSpan.FromDays(1), TimeSpan.FromMinutes(1));
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
    }

    // Until the restarted server answers: the store's outage, not the test's clock.
    private static Task<T> Eventually<T>(Func<Task<T>> call) =>
        OrderHub.Testing.Eventually.SucceedsAsync(call, e => e is QuotaStoreUnavailableException, TimeSpan.FromSeconds(30));

    private RedisQuotaStore Track(RedisQuotaStore store)
    {
        _stores.Add(store);
        return store;
    }
}
