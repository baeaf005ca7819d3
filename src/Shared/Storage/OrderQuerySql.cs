using System.Data.Common;
using System.Globalization;
using System.Text;
using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>
/// The statements of <see cref="IOrderQuery"/>, the same in both stores but for their dialect: how a sort time is
/// keyed (an order without one sorts as the earliest, so the key is never null and the index orders it), how text is
/// compared (ordinally), how money is summed (exactly) and how a day is written.
/// </summary>
/// <remarks>
/// Every filter and sort reads an index: the sort keys (time key, source, order id) have one each, as do source,
/// account, status and the seller order id. The statements must use the key expressions exactly as the indexes name
/// them, or the planner cannot match them.
/// </remarks>
internal abstract class OrderQuerySql
{
    /// <summary>Gets the orders table.</summary>
    protected abstract string Table { get; }

    /// <summary>Gets the least time key, which an order without the time has.</summary>
    protected abstract string MinTimeKey { get; }

    /// <summary>The key a time column is sorted and compared by, as its index names it.</summary>
    protected abstract string TimeKey(string column);

    /// <summary>A text column compared ordinally, as the sort indexes name it.</summary>
    protected abstract string Ordinal(string column);

    /// <summary>The UTC day (<c>yyyy-MM-dd</c>) or month (<c>yyyy-MM</c>) of a time column, as text.</summary>
    protected abstract string Period(string column, bool month);

    /// <summary>The exact sum of a decimal column, as text.</summary>
    protected abstract string DecimalSum(string column);

    /// <summary>A time as the store compares it.</summary>
    protected abstract object TimeValue(DateTimeOffset value);

    /// <summary>Reads a time the store wrote.</summary>
    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Makes a page's statement (the page size and one more, to tell whether another page follows).</summary>
    public void BuildPage(DbCommand command, OrderQuery query, OrderQueryPosition? after)
    {
        var sortColumn = query.Sort.IsByCreation() ? "created_at" : "last_updated_at";
        var descending = query.Sort.IsDescending();
        var direction = descending ? "DESC" : "ASC";
        var sql = new StringBuilder(512);
        sql.Append(CultureInfo.InvariantCulture, $"SELECT source, order_id, public_size, document, stored_at, {sortColumn} FROM {Table} WHERE public_size IS NOT NULL");
        AppendFilter(sql, command, query.Filter);
        if (after is { } position)
        {
            // After the cursor's (time key, source, id) in the sort's direction, written with the time key alone first:
            // that bound is what lets the planner start the index walk at the cursor (a row value of an expression and
            // columns does not, in SQLite), and only the cursor's ties are then checked on source and id.
            var time = position.SortTime is { } t ? Add(command, "after_time", TimeValue(t)) : MinTimeKey;
            var key = TimeKey(sortColumn);
            var (past, beyond) = descending ? ("<=", "<") : (">=", ">");
            sql.Append(CultureInfo.InvariantCulture, $" AND {key} {past} {time} AND ({key} {beyond} {time} OR ({Ordinal("source")}, {Ordinal("order_id")}) {beyond} ({Add(command, "after_source", position.Source)}, {Add(command, "after_id", position.OrderId)}))");
        }

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {TimeKey(sortColumn)} {direction}, {Ordinal("source")} {direction}, {Ordinal("order_id")} {direction} LIMIT {Add(command, "page_limit", query.PageSize + 1)}");
        command.CommandText = sql.ToString();
    }

    /// <summary>Reads a page from its statement's rows, with the next page's cursor when more rows were found than the page holds.</summary>
    public async Task<OrderPage> ReadPageAsync(DbDataReader reader, OrderQuery query, CancellationToken cancellationToken)
    {
        var items = new List<StoredPublicOrder>(Math.Min(query.PageSize, 128));
        OrderQueryPosition? last = null;
        var more = false;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (items.Count == query.PageSize)
            {
                more = true;
                break;
            }

            var reference = new OrderReference(reader.GetString(0), reader.GetString(1));
            var publicJson = StoredDocument.ReadPublic(reader.GetFieldValue<byte[]>(3), reader.GetInt32(2));
            items.Add(new StoredPublicOrder(reference, publicJson, ReadTime(reader, 4)));
            last = new OrderQueryPosition(reader.IsDBNull(5) ? null : ReadTime(reader, 5), reference.Source, reference.OrderId);
        }

        return new OrderPage(items, more ? OrderQueryCursor.Create(query, last!.Value) : null);
    }

    /// <summary>Makes a summary's statement: a row per group and currency.</summary>
    public void BuildSummary(DbCommand command, OrderFilter filter, OrderGrouping groupBy)
    {
        var keys = new List<string>();
        string Key(OrderGrouping flag, string expression)
        {
            if (!groupBy.HasFlag(flag))
            {
                return "NULL";
            }

            keys.Add(expression);
            return expression;
        }

        var period = groupBy.HasFlag(OrderGrouping.CreatedMonth) ? Key(OrderGrouping.CreatedMonth, Period("created_at", month: true)) : Key(OrderGrouping.CreatedDay, Period("created_at", month: false));
        var source = Key(OrderGrouping.Source, "source");
        var account = Key(OrderGrouping.Account, "account_id");
        var status = Key(OrderGrouping.Status, "status");
        keys.Add("total_currency");
        var sql = new StringBuilder(512);
        sql.Append(CultureInfo.InvariantCulture, $"SELECT {source}, {account}, {status}, {period}, total_currency, COUNT(*), COUNT(total_amount), {DecimalSum("total_amount")} FROM {Table} WHERE public_size IS NOT NULL");
        AppendFilter(sql, command, filter);
        sql.Append(" GROUP BY ").AppendJoin(", ", keys);
        command.CommandText = sql.ToString();
    }

    /// <summary>Reads a summary from its statement's rows.</summary>
    public static async Task<IReadOnlyList<OrderGroupSummary>> ReadSummaryAsync(DbDataReader reader, OrderGrouping groupBy, CancellationToken cancellationToken)
    {
        var rows = new List<(OrderGroupSummary, long, Money?)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var group = new OrderGroupSummary
            {
                Source = reader.IsDBNull(0) ? null : reader.GetString(0),
                AccountId = reader.IsDBNull(1) ? null : reader.GetString(1),
                Status = reader.IsDBNull(2) ? null : Enum.TryParse<OrderStatus>(reader.GetString(2), out var s) ? s : OrderStatus.Unknown,
                CreatedOn = reader.IsDBNull(3) ? null : ParsePeriod(reader.GetString(3)),
            };
            var currency = reader.IsDBNull(4) ? null : reader.GetString(4);
            var count = Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture);
            var withTotal = Convert.ToInt64(reader.GetValue(6), CultureInfo.InvariantCulture);
            Money? total = withTotal > 0 ? new Money(decimal.Parse(reader.GetString(7), NumberStyles.Number, CultureInfo.InvariantCulture), currency) : null;
            rows.Add((group, count, total));
        }

        return groupBy.Combine(rows);
    }

    private static DateOnly ParsePeriod(string text) =>
        DateOnly.ParseExact(text.Length == 7 ? text + "-01" : text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private void AppendFilter(StringBuilder sql, DbCommand command, OrderFilter filter)
    {
        AppendIn(sql, command, "source", "source", filter.Sources);
        AppendIn(sql, command, "account_id", "account", filter.Accounts);
        AppendIn(sql, command, "status", "status", [.. filter.Statuses.Select(s => s.ToString())]);
        AppendWindow(sql, command, "created_at", filter.CreatedAfter, filter.CreatedBefore);
        AppendWindow(sql, command, "last_updated_at", filter.UpdatedAfter, filter.UpdatedBefore);
        if (filter.SellerOrderId is { } seller)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND seller_order_id = {Add(command, "seller_order_id", seller)}");
        }

        if (filter.Completeness is { } completeness)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND partial = {Add(command, "partial", completeness == OrderCompleteness.Partial)}");
        }
    }

    private static void AppendIn(StringBuilder sql, DbCommand command, string column, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var distinct = values.Distinct(StringComparer.Ordinal).ToArray();
        sql.Append(CultureInfo.InvariantCulture, $" AND {column} IN (");
        for (var i = 0; i < distinct.Length; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(Add(command, string.Create(CultureInfo.InvariantCulture, $"{name}_{i}"), distinct[i]));
        }

        sql.Append(')');
    }

    // On the key expression, so the sort key's index answers the window; an order without the time has the least key,
    // which a window that only ends must leave out too.
    private void AppendWindow(StringBuilder sql, DbCommand command, string column, DateTimeOffset? after, DateTimeOffset? before)
    {
        if (after is { } start)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {TimeKey(column)} >= {Add(command, column + "_after", TimeValue(start))}");
        }
        else if (before is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {TimeKey(column)} > {MinTimeKey}");
        }

        if (before is { } end)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {TimeKey(column)} < {Add(command, column + "_before", TimeValue(end))}");
        }
    }

    private static string Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
