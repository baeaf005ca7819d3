using System.CommandLine;
using System.Globalization;
using CsvHelper;
using OrderHub.Cli.Output;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Query;

/// <summary><c>export</c>: the stored orders a filter selects, into a CSV, NDJSON or Parquet file, streamed in constant memory.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext cli)
    {
        var filters = new StoredOrderOptions();
        var format = new Option<string>("--format") { Description = "csv or parquet (one row per order line, the order's columns repeated), or ndjson (one stored public JSON per order).", Required = true };
        format.AcceptOnlyFromAmong("csv", "ndjson", "parquet");
        var output = new Option<string>("--out") { Description = "The file to write; it is replaced only once the export is complete.", Required = true };
        var sort = new Option<string>("--sort") { Description = "created (the default: the earliest first), -created, updated or -updated.", DefaultValueFactory = _ => "created" };
        sort.AcceptOnlyFromAmong("updated", "-updated", "created", "-created");
        var command = new Command("export", "Write the orders stored by sync to a file: CSV, NDJSON or Parquet, any number in constant memory.") { format, output, sort };
        filters.AddTo(command);
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var query = new OrderQuery
            {
                Filter = filters.Filter(parse, TimeProvider.System.GetUtcNow()),
                Sort = OrdersCommand.ParseSort(parse.GetRequiredValue(sort)),
                PageSize = OrderQuery.MaxPageSize,
            };
            var path = Path.GetFullPath(parse.GetRequiredValue(output));
            if (!Directory.Exists(Path.GetDirectoryName(path)))
            {
                throw new ArgumentException($"--out '{parse.GetRequiredValue(output)}': its folder does not exist. Create it, or give another path.");
            }

            await using var host = await filters.HostAsync(cli, parse);
            var kind = ParseFormat(parse.GetRequiredValue(format));
            var result = await ExportAsync(StoredOrderOptions.Query(host), query, kind, path, cancel);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported {result.Orders} order(s){(kind is ExportFormat.Ndjson ? string.Empty : $" in {result.Rows} row(s)")} to {path}."));
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal enum ExportFormat
    {
        Csv,
        Ndjson,
        Parquet,
    }

    internal readonly record struct ExportResult(long Orders, long Rows);

    internal static ExportFormat ParseFormat(string text) => text switch
    {
        "csv" => ExportFormat.Csv,
        "ndjson" => ExportFormat.Ndjson,
        "parquet" => ExportFormat.Parquet,
        _ => throw new InvalidOrderRequestException($"--format '{text}' is not a format; expected csv, ndjson or parquet.") { ParameterName = "--format" },
    };

    /// <summary>
    /// Writes the export beside the file, then moves it into place: a stopped or failed export leaves the previous file
    /// (or none), never half of one.
    /// </summary>
    internal static async Task<ExportResult> ExportAsync(IOrderQuery store, OrderQuery query, ExportFormat format, string path, CancellationToken cancellationToken)
    {
        var partial = path + ".partial";
        try
        {
            ExportResult result;
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true))
            {
                result = await WriteAsync(store, query, format, file, cancellationToken);
            }

            File.Move(partial, path, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Streams every order the query selects into the output, one page of the store at a time.</summary>
    internal static async Task<ExportResult> WriteAsync(IOrderQuery store, OrderQuery query, ExportFormat format, Stream output, CancellationToken cancellationToken)
    {
        long orders = 0, rows = 0;
        switch (format)
        {
            case ExportFormat.Ndjson:
                await foreach (var item in store.QueryAllAsync(query, cancellationToken))
                {
                    await output.WriteAsync(item.PublicJson, cancellationToken);
                    output.WriteByte((byte)'\n');
                    orders++;
                    rows++;
                }

                break;
            case ExportFormat.Csv:
            {
                await using var csv = CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
                OrderLineRows.WriteHeader(csv);
                await foreach (var item in store.QueryAllAsync(query, cancellationToken))
                {
                    rows += OrderLineRows.WriteRows(csv, OrderLineRows.Read(item));
                    orders++;
                }

                await csv.FlushAsync(cancellationToken);
                break;
            }

            default:
            {
                await using var parquet = await OrderLineRows.ParquetRows.CreateAsync(output, cancellationToken);
                await foreach (var item in store.QueryAllAsync(query, cancellationToken))
                {
                    rows += await parquet.AddAsync(OrderLineRows.Read(item), cancellationToken);
                    orders++;
                }

                await parquet.CompleteAsync(cancellationToken);
                break;
            }
        }

        await output.FlushAsync(cancellationToken);
        return new ExportResult(orders, rows);
    }
}
