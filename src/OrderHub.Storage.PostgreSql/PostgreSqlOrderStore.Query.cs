using System.Data.Common;
using System.Text;
using Npgsql;
using OrderHub.Sync;

namespace OrderHub.Storage.PostgreSql;

/// <summary>The query over every stored order (<see cref="IOrderQuery"/>), each page one statement.</summary>
public sealed partial class PostgreSqlOrderStore : IOrderQuery
{
    private static readonly Dialect QuerySql = new();

    /// <inheritdoc />
    public Task<OrderPage> QueryAsync(OrderQuery query, CancellationToken cancellationToken = default)
    {
        var after = OrderQueryCursor.Read(query);
        return GuardAsync(
            async () =>
            {
                using var command = _dataSource.CreateCommand();
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
                using var command = _dataSource.CreateCommand();
                QuerySql.BuildSummary(command, filter, groupBy);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await OrderQuerySql.ReadSummaryAsync(reader, groupBy, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <summary>The plan PostgreSQL takes for a query's page (<c>EXPLAIN</c>), one line per node; optionally with sequential scans priced out, as on a table large enough for the planner to prefer an index.</summary>
    internal Task<IReadOnlyList<string>> ExplainAsync(OrderQuery query, bool withoutSequentialScans, CancellationToken cancellationToken = default)
    {
        var after = OrderQueryCursor.Read(query);
        return GuardAsync<IReadOnlyList<string>>(
            async () =>
            {
                using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                if (withoutSequentialScans)
                {
                    using var set = new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction);
                    await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
                QuerySql.BuildPage(command, query, after);
                command.CommandText = "EXPLAIN " + command.CommandText;
                var plan = new List<string>();
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        plan.Add(reader.GetString(0));
                    }
                }

                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return plan;
            },
            cancellationToken);
    }

    private sealed class Dialect : OrderQuerySql
    {
        private const string MinTime = "'-infinity'::timestamptz";

        protected override string Table => "orderhub_orders";

        protected override string MinTimeKey => MinTime;

        protected override string TimeKey(string column) => $"COALESCE({column}, {MinTime})";

        // Bytewise, as SQLite compares, whatever the database's collation.
        protected override string Ordinal(string column) => $"{column} COLLATE \"C\"";

        protected override string Period(string column, bool month) => $"to_char({column} AT TIME ZONE 'UTC', '{(month ? "YYYY-MM" : "YYYY-MM-DD")}')";

        protected override string DecimalSum(string column) => $"SUM({column})::text";

        protected override object TimeValue(DateTimeOffset value) => value.UtcDateTime;

        protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);
    }
}
