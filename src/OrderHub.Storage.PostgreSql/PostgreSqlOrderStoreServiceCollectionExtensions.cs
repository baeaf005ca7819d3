using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Storage.PostgreSql;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>Registers the shared PostgreSQL store.</summary>
public static class PostgreSqlOrderStoreServiceCollectionExtensions
{
    /// <summary>The configuration section of the store's options: <c>OrderHub:Store</c>.</summary>
    public const string SectionName = "OrderHub:Store";

    /// <summary>
    /// Registers a <see cref="PostgreSqlOrderStore"/> as the <see cref="IOrderStore"/>, the
    /// <see cref="ISyncCursorStore"/>, the <see cref="IOrderNotificationLedger"/>, the <see cref="IOrderQuery"/> and the <see cref="IOrderChangeLog"/>, closed with the container. Resolving it does no I/O: it connects (and migrates)
    /// on its first call, or by <see cref="IOrderStore.EnsureOpenAsync"/>, and an open that fails (its
    /// <see cref="OrderStoreException"/> names the database, never the password) is tried again by the next call.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="connection">An Npgsql connection string or a <c>postgresql://</c> URI.</param>
    /// <param name="options">Leases; <see langword="null"/> for those configuration gives under <c>OrderHub:Store</c> (<c>LeaseDuration</c>, <c>LeaseBatchSize</c>, <c>IdlePollInterval</c>), else the defaults.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPostgreSqlOrderStore(this IServiceCollection services, string connection, PostgreSqlOrderStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        _ = PostgreSqlConnection.Parse(connection); // a malformed setting fails at registration, not at first use
        services.AddSingleton(sp => PostgreSqlOrderStore.OpenOnFirstUse(
            connection,
            options ?? sp.GetService<IConfiguration>()?.GetSection(SectionName).Get<PostgreSqlOrderStoreOptions>(),
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IOrderStore>(sp => sp.GetRequiredService<PostgreSqlOrderStore>());
        services.AddSingleton<ISyncCursorStore>(sp => sp.GetRequiredService<PostgreSqlOrderStore>());
        services.AddSingleton<IOrderNotificationLedger>(sp => sp.GetRequiredService<PostgreSqlOrderStore>());
        services.AddSingleton<IOrderQuery>(sp => sp.GetRequiredService<PostgreSqlOrderStore>());
        services.AddSingleton<IOrderChangeLog>(sp => sp.GetRequiredService<PostgreSqlOrderStore>());
        return services;
    }
}
