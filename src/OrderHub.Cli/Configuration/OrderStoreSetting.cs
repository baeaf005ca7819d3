using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Storage.PostgreSql;

namespace OrderHub.Cli.Configuration;

/// <summary>
/// The database <c>--db</c> or <c>ORDERHUB_DB</c> names: a PostgreSQL connection string or <c>postgresql://</c> URI
/// (shared by several workers and API instances), anything else a SQLite file (the default, <c>orderhub.db</c>).
/// </summary>
internal static class OrderStoreSetting
{
    public const string Description = "The database: a SQLite file, or a PostgreSQL connection string or postgresql:// URI shared by several workers (default: ORDERHUB_DB, else orderhub.db).";

    /// <summary>The setting <c>ORDERHUB_DB</c> stands for.</summary>
    public const string Setting = "OrderHub:Store:Database";

    /// <summary>Gets the setting: the option, else the library's <c>OrderHub:Store:ConnectionString</c>, else <c>OrderHub:Store:Database</c> (<c>ORDERHUB_DB</c>), else <c>orderhub.db</c>.</summary>
    public static string Resolve(string? option, IConfiguration configuration) =>
        option
        ?? (configuration[OrderStoreServiceCollectionExtensions.ConnectionStringSetting] is { Length: > 0 } connectionString ? connectionString : null)
        ?? (configuration[Setting] is { Length: > 0 } configured ? configured : "orderhub.db");

    /// <summary>Gets what to call the database in output: the file, or the server and database, never a password.</summary>
    public static string Display(string setting)
    {
        if (!PostgreSqlConnection.IsPostgreSql(setting))
        {
            return setting;
        }

        var builder = PostgreSqlConnection.Parse(setting);
        return $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>Registers the store the setting names, through the library's own registration.</summary>
    public static IServiceCollection AddOrderStore(this IServiceCollection services, string setting) => services.AddOrderHubStore(setting);
}
