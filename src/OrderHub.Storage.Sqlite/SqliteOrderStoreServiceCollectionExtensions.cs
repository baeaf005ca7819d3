using Microsoft.Extensions.DependencyInjection;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>Registers the embedded SQLite store.</summary>
public static class SqliteOrderStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="SqliteOrderStore"/> on a file as the <see cref="IOrderStore"/>, the
    /// <see cref="ISyncCursorStore"/>, the <see cref="IOrderNotificationLedger"/>, the <see cref="IOrderQuery"/> and the <see cref="IOrderChangeLog"/>, closed with the container. Resolving it does no I/O: the file is opened (created,
    /// migrated) on the store's first call, or by <see cref="IOrderStore.EnsureOpenAsync"/>, and an open that fails
    /// (its <see cref="OrderStoreException"/> names the file) is tried again by the next call.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="path">The database file.</param>
    /// <param name="options">The busy timeout and the change log's retention; <see langword="null"/> for the defaults.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSqliteOrderStore(this IServiceCollection services, string path, SqliteOrderStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        services.AddSingleton(sp => SqliteOrderStore.OpenOnFirstUse(path, options ?? new SqliteOrderStoreOptions(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IOrderStore>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton<ISyncCursorStore>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton<IOrderNotificationLedger>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton<IOrderQuery>(sp => sp.GetRequiredService<SqliteOrderStore>());
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<SqliteOrderStore>());
        return services;
    }
}
