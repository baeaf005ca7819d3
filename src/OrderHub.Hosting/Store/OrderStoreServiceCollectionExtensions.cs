using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Storage.PostgreSql;

namespace OrderHub;

/// <summary>Registers the order store one setting names: a SQLite file, or a PostgreSQL database.</summary>
public static class OrderStoreServiceCollectionExtensions
{
    /// <summary>The setting that names the store.</summary>
    public const string ConnectionStringSetting = "OrderHub:Store:ConnectionString";

    /// <summary>
    /// Registers the store <c>OrderHub:Store:ConnectionString</c> names: a PostgreSQL connection string
    /// (<c>Host=...;Database=...</c>) or <c>postgresql://</c> URI, anything else the path of a SQLite file. It is the
    /// order store, its query, its change log and the sync's cursor store, as <c>AddSqliteOrderStore</c> or
    /// <c>AddPostgreSqlOrderStore</c> register them.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">The setting is missing or empty; the message names it.</exception>
    public static IServiceCollection AddOrderHubStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ConnectionStringSetting] is { Length: > 0 } connectionString
            ? services.AddOrderHubStore(connectionString)
            : throw new ArgumentException(
                $"{ConnectionStringSetting} is not set: give the path of a SQLite file (orders.db) or a PostgreSQL connection string (Host=db;Database=orderhub;Username=...) or postgresql:// URI.",
                nameof(configuration));
    }

    /// <summary>Registers the store a connection string names: PostgreSQL for a connection string or <c>postgresql://</c> URI, else a SQLite file.</summary>
    /// <param name="services">The services.</param>
    /// <param name="connectionString">A PostgreSQL connection string or URI, or a SQLite file's path.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddOrderHubStore(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return PostgreSqlConnection.IsPostgreSql(connectionString)
            ? services.AddPostgreSqlOrderStore(connectionString)
            : services.AddSqliteOrderStore(connectionString);
    }
}
