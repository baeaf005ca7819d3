using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Commands;
using OrderHub.Cli.Commands.Query;
using OrderHub.Cli.Commands.Sync;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;
using OrderHub.Emulator.Hosting;
using OrderHub.Json;
using OrderHub.Sync;
using Parquet;
using Parquet.Schema;
using Shouldly;
using Spectre.Console;
using Xunit;
using static OrderHub.Cli.Commands.Query.ExportCommand;
using static OrderHub.Cli.Commands.Query.OrdersCommand;

namespace OrderHub.Cli.Tests;

/// <summary>A real SQLite file, filled once by a sync of both sources from the emulator, for the commands that read it.</summary>
public sealed class StoredCopyFixture : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("orderhub-stored-orders-").FullName;

    public string Database => Path.Combine(Folder, "copy.db");

    /// <summary>Every stored order, read from the store's lookup, by reference.</summary>
    public IReadOnlyList<Order> Orders { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpGetOrderRate = 100, SpGetOrderBurst = 100, SpOrderCount = 14, OutpostsOrderCount = 9 });
        var settings = DemoCommand.SettingsFor(emulator).Append(new("OrderHub:RateLimits:Store", "Process"));
        await using var host = CliHost.Build(null, settings, services => services.AddOrderStore(Database).AddOrderHubSync());
        var ids = Path.Combine(Folder, "ids.txt");
        await File.WriteAllLinesAsync(ids, emulator.SellingPartner.OrderIds.Concat(emulator.Outposts.OrderIds));
        using var file = await OrderIdsFile.OpenAsync(ids, CancellationToken.None);
        var run = new SyncRun(host.Services.GetRequiredService<OrderSync>(), host.Services.GetRequiredService<IOrderStore>(), TextWriter.Null, (sync, runId, cancellationToken) => sync.RunAsync(runId, cancellationToken: cancellationToken));
        var report = await new IdsSyncHandler(host.Lookup, run, TextWriter.Null).RunAsync(file, null, null, refresh: false, CancellationToken.None);
        report.Progress.Failed.ShouldBe(0);

        var expected = emulator.SellingPartner.OrderIds.Count + emulator.Outposts.OrderIds.Count;
        var query = host.Services.GetRequiredService<IOrderQuery>();
        var orders = new List<Order>();
        await foreach (var item in query.QueryAllAsync(new OrderQuery { PageSize = 1000 }))
        {
            orders.Add(OrderLineRows.Read(item));
        }

        Orders = orders;
        Orders.Count.ShouldBe(expected);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary><c>orders</c>, <c>orders summary</c> and <c>export</c> over the stored copy, in-process and as a process.</summary>
public sealed class StoredOrdersTests(StoredCopyFixture copy) : IClassFixture<StoredCopyFixture>, IAsyncLifetime
{
    private CliHost _host = null!;

    private IOrderQuery Query => _host.Services.GetRequiredService<IOrderQuery>();

    public Task InitializeAsync()
    {
        _host = CliHost.Build(null, [new("OrderHub:RateLimits:Store", "Process")], services => services.AddOrderStore(copy.Database));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(string Text, string? Next)> ListAsync(OrderQuery query, int? limit, ListFormat format, IAnsiConsole? console = null)
    {
        using var output = new MemoryStream();
        var next = await OrdersCommand.WriteAsync(Query, query, limit, format, output, console ?? new TextConsole().Console, CancellationToken.None);
        return (Encoding.UTF8.GetString(output.ToArray()), next);
    }

    private static List<(string Source, string OrderId)> References(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("orders").EnumerateArray().Select(o => (o.GetProperty("source").GetString()!, o.GetProperty("orderId").GetString()!))];

    [Fact]
    public async Task Orders_Json_FiltersCombine_SourceAndStatus()
    {
        var status = copy.Orders.Where(o => o.Source == "sp-api").GroupBy(o => o.Status.Value).OrderByDescending(g => g.Count()).First().Key;
        var expected = copy.Orders.Where(o => o.Source == "sp-api" && o.Status.Value == status).Select(o => o.OrderId).Order().ToArray();

        var (json, next) = await ListAsync(new OrderQuery { Filter = new OrderFilter { Sources = ["sp-api"], Statuses = [status] } }, null, ListFormat.Json);

        References(json).Select(r => r.OrderId).Order().ShouldBe(expected);
        References(json).ShouldAllBe(r => r.Source == "sp-api");
        next.ShouldBeNull();
        JsonDocument.Parse(json).RootElement.GetProperty("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Orders_Limit_WritesThatMany_AndItsCursorContinuesWhereAllGoesOn()
    {
        var query = new OrderQuery { Sort = OrderSort.CreatedAscending };

        var (all, _) = await ListAsync(query, null, ListFormat.Json);
        var (first, next) = await ListAsync(query, 5, ListFormat.Json);
        var (rest, end) = await ListAsync(query with { Cursor = next }, null, ListFormat.Json);

        References(all).Count.ShouldBe(copy.Orders.Count);
        References(all).Distinct().Count().ShouldBe(copy.Orders.Count, "no order is repeated");
        References(first).ShouldBe(References(all).Take(5));
        next.ShouldNotBeNull();
        JsonDocument.Parse(first).RootElement.GetProperty("nextCursor").GetString().ShouldBe(next);
        References(first).Concat(References(rest)).ShouldBe(References(all));
        end.ShouldBeNull();
    }

    [Fact]
    public async Task Orders_Limit_AboveAPage_IsReadOverSeveralPages()
    {
        // 1,000 is the largest page: a limit the copy cannot fill reads it all and says nothing follows.
        var (json, next) = await ListAsync(new OrderQuery(), 1500, ListFormat.Json);

        References(json).Count.ShouldBe(copy.Orders.Count);
        next.ShouldBeNull();
    }

    [Fact]
    public async Task Orders_Ndjson_EachLineIsTheStoredPublicJson()
    {
        var store = _host.Services.GetRequiredService<IOrderStore>();

        var (text, _) = await ListAsync(new OrderQuery(), null, ListFormat.Ndjson);

        var lines = text.Split('\n');
        lines[^1].ShouldBeEmpty("every document ends with a line feed");
        lines = lines[..^1];
        lines.Length.ShouldBe(copy.Orders.Count);
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            var stored = await store.GetPublicAsync(document.RootElement.GetProperty("source").GetString()!, document.RootElement.GetProperty("orderId").GetString()!);
            line.ShouldBe(Encoding.UTF8.GetString(stored!.PublicJson));
        }
    }

    [Fact]
    public async Task Orders_Table_ShowsOneRowPerOrder()
    {
        var console = new TextConsole();

        var (_, next) = await ListAsync(new OrderQuery { Filter = new OrderFilter { Sources = ["outposts"] } }, 3, ListFormat.Table, console.Console);

        var shown = copy.Orders.Where(o => o.Source == "outposts").Count(o => console.Text.Contains(o.OrderId, StringComparison.Ordinal));
        shown.ShouldBe(3);
        next.ShouldNotBeNull();
    }

    [Fact]
    public async Task Export_Csv_HasOneRowPerLine_WithTheOrdersColumnsRepeated()
    {
        var path = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.csv");

        var result = await ExportAsync(Query, new OrderQuery { PageSize = 7 }, ExportFormat.Csv, path, CancellationToken.None);

        var rows = ReadCsv(await File.ReadAllBytesAsync(path));
        rows[0].ShouldBe(OrderLineRows.Columns.Select(c => c.Name));
        var records = rows.Skip(1).Select(r => OrderLineRows.Columns.Select((c, i) => (c.Name, r[i])).ToDictionary()).ToList();
        records.Count.ShouldBe(copy.Orders.Sum(o => Math.Max(1, o.Lines.Count)));
        result.ShouldBe(new ExportResult(copy.Orders.Count, records.Count));
        File.Exists(path + ".partial").ShouldBeFalse();
        foreach (var order in copy.Orders)
        {
            var mine = records.Where(r => r["source"] == order.Source && r["orderId"] == order.OrderId).ToList();
            mine.Count.ShouldBe(Math.Max(1, order.Lines.Count));
            mine.ShouldAllBe(r => r["status"] == order.Status.Value.ToString() && r["accountId"] == (order.AccountId ?? string.Empty));
            mine.Select(r => r["lineId"]).ShouldBe(order.Lines.Select(l => l.LineId ?? string.Empty), ignoreOrder: true);
            mine.Select(r => r["sku"]).ShouldBe(order.Lines.Select(l => l.Sku ?? string.Empty), ignoreOrder: true);
        }
    }

    [Fact]
    public async Task Export_Ndjson_WritesEachStoredDocumentOnce()
    {
        var path = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.ndjson");
        var (listed, _) = await ListAsync(new OrderQuery { Sort = OrderSort.CreatedAscending }, null, ListFormat.Ndjson);

        var result = await ExportAsync(Query, new OrderQuery { Sort = OrderSort.CreatedAscending, PageSize = 4 }, ExportFormat.Ndjson, path, CancellationToken.None);

        (await File.ReadAllTextAsync(path)).ShouldBe(listed, "the export streams the same documents as the listing");
        result.Orders.ShouldBe(copy.Orders.Count);
    }

    [Fact]
    public async Task Export_Parquet_ReadsBackWithTheSameRowsAndTypes()
    {
        var path = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.parquet");

        var result = await ExportAsync(Query, new OrderQuery { Sort = OrderSort.CreatedAscending }, ExportFormat.Parquet, path, CancellationToken.None);

        var columns = await ReadParquetAsync(path);
        var expected = copy.Orders.OrderBy(o => o.CreatedAt).ThenBy(o => o.Source, StringComparer.Ordinal).ThenBy(o => o.OrderId, StringComparer.Ordinal)
            .SelectMany(o => OrderLineRows.RowsOf(o).Select(l => (Order: o, Line: l))).ToList();
        result.Rows.ShouldBe(expected.Count);
        ((string?[])columns["orderId"]).ShouldBe(expected.Select(e => e.Order.OrderId));
        ((string?[])columns["lineId"]).ShouldBe(expected.Select(e => e.Line?.LineId));
        ((int?[])columns["quantity"]).ShouldBe(expected.Select(e => e.Line?.Quantity));
        ((decimal?[])columns["totalAmount"]).ShouldBe(expected.Select(e => e.Order.Total?.Amount));
        ((DateTime?[])columns["createdAt"]).ShouldBe(expected.Select(e => e.Order.CreatedAt?.UtcDateTime));
    }

    [Fact]
    public async Task Export_AnOrderWithoutLines_IsOneRowWithEmptyLineColumns_InCsvAndParquet()
    {
        var order = new Order
        {
            Source = "outposts",
            OrderId = "oo-0123456789abcdef0",
            AccountId = "op-0abc",
            Status = new(OrderStatus.Pending, "RECEIVED"),
            CreatedAt = new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero),
            Total = new Money(12.5m, "EUR"),
        };
        var store = new OnePageQuery(new StoredPublicOrder(new OrderReference(order.Source, order.OrderId), OrderJson.SerializeToUtf8Bytes(order), DateTimeOffset.UnixEpoch));
        using var csv = new MemoryStream();
        var parquetPath = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.parquet");

        (await WriteAsync(store, new OrderQuery(), ExportFormat.Csv, csv, CancellationToken.None)).ShouldBe(new ExportResult(1, 1));
        await ExportAsync(store, new OrderQuery(), ExportFormat.Parquet, parquetPath, CancellationToken.None);

        var rows = ReadCsv(csv.ToArray());
        rows.Count.ShouldBe(2);
        var record = OrderLineRows.Columns.Select((c, i) => (c.Name, rows[1][i])).ToDictionary();
        record["orderId"].ShouldBe(order.OrderId);
        record["createdAt"].ShouldBe("2026-11-02T03:04:05Z");
        record["totalAmount"].ShouldBe("12.5");
        record["totalCurrency"].ShouldBe("EUR");
        record["lineNumber"].ShouldBeEmpty();
        record["lineId"].ShouldBeEmpty();
        record["quantity"].ShouldBeEmpty();
        var columns = await ReadParquetAsync(parquetPath);
        ((string?[])columns["orderId"]).ShouldBe([order.OrderId]);
        ((string?[])columns["lineId"]).ShouldBe([null]);
        ((int?[])columns["quantity"]).ShouldBe([null]);
    }

    [Fact]
    public async Task Export_AFieldWithCommasQuotesAndLineBreaks_ReadsBackUnchanged()
    {
        var title = "Rack, 42U \"deep\"\r\nwith rails";
        var order = new Order
        {
            Source = "sp-api",
            OrderId = "111-2222222-3333333",
            Status = new(OrderStatus.Shipped, "SHIPPED"),
            Lines = [new OrderLine { LineId = "1", Title = title, Quantity = 2 }],
        };
        var store = new OnePageQuery(new StoredPublicOrder(new OrderReference(order.Source, order.OrderId), OrderJson.SerializeToUtf8Bytes(order), DateTimeOffset.UnixEpoch));
        using var csv = new MemoryStream();

        await WriteAsync(store, new OrderQuery(), ExportFormat.Csv, csv, CancellationToken.None);

        var rows = ReadCsv(csv.ToArray());
        rows.Count.ShouldBe(2);
        rows[1][OrderLineRows.Columns.Select(c => c.Name).ToList().IndexOf("title")].ShouldBe(title);
    }

    [Fact]
    public async Task Summary_Json_TotalsEachCurrencyApart_PerSource()
    {
        using var output = new StringWriter();

        await WriteSummaryAsync(Query, new OrderFilter(), ParseGrouping(["source"]), json: true, output, new TextConsole().Console, CancellationToken.None);

        var groups = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("groups").EnumerateArray().ToList();
        groups.Select(g => g.GetProperty("source").GetString()).ShouldBe(["outposts", "sp-api"]);
        foreach (var group in groups)
        {
            var source = group.GetProperty("source").GetString();
            var mine = copy.Orders.Where(o => o.Source == source).ToList();
            group.GetProperty("count").GetInt64().ShouldBe(mine.Count);
            group.TryGetProperty("status", out _).ShouldBeFalse("a summary not grouped by status names none");
            var totals = group.GetProperty("totals").EnumerateArray()
                .ToDictionary(t => t.GetProperty("currencyCode").GetString()!, t => decimal.Parse(t.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture));
            var expected = mine.Where(o => o.Total is not null).GroupBy(o => o.Total!.Value.CurrencyCode!).ToDictionary(g => g.Key, g => g.Sum(o => o.Total!.Value.Amount));
            totals.ShouldBe(expected, ignoreOrder: true);
        }

        groups.Single(g => g.GetProperty("source").GetString() == "sp-api").GetProperty("totals").GetArrayLength().ShouldBeGreaterThan(1, "the emulated sellers sell in several currencies");
    }

    [Fact]
    public async Task Summary_Table_HasAColumnPerGrouping()
    {
        var console = new TextConsole();

        await WriteSummaryAsync(Query, new OrderFilter(), ParseGrouping(["status,source"]), json: false, TextWriter.Null, console.Console, CancellationToken.None);

        var lines = console.Text.Split('\n');
        var header = lines.First(l => l.Contains("Orders", StringComparison.Ordinal));
        header.ShouldContain("Source");
        header.ShouldContain("Status");
        header.ShouldNotContain("Account");
        var pending = copy.Orders.Count(o => o.Source == "outposts" && o.Status.Value == OrderStatus.Pending);
        if (pending > 0)
        {
            lines.ShouldContain(l => l.Contains("outposts", StringComparison.Ordinal) && l.Contains(" Pending ", StringComparison.Ordinal) && l.Contains($" {pending} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("--limit 0", "--limit must be at least 1")]
    [InlineData("--limit 3 --all", "either --limit <n> or --all")]
    [InlineData("--json --csv", "one of --json, --ndjson or --csv")]
    [InlineData("--sort newest", "newest")]
    public void Orders_BadOptions_AreUsageErrors(string args, string message)
    {
        var parse = OrdersCommand.Create(new CliContext()).Parse(args.Split(' '));

        parse.Errors.ShouldContain(e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("orders --status Shippd", 2)]
    [InlineData("orders --status 4", 2)]
    [InlineData("orders --status pending,", 2)]
    [InlineData("orders --updated-since 7x", 2)]
    [InlineData("orders --created-since -3d", 2)]
    [InlineData("orders --cursor not-a-cursor", 2)]
    [InlineData("orders summary --completeness half", 2)]
    [InlineData("orders summary --by day,month", 2)]
    [InlineData("orders summary --by weekday", 2)]
    [InlineData("export --format csv --out {missing}/x.csv", 2)]
    public async Task BadValues_AreRefusedWithTheUsageCode_BeforeTheDatabaseIsOpened(string args, int exitCode)
    {
        // The database named does not exist: a value refused first proves it was checked before the database was.
        var db = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.db");

        var code = await InvokeAsync($"{args} --db {db}".Replace("{missing}", Path.Combine(copy.Folder, "no-such-folder"), StringComparison.Ordinal));

        code.ShouldBe(exitCode);
        File.Exists(db).ShouldBeFalse();
    }

    [Theory]
    [InlineData("orders")]
    [InlineData("orders summary --by status")]
    [InlineData("export --format ndjson --out {folder}/x.ndjson")]
    public async Task ADatabaseThatDoesNotExist_IsAStoreError_AndIsNotCreated(string args)
    {
        var db = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.db");

        var code = await InvokeAsync($"{args} --db {db}".Replace("{folder}", copy.Folder, StringComparison.Ordinal));

        code.ShouldBe(ExitCodes.Store);
        File.Exists(db).ShouldBeFalse();
        Directory.GetFiles(copy.Folder, Path.GetFileName(db) + "*").ShouldBeEmpty();
    }

    [Fact]
    public async Task Process_OrdersJson_AndExportCsv_ReadTheCopy()
    {
        var csvPath = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.csv");

        var listed = await CliProcess.RunAsync(null, "orders", "--db", copy.Database, "--source", "outposts", "--sort", "created", "--all", "--json");
        var exported = await CliProcess.RunAsync(null, "export", "--db", copy.Database, "--format", "csv", "--out", csvPath, "--source", "sp-api");

        listed.ExitCode.ShouldBe(0, listed.Error);
        var references = References(listed.Out);
        references.Select(r => r.OrderId).ShouldBe(copy.Orders.Where(o => o.Source == "outposts").OrderBy(o => o.CreatedAt).ThenBy(o => o.OrderId, StringComparer.Ordinal).Select(o => o.OrderId));
        exported.ExitCode.ShouldBe(0, exported.Error);
        var spOrders = copy.Orders.Where(o => o.Source == "sp-api").ToList();
        exported.Error.ShouldContain($"exported {spOrders.Count} order(s) in {spOrders.Sum(o => Math.Max(1, o.Lines.Count))} row(s)");
        var rows = ReadCsv(await File.ReadAllBytesAsync(csvPath));
        rows.Count.ShouldBe(1 + spOrders.Sum(o => Math.Max(1, o.Lines.Count)));
        rows.Skip(1).ShouldAllBe(r => r[0] == "sp-api");
    }

    [Fact]
    public async Task Process_Completeness_SelectsThePartialCopies_OrTheFullOnes()
    {
        // A database of its own: the query contract's sample orders, some of them partial.
        var db = Path.Combine(copy.Folder, $"{Guid.NewGuid():N}.db");
        await using (var host = CliHost.Build(null, [new("OrderHub:RateLimits:Store", "Process")], services => services.AddOrderStore(db)))
        {
            foreach (var order in OrderHub.Testing.OrderQueryContractTests.SampleOrders)
            {
                await host.Services.GetRequiredService<IOrderStore>().UpsertAsync(order);
            }
        }

        var partial = await CliProcess.RunAsync(null, "orders", "--db", db, "--completeness", "partial", "--all", "--json");
        var full = await CliProcess.RunAsync(null, "export", "--db", db, "--format", "ndjson", "--out", db + ".ndjson", "--source", "sp-api", "--completeness", "FULL");
        var refused = await CliProcess.RunAsync(null, "orders", "--db", db, "--completeness", "some");

        partial.ExitCode.ShouldBe(0, partial.Error);
        var expectedPartial = OrderHub.Testing.OrderQueryContractTests.SampleOrders.Where(o => o.Completeness == OrderCompleteness.Partial).Select(o => (o.Source, o.OrderId)).ToArray();
        expectedPartial.ShouldNotBeEmpty();
        References(partial.Out).ShouldBe(expectedPartial, ignoreOrder: true);
        full.ExitCode.ShouldBe(0, full.Error);
        var exported = (await File.ReadAllLinesAsync(db + ".ndjson")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("orderId").GetString()).ToArray();
        exported.ShouldBe(OrderHub.Testing.OrderQueryContractTests.SampleOrders.Where(o => o.Source == "sp-api" && o.Completeness == OrderCompleteness.Full).Select(o => o.OrderId), ignoreOrder: true);
        refused.ExitCode.ShouldBe(2);
        refused.Error.ShouldContain("--completeness 'some' is not accepted; expected full or partial.");
    }

    private static async Task<int> InvokeAsync(string args)
    {
        var cli = new CliContext();
        var root = new System.CommandLine.RootCommand { cli.ConfigOption, cli.VerboseOption, OrdersCommand.Create(cli), ExportCommand.Create(cli) };
        var parse = root.Parse(args.Split(' '));
        parse.Errors.ShouldBeEmpty();
        return await parse.InvokeAsync();
    }

    private static List<string[]> ReadCsv(byte[] bytes)
    {
        using var reader = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Current.ToArray());
        }

        return rows;
    }

    private static async Task<Dictionary<string, Array>> ReadParquetAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var columns = fields.ToDictionary(f => f.Name, f => new List<object?>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            foreach (var field in fields)
            {
                switch (Kind(field))
                {
                    case "int":
                        var ints = new int?[count];
                        await group.ReadAsync<int>(field, ints.AsMemory());
                        columns[field.Name].AddRange(ints.Cast<object?>());
                        break;
                    case "decimal":
                        var decimals = new decimal?[count];
                        await group.ReadAsync<decimal>(field, decimals.AsMemory());
                        columns[field.Name].AddRange(decimals.Cast<object?>());
                        break;
                    case "time":
                        var times = new DateTime?[count];
                        await group.ReadAsync<DateTime>(field, times.AsMemory());
                        columns[field.Name].AddRange(times.Cast<object?>());
                        break;
                    default:
                        var text = new string?[count];
                        await group.ReadAsync(field, text.AsMemory()!);
                        columns[field.Name].AddRange(text);
                        break;
                }
            }
        }

        return fields.ToDictionary(f => f.Name, f => Kind(f) switch
        {
            "int" => (Array)columns[f.Name].Cast<int?>().ToArray(),
            "decimal" => columns[f.Name].Cast<decimal?>().ToArray(),
            "time" => columns[f.Name].Cast<DateTime?>().ToArray(),
            _ => columns[f.Name].Cast<string?>().ToArray(),
        });

        static string Kind(DataField field) =>
            field is DateTimeDataField ? "time" : field.ClrType == typeof(int) ? "int" : field.ClrType == typeof(decimal) ? "decimal" : "text";
    }

    /// <summary>A console writing plain text, wide enough that no id is split.</summary>
    private sealed class TextConsole
    {
        private readonly StringWriter _text = new();

        public TextConsole()
        {
            Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
            Console.Profile.Width = 240;
        }

        public IAnsiConsole Console { get; }

        public string Text => _text.ToString();
    }

    /// <summary>A store of one page, for orders the emulator does not make (no lines; text to quote).</summary>
    private sealed class OnePageQuery(params StoredPublicOrder[] items) : IOrderQuery
    {
        public Task<OrderPage> QueryAsync(OrderQuery query, CancellationToken cancellationToken = default) => Task.FromResult(new OrderPage(items, null));

        public Task<IReadOnlyList<OrderGroupSummary>> SummarizeAsync(OrderFilter filter, OrderGrouping groupBy = OrderGrouping.None, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
