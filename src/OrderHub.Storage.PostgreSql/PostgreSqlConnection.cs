using Npgsql;

namespace OrderHub.Storage.PostgreSql;

/// <summary>Recognises and reads PostgreSQL connection settings: an Npgsql connection string or a <c>postgresql://</c> URI.</summary>
public static class PostgreSqlConnection
{
    /// <summary>
    /// Tells whether a database setting names PostgreSQL (a <c>postgresql://</c> or <c>postgres://</c> URI, or a
    /// connection string with a <c>Host</c>) rather than a SQLite file path.
    /// </summary>
    /// <param name="value">The setting, for example <c>ORDERHUB_DB</c>.</param>
    /// <returns><see langword="true"/> for PostgreSQL.</returns>
    public static bool IsPostgreSql(string? value) =>
        value is not null
        && (value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || value.Split(';').Any(part => part.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase) || part.TrimStart().StartsWith("Server=", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Reads a connection string or URI into Npgsql's settings.</summary>
    /// <param name="value">The connection string, or a URI such as <c>postgresql://user:password@host:5432/orderhub?sslmode=require</c>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">The value cannot be read; the message never repeats it (it may hold a password).</exception>
    public static NpgsqlConnectionStringBuilder Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        try
        {
            return value.Contains("://", StringComparison.Ordinal) ? FromUri(new Uri(value)) : new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException(
                "The PostgreSQL connection (ORDERHUB_DB) is neither an Npgsql connection string (Host=...;Database=...;Username=...) nor a URI (postgresql://user:password@host:5432/database).",
                nameof(value));
        }
    }

    private static NpgsqlConnectionStringBuilder FromUri(Uri uri)
    {
        if (uri.Scheme is not ("postgresql" or "postgres"))
        {
            throw new UriFormatException();
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var setting = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = setting;
        }

        builder.Database ??= builder.Username;
        return builder;
    }
}
