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
    /// Registers a <see cref="PostgreSqlOrderStore"/> as the <see cref="IOrderStore"/>, opened (and migrated) when first
    /// needed; its errors (<see cref="OrderStoreException"/>) name the database, never the password.
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
        services.AddSingleton(sp => PostgreSqlOrderStore.OpenAsync(
            connection,
            options ?? sp.GetService<IConfiguration>()?.GetSection(SectionName).Get<PostgreSqlOrderStoreOptions>(),
            sp.GetService<TimeProvider>()).GetAwaiter().GetResult());
        services.AddSingleton<IOrderStore>(sp => sp.GetRequiredService<PostgreSqlOrderStore>());
        return services;
    }
}
