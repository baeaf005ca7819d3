using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrderHub.Benchmarks.Query;

/// <summary>
/// Bytes on disk per stored order, read from outside the stores with plain SQL, so that it reads any on-disk format:
/// the columns are discovered, not named.
/// </summary>
internal static class OnDiskSize
{
    // The stores' orders tables; which one a database has is looked up, so a rename does not break the measure.
    private static readonly string[] OrdersTables = ["orderhub_orders", "orders"];

    /// <summary>
    /// A SQLite store's file (and its -wal and -journal, if any), per order; call it once the store is disposed. Also
    /// the orders table's own pages (where SQLite can say) and the average length of each BLOB or TEXT column.
    /// </summary>
    public static async Task ReportSqliteAsync(string what, string path, long orders, int? sampledRows = null)
    {
        SqliteConnection.ClearAllPools();
        long Size(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;
        var file = Size(path);
        var sidecars = Size(path + "-wal") + Size(path + "-journal");
        Print($"{what}: SQLite file {Mib(file + sidecars)} (-wal/-journal {sidecars} bytes) for {orders} orders = {(double)(file + sidecars) / orders:0} bytes/order");

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await connection.OpenAsync();
        var table = await FirstAsync(connection, OrdersTables, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name");
        try
        {
            // dbstat is compiled into some SQLite builds only: the table and its indexes apart, when it is.
            var tablePages = await ScalarAsync<long>(connection, $"SELECT sum(pgsize) FROM dbstat WHERE name = '{table}'");
            var indexPages = await ScalarAsync<long>(connection, $"SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}')");
            Print($"{what}: table {table} {Mib(tablePages)} = {(double)tablePages / orders:0} bytes/order; its indexes {Mib(indexPages)} = {(double)indexPages / orders:0} bytes/order");
        }
        catch (SqliteException)
        {
            Print($"{what}: (this SQLite has no dbstat: the table and its indexes are not told apart)");
        }

        var columns = new List<string>();
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = $"SELECT name, upper(type) FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var type = reader.GetString(1);
                if (type.Contains("BLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal) || type.Length == 0)
                {
                    columns.Add(reader.GetString(0));
                }
            }
        }

        // length of a value cast to BLOB is its size in bytes, for text as for blobs.
        var averages = new List<string>();
        foreach (var column in columns)
        {
            var average = await ScalarAsync<double?>(connection, $"SELECT avg(length(CAST(\"{column}\" AS BLOB))) FROM (SELECT \"{column}\" FROM \"{table}\"{Limit(sampledRows)})");
            averages.Add(string.Create(CultureInfo.InvariantCulture, $"{column} {(average is { } bytes ? bytes.ToString("0.#", CultureInfo.InvariantCulture) : "null")}"));
        }

        Print($"{what}: average bytes per column of {table}{Sampled(sampledRows)}: {string.Join(", ", averages)}");
    }

    /// <summary>The size of a PostgreSQL database, in bytes, to take before and after the store fills it.</summary>
    public static async Task<long> PostgreSqlDatabaseSizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// A PostgreSQL store's orders table per order, with its TOAST and indexes (<c>pg_total_relation_size</c>) and apart,
    /// the database's growth per order, and each bytea, text or json column's average length and stored (compressed,
    /// <c>pg_column_size</c>) size.
    /// </summary>
    public static async Task ReportPostgreSqlAsync(string what, string connectionString, long databaseSizeBefore, long orders, int? sampledRows = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var table = await FirstAsync(connection, OrdersTables, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name");
        await using (var checkpoint = new NpgsqlCommand("CHECKPOINT", connection))
        {
            // The files' sizes are those of the relations; a checkpoint only makes the database size settle.
            await checkpoint.ExecuteNonQueryAsync();
        }

        var total = await ScalarAsync<long>(connection, $"SELECT pg_total_relation_size('{table}')");
        var heap = await ScalarAsync<long>(connection, $"SELECT pg_relation_size('{table}')");
        var toast = await ScalarAsync<long>(connection, $"SELECT pg_table_size('{table}') - pg_relation_size('{table}')");
        var indexes = await ScalarAsync<long>(connection, $"SELECT pg_indexes_size('{table}')");
        var database = await ScalarAsync<long>(connection, "SELECT pg_database_size(current_database())");
        Print($"{what}: pg_total_relation_size('{table}') {Mib(total)} for {orders} orders = {(double)total / orders:0} bytes/order (heap {(double)heap / orders:0}, TOAST and maps {(double)toast / orders:0}, indexes {(double)indexes / orders:0}); database grew {Mib(database - databaseSizeBefore)} = {(double)(database - databaseSizeBefore) / orders:0} bytes/order");

        var columns = new List<(string Name, string Type)>();
        await using (var info = new NpgsqlCommand("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND data_type IN ('bytea', 'text', 'json', 'jsonb', 'character varying') ORDER BY ordinal_position", connection))
        {
            info.Parameters.AddWithValue("table", table);
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var averages = new List<string>();
        foreach (var (name, type) in columns)
        {
            // octet_length takes bytea and text; json is measured as its text.
            var value = type is "json" or "jsonb" ? $"\"{name}\"::text" : $"\"{name}\"";
            await using var average = new NpgsqlCommand($"SELECT avg(octet_length({value}))::float8, avg(pg_column_size(\"{name}\"))::float8 FROM (SELECT \"{name}\" FROM \"{table}\"{Limit(sampledRows)}) AS sample", connection);
            average.CommandTimeout = 600;
            await using var reader = await average.ExecuteReaderAsync();
            await reader.ReadAsync();
            averages.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {(reader.IsDBNull(0) ? double.NaN : reader.GetDouble(0)):0.#} (stored {(reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1)):0.#})"));
        }

        Print($"{what}: average bytes per column of {table}{Sampled(sampledRows)} (as stored, after compression): {string.Join(", ", averages)}");
    }

    private static string Limit(int? rows) => rows is { } n ? string.Create(CultureInfo.InvariantCulture, $" LIMIT {n}") : string.Empty;

    private static string Sampled(int? rows) => rows is { } n ? string.Create(CultureInfo.InvariantCulture, $" (the first {n} rows)") : string.Empty;

    public static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB");

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private static async Task<string> FirstAsync(System.Data.Common.DbConnection connection, string[] names, string exists)
    {
        foreach (var name in names)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = exists;
            var parameter = command.CreateParameter();
            parameter.ParameterName = exists.Contains("$name", StringComparison.Ordinal) ? "$name" : "name";
            parameter.Value = name;
            command.Parameters.Add(parameter);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0)
            {
                return name;
            }
        }

        throw new InvalidOperationException($"None of the tables {string.Join(", ", names)} is in the database.");
    }

    private static async Task<T> ScalarAsync<T>(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }
}
