using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>
/// A sync cursor as every store keeps it: one row per source and scope, its columns, the statements that read, write
/// and delete it (the same in both dialects; only the table's name and how a time is written differ), and the cursor
/// read back from its row.
/// </summary>
internal static class SyncCursorRows
{
    /// <summary>The cursor's columns after its key, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns = "high_water_mark, completed_through, window_start, window_end, page_token, page_token_issued_at, pages_read, updated_at, backfill";

    /// <summary>Reads one cursor, with <c>@source</c> and <c>@scope</c>.</summary>
    public static string SelectSql(string table) => $"SELECT {Columns} FROM {table} WHERE source = @source AND scope = @scope";

    /// <summary>Deletes one cursor, with <c>@source</c> and <c>@scope</c>.</summary>
    public static string DeleteSql(string table) => $"DELETE FROM {table} WHERE source = @source AND scope = @scope";

    /// <summary>Writes one cursor over the one there, with the parameters <see cref="Bind"/> adds.</summary>
    public static string UpsertSql(string table) => $"""
        INSERT INTO {table} (source, scope, {Columns})
        VALUES (@source, @scope, @hw, @through, @start, @end, @token, @issued, @pages, @updated, @backfill)
        ON CONFLICT (source, scope) DO UPDATE SET
            high_water_mark = excluded.high_water_mark, completed_through = excluded.completed_through,
            window_start = excluded.window_start, window_end = excluded.window_end, page_token = excluded.page_token,
            page_token_issued_at = excluded.page_token_issued_at, pages_read = excluded.pages_read, updated_at = excluded.updated_at,
            backfill = excluded.backfill
        """;

    /// <summary>Adds the key's parameters to a command.</summary>
    public static void BindKey(DbCommand command, string source, string scope)
    {
        command.Parameters.Add(Parameter(command, "@source", DbType.String, source));
        command.Parameters.Add(Parameter(command, "@scope", DbType.String, scope));
    }

    /// <summary>Adds the parameters of <see cref="UpsertSql"/> to a command; <paramref name="time"/> makes a time's parameter in the store's own form.</summary>
    public static void Bind(DbCommand command, string source, string scope, SyncCursor cursor, Func<string, DateTimeOffset?, DbParameter> time)
    {
        BindKey(command, source, scope);
        command.Parameters.Add(time("@hw", cursor.HighWaterMark));
        command.Parameters.Add(time("@through", cursor.CompletedThrough));
        command.Parameters.Add(time("@start", cursor.WindowStart));
        command.Parameters.Add(time("@end", cursor.WindowEnd));
        command.Parameters.Add(Parameter(command, "@token", DbType.String, cursor.PageToken));
        command.Parameters.Add(time("@issued", cursor.PageTokenIssuedAt));
        command.Parameters.Add(Parameter(command, "@pages", DbType.Int32, cursor.PagesRead));
        command.Parameters.Add(time("@updated", cursor.UpdatedAt));
        command.Parameters.Add(Parameter(command, "@backfill", DbType.String, cursor.Backfill is { } plan ? JsonSerializer.Serialize(plan, BackfillPlanJsonContext.Default.OrderBackfillPlan) : null));
    }

    /// <summary>Reads the cursor of the current row of <see cref="SelectSql"/>; <paramref name="time"/> reads a time the store wrote.</summary>
    public static SyncCursor Read(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> time)
    {
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : time(reader, i);
        return new SyncCursor
        {
            HighWaterMark = Time(0),
            CompletedThrough = Time(1),
            WindowStart = Time(2),
            WindowEnd = Time(3),
            PageToken = reader.IsDBNull(4) ? null : reader.GetString(4),
            PageTokenIssuedAt = Time(5),
            PagesRead = reader.GetInt32(6),
            UpdatedAt = time(reader, 7),
            Backfill = reader.IsDBNull(8) ? null : ReadBackfill(reader.GetString(8)),
        };
    }

    // The plan is the backfill's own record, kept as JSON (members by name, states as words) so that a later OrderHub
    // that adds members still reads it.
    private static OrderBackfillPlan ReadBackfill(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, BackfillPlanJsonContext.Default.OrderBackfillPlan)
                ?? throw new JsonException("The backfill plan is null.");
        }
        catch (JsonException e)
        {
            throw new OrderStoreException($"The backfill plan stored with a sync cursor cannot be read ({e.Message}): it was written by another program. Run the backfill with --reset (OrderBackfillRequest.Reset) to plan it again.", innerException: e);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}

/// <summary>The JSON form of a backfill plan in a cursor's <c>backfill</c> column.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(OrderBackfillPlan))]
internal sealed partial class BackfillPlanJsonContext : JsonSerializerContext;
