using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrderHub.Providers;
using OrderHub.Sync;

namespace OrderHub.Storage.Sqlite;

/// <summary>The query over every stored order (<see cref="IOrderQuery"/>), each page one short read.</summary>
public sealed partial class SqliteOrderStore : IOrderQuery
{
    // Sums money exactly: SQLite's own SUM adds binary floating point.
    private const string DecimalSumFunction = "orderhub_decimal_sum";

    private static readonly Dialect QuerySql = new();

    /// <inheritdoc />
    /// <remarks>Each page is one read of its own on a pooled connection; no read lock is held between pages.</remarks>
    public Task<OrderPage> QueryAsync(OrderQuery query, CancellationToken cancellationToken = default)
    {
        var after = OrderQueryCursor.Read(query);
        return GuardAsync(
            async () =>
            {
                using var connection = OpenReader();
                using var command = connection.CreateCommand();
                QuerySql.BuildPage(command, query, after);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await QuerySql.ReadPageAsync(reader, query, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OrderGroupSummary>> SummarizeAsync(OrderFilter filter, OrderGrouping groupBy = OrderGrouping.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate();
        groupBy.Validate();
        return GuardAsync(
            async () =>
            {
                using var connection = OpenReader();
                connection.CreateAggregate<string?, decimal?, string?>(
                    DecimalSumFunction,
                    null,
                    static (sum, amount) => amount is null ? sum : (sum ?? 0m) + decimal.Parse(amount, NumberStyles.Number, CultureInfo.InvariantCulture),
                    static sum => sum?.ToString(CultureInfo.InvariantCulture),
                    isDeterministic: true);
                using var command = connection.CreateCommand();
                QuerySql.BuildSummary(command, filter, groupBy);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await OrderQuerySql.ReadSummaryAsync(reader, groupBy, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>The plan SQLite takes for a query's page (<c>EXPLAIN QUERY PLAN</c>), one line per step.</summary>
    internal Task<IReadOnlyList<string>> ExplainAsync(OrderQuery query, CancellationToken cancellationToken = default)
    {
        var after = OrderQueryCursor.Read(query);
        return GuardAsync<IReadOnlyList<string>>(
            async () =>
            {
                using var connection = OpenReader();
                using var command = connection.CreateCommand();
                QuerySql.BuildPage(command, query, after);
                command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var plan = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    plan.Add(reader.GetString(3));
                }

                return plan;
            },
            cancellationToken);
    }

    // The functions a migration's statements call, registered on the writer before it migrates: one turns an ISO 8601
    // time from a stored JSON into the store's own form, the other compresses a row's two views into its document.
    private static void AddMigrationFunctions(SqliteConnection connection)
    {
        connection.CreateFunction<string?, string?>(
            SqliteSchema.UtcTimestampFunction,
            static text => ProviderTimestamp.TryParseIso8601(text, out var value) ? Timestamp(value) : null,
            isDeterministic: true);
        connection.CreateFunction<byte[]?, byte[], byte[]>(
            SqliteSchema.DocumentFunction,
            static (publicJson, json) => StoredDocument.Encode(publicJson, json),
            isDeterministic: true);
    }

    private sealed class Dialect : OrderQuerySql
    {
        protected override string Table => "orders";

        // Stored times are text of one fixed width, so the empty text is earlier than every time.
        protected override string MinTimeKey => "''";

        protected override string TimeKey(string column) => $"ifnull({column}, '')";

        // SQLite compares text by its bytes (BINARY) unless told otherwise.
        protected override string Ordinal(string column) => column;

        protected override string Period(string column, bool month) => month ? $"substr({column}, 1, 7)" : $"substr({column}, 1, 10)";

        protected override string DecimalSum(string column) => $"{DecimalSumFunction}({column})";

        protected override object TimeValue(DateTimeOffset value) => Timestamp(value);

        protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => ParseTimestamp(reader.GetString(ordinal));
    }
}
