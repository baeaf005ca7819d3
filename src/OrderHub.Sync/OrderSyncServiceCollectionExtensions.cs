using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>Registers the sync engine.</summary>
public static class OrderSyncServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="OrderSync"/> over the lookup and the registered <see cref="IOrderStore"/>, and
    /// <see cref="IncrementalOrderSync"/> and <see cref="OrderBackfill"/> over the registered <see cref="ISyncCursorStore"/>,
    /// <see cref="OrderCompletion"/> over the registered <see cref="IOrderQuery"/>
    /// (register a store that is both, for example with <c>AddSqliteOrderStore(path)</c> or
    /// <c>AddPostgreSqlOrderStore(connection)</c>), and <see cref="OrderNotificationSync"/> over the registered
    /// <see cref="IOrderNotificationLedger"/> (the same stores), with the <see cref="OrderSyncOptions"/> its runs use unless given others.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The default run options; <see langword="null"/> for the defaults.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubSync(this IServiceCollection services, OrderSyncOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new OrderSync(
            sp.GetRequiredService<OrderLookup>(),
            sp.GetRequiredService<IOrderStore>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<OrderSync>>(),
            options));
        services.AddSingleton(sp => new IncrementalOrderSync(
            sp.GetRequiredService<OrderLookup>(),
            CursorStore(sp, nameof(IncrementalOrderSync)),
            sp.GetRequiredService<OrderSync>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<IncrementalOrderSync>>()));
        services.AddSingleton(sp => new OrderBackfill(
            sp.GetRequiredService<OrderLookup>(),
            CursorStore(sp, nameof(OrderBackfill)),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<OrderBackfill>>()));
        services.AddSingleton(sp => new OrderCompletion(
            sp.GetRequiredService<OrderSync>(),
            sp.GetService<IOrderQuery>() ?? throw new InvalidOperationException(
                $"{nameof(OrderCompletion)} finds the partial orders through the store's {nameof(IOrderQuery)}, and none is registered. Register the SQLite or PostgreSQL store (AddSqliteOrderStore, AddPostgreSqlOrderStore), or an IOrderQuery of your own.")));
        services.AddSingleton(sp => new OrderNotificationSync(
            sp.GetRequiredService<OrderLookup>(),
            sp.GetService<IOrderNotificationLedger>() ?? throw new InvalidOperationException(
                $"{nameof(OrderNotificationSync)} remembers the notifications it acted on in an {nameof(IOrderNotificationLedger)}, and none is registered. Register the SQLite or PostgreSQL store (AddSqliteOrderStore, AddPostgreSqlOrderStore), or an IOrderNotificationLedger of your own."),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<OrderNotificationSync>>()));
        return services;
    }

    private static ISyncCursorStore CursorStore(IServiceProvider services, string user) =>
        services.GetService<ISyncCursorStore>() ?? throw new InvalidOperationException(
            $"{user} keeps its cursors in an {nameof(ISyncCursorStore)}, and none is registered: the registered order store keeps no sync cursors. Register the SQLite or PostgreSQL store (AddSqliteOrderStore, AddPostgreSqlOrderStore), or an ISyncCursorStore of your own.");
}
