using Microsoft.Extensions.DependencyInjection;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>Registers the embedded SQLite store.</summary>
public static class SqliteOrderStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="SqliteOrderStore"/> on a file as the <see cref="IOrderStore"/>, opened when first needed
    /// (its errors, <see cref="OrderStoreException"/>, name the file), and closed with the container.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="path">The database file.</param>
    /// <param name="options">The busy timeout; <see langword="null"/> for the defaults.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSqliteOrderStore(this IServiceCollection services, string path, SqliteOrderStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // Microsoft.Data.Sqlite opens synchronously (its OpenAsync wraps Open), so resolving the store does not block on I/O waits.
        services.AddSingleton(sp => SqliteOrderStore.OpenAsync(path, options ?? new SqliteOrderStoreOptions(), sp.GetService<TimeProvider>()).GetAwaiter().GetResult());
        services.AddSingleton<IOrderStore>(sp => sp.GetRequiredService<SqliteOrderStore>());
        return services;
    }
}
