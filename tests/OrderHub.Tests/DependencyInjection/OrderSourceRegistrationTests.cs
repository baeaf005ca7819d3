using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Providers;
using OrderHub.Tests.Sources;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.DependencyInjection;

/// <summary>The sources a provider registers, explicitly or from configuration, live and die with the container.</summary>
public sealed class OrderSourceRegistrationTests
{
    [Fact]
    public async Task AddConfiguredSources_SourcesAreDisposedWithTheContainer()
    {
        var created = new List<DisposableSource>();
        await using (var provider = Provider(created, "sp-eu", "sp-na"))
        {
            provider.GetRequiredService<OrderLookup>().Sources.Select(s => s.Name).ShouldBe(["sp-eu", "sp-na"], ignoreOrder: true);
            created.ShouldAllBe(s => !s.Disposed);
        }

        created.Count.ShouldBe(2);
        created.ShouldAllBe(s => s.Disposed && s.Disposals == 1);
    }

    [Fact]
    public void AddConfiguredSources_SyncDispose_DisposesThemToo()
    {
        var created = new List<DisposableSource>();
        using (var provider = Provider(created, "sp-eu"))
        {
            _ = provider.GetRequiredService<OrderLookup>();
        }

        created.ShouldHaveSingleItem().Disposed.ShouldBeTrue();
    }

    [Fact]
    public async Task AddConfiguredSources_NeverUsed_CreatesNoneToDispose()
    {
        var created = new List<DisposableSource>();
        await using (var provider = Provider(created, "sp-eu"))
        {
            _ = provider.GetServices<IOrderSourceSet>().ToList();
        }

        created.ShouldBeEmpty();
    }

    private static ServiceProvider Provider(List<DisposableSource> created, params string[] names)
    {
        var settings = names.ToDictionary(name => $"OrderHub:Sources:{name}:Provider", _ => (string?)"Disposable");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        OrderSourceRegistration.AddConfiguredSources<DisposableSource, DisposableSourceOptions>(services.AddOrderHub(), "Disposable", (_, name) =>
        {
            var source = new DisposableSource(name);
            lock (created)
            {
                created.Add(source);
            }

            return source;
        });
        return services.BuildServiceProvider();
    }

    private sealed class DisposableSourceOptions : IOrderSourceOptions
    {
        public string SourceName { get; set; } = string.Empty;
    }

    private sealed class DisposableSource(string name) : IOrderSource, IDisposable
    {
        private int _disposals;

        public string Name { get; } = name;

        public OrderIdFormat OrderIdFormat => InMemoryOrderSource.ThreeSevenSeven;

        public bool Disposed => Disposals > 0;

        public int Disposals => Volatile.Read(ref _disposals);

        public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }
}
