using System.Globalization;
using CsvHelper;
using Parquet;
using Parquet.Schema;
using OrderHub.Sync;

namespace OrderHub.Cli.Output;

/// <summary>
/// The flat shape of stored orders for CSV and Parquet: one row per order line, the order's columns repeated on each,
/// and one row with empty line columns for an order without lines. One list of columns serves both formats, so they
/// never differ.
/// </summary>
internal static class OrderLineRows
{
    /// <summary>How many rows a Parquet row group holds: what an export keeps in memory at once.</summary>
    public const int RowGroupSize = 10_000;

    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<Column> Columns { get; } =
    [
        new TextColumn("source", (o, _) => o.Source),
        new TextColumn("orderId", (o, _) => o.OrderId),
        new TextColumn("sellerOrderId", (o, _) => o.SellerOrderId),
        new TextColumn("accountId", (o, _) => o.AccountId),
        new TextColumn("status", (o, _) => o.Status.Value.ToString()),
        new TextColumn("statusRaw", (o, _) => o.Status.Raw),
        new TextColumn("type", (o, _) => o.Type?.Raw),
        new TimeColumn("createdAt", (o, _) => o.CreatedAt),
        new TimeColumn("lastUpdatedAt", (o, _) => o.LastUpdatedAt),
        new TimeColumn("fulfilledAt", (o, _) => o.FulfilledAt),
        new DecimalColumn("totalAmount", (o, _) => o.Total?.Amount),
        new TextColumn("totalCurrency", (o, _) => o.Total?.CurrencyCode),
        new IntColumn("lineNumber", (o, l) => l is null ? null : IndexOf(o, l) + 1),
        new TextColumn("lineId", (_, l) => l?.LineId),
        new TextColumn("catalogItemId", (_, l) => l?.CatalogItemId),
        new TextColumn("sku", (_, l) => l?.Sku),
        new TextColumn("title", (_, l) => l?.Title),
        new IntColumn("quantity", (_, l) => l?.Quantity),
        new TextColumn("lineStatus", (_, l) => l?.Status?.Value.ToString()),
        new TextColumn("lineStatusRaw", (_, l) => l?.Status?.Raw),
        new DecimalColumn("linePriceAmount", (_, l) => l?.Price?.Amount),
        new TextColumn("linePriceCurrency", (_, l) => l?.Price?.CurrencyCode),
        new TextColumn("carrier", (_, l) => l?.Shipment?.Carrier?.Raw),
        new TextColumn("trackingNumber", (_, l) => l?.Shipment?.TrackingNumber),
    ];

    /// <summary>The rows of one order: one per line, or one with no line.</summary>
    public static IEnumerable<OrderLine?> RowsOf(Order order) => order.Lines.Count == 0 ? NoLine : order.Lines.Cast<OrderLine?>();

    private static readonly OrderLine?[] NoLine = [null];

    /// <summary>Reads a stored order's public JSON into the unified model, through the library's own reader.</summary>
    /// <remarks>
    /// <see cref="IOrderQuery.QueryAllAsync"/> streams the stored JSON only; <see cref="OrderPage.Orders"/> is the public
    /// way to read it back (without the provider details, which the JSON keeps and these columns do not use).
    /// </remarks>
    public static Order Read(StoredPublicOrder item) => new OrderPage([item], null).Orders[0];

    /// <summary>Writes the header record.</summary>
    public static void WriteHeader(CsvWriter csv)
    {
        foreach (var column in Columns)
        {
            csv.WriteField(column.Name);
        }

        csv.EndRecord();
    }

    /// <summary>Writes an order's rows; returns how many.</summary>
    public static int WriteRows(CsvWriter csv, Order order)
    {
        var rows = 0;
        foreach (var line in RowsOf(order))
        {
            foreach (var column in Columns)
            {
                csv.WriteField(column.Text(order, line));
            }

            csv.EndRecord();
            rows++;
        }

        return rows;
    }

    /// <summary>The Parquet schema of the rows.</summary>
    public static ParquetSchema Schema { get; } = new([.. Columns.Select(c => c.Field)]);

    private static int IndexOf(Order order, OrderLine line)
    {
        for (var i = 0; i < order.Lines.Count; i++)
        {
            if (ReferenceEquals(order.Lines[i], line))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Writes rows to a Parquet file a row group at a time, so memory holds one group whatever the export's size.</summary>
    public sealed class ParquetRows : IAsyncDisposable
    {
        private readonly ParquetWriter _writer;
        private readonly IReadOnlyList<Column.Buffer> _buffers = [.. Columns.Select(c => c.NewBuffer())];
        private int _count;

        private ParquetRows(ParquetWriter writer) => _writer = writer;

        public static async Task<ParquetRows> CreateAsync(Stream output, CancellationToken cancellationToken) =>
            new(await ParquetWriter.CreateAsync(Schema, output, cancellationToken: cancellationToken));

        /// <summary>Adds an order's rows; returns how many.</summary>
        public async Task<int> AddAsync(Order order, CancellationToken cancellationToken)
        {
            var rows = 0;
            foreach (var line in RowsOf(order))
            {
                foreach (var buffer in _buffers)
                {
                    buffer.Add(order, line);
                }

                rows++;
                if (++_count == RowGroupSize)
                {
                    await FlushAsync(cancellationToken);
                }
            }

            return rows;
        }

        /// <summary>Writes the rows still held, then the file's footer.</summary>
        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await FlushAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => _writer.DisposeAsync();

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_count == 0)
            {
                return;
            }

            using (var group = _writer.CreateRowGroup())
            {
                foreach (var buffer in _buffers)
                {
                    await buffer.WriteAsync(group, cancellationToken);
                }

                group.CompleteValidate();
            }

            _count = 0;
        }
    }

    /// <summary>A column: its name, its CSV text and its Parquet field.</summary>
    public abstract class Column(string name)
    {
        public string Name => name;

        public abstract DataField Field { get; }

        /// <summary>The CSV field: invariant text, ISO 8601 UTC times, empty for none.</summary>
        public abstract string? Text(Order order, OrderLine? line);

        public abstract Buffer NewBuffer();

        /// <summary>A row group's values of the column.</summary>
        public abstract class Buffer
        {
            public abstract void Add(Order order, OrderLine? line);

            /// <summary>Writes the values to the group, then forgets them.</summary>
            public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);
        }
    }

    private sealed class TextColumn(string name, Func<Order, OrderLine?, string?> value) : Column(name)
    {
        public override DataField Field { get; } = new DataField<string>(name, nullable: true);

        public override string? Text(Order order, OrderLine? line) => value(order, line);

        public override Buffer NewBuffer() => new TextBuffer(this);

        private sealed class TextBuffer(TextColumn column) : Buffer
        {
            private readonly List<string?> _values = new(RowGroupSize);

            public override void Add(Order order, OrderLine? line) => _values.Add(column.Text(order, line));

            public override async Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken)
            {
                await group.WriteAsync(column.Field, _values!);
                _values.Clear();
            }
        }
    }

    private abstract class ValueColumn<T>(string name, Func<Order, OrderLine?, T?> value) : Column(name)
        where T : struct
    {
        public T? Value(Order order, OrderLine? line) => value(order, line);

        public override Buffer NewBuffer() => new ValueBuffer(this);

        private sealed class ValueBuffer(ValueColumn<T> column) : Buffer
        {
            private readonly List<T?> _values = new(RowGroupSize);

            public override void Add(Order order, OrderLine? line) => _values.Add(column.Value(order, line));

            public override async Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken)
            {
                await group.WriteAsync<T>(column.Field, _values.ToArray(), cancellationToken: cancellationToken);
                _values.Clear();
            }
        }
    }

    private sealed class TimeColumn(string name, Func<Order, OrderLine?, DateTimeOffset?> value)
        : ValueColumn<DateTime>(name, (o, l) => value(o, l)?.UtcDateTime)
    {
        // A UTC instant in milliseconds, the type readers (Spark, DuckDB, pandas) take as a timestamp.
        public override DataField Field { get; } = new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true);

        public override string? Text(Order order, OrderLine? line) =>
            value(order, line)?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    private sealed class DecimalColumn(string name, Func<Order, OrderLine?, decimal?> value) : ValueColumn<decimal>(name, value)
    {
        public override DataField Field { get; } = new DataField<decimal?>(name);

        public override string? Text(Order order, OrderLine? line) => Value(order, line)?.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class IntColumn(string name, Func<Order, OrderLine?, int?> value) : ValueColumn<int>(name, value)
    {
        public override DataField Field { get; } = new DataField<int?>(name);

        public override string? Text(Order order, OrderLine? line) => Value(order, line)?.ToString(CultureInfo.InvariantCulture);
    }
}
