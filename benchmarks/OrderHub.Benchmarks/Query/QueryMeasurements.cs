using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrderHub.Benchmarks.Sync;
using OrderHub.Emulator.Hosting;
using OrderHub.Storage.PostgreSql;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Benchmarks.Query;

/// <summary>
/// The order query over many stored orders (a million by default), in SQLite and in PostgreSQL, through the stores'
/// public API and the <c>orderhub</c> program: writing them, first pages, a deep page, summaries, exports and the HTTP
/// API, and bytes on disk per order. Every figure of both stores is printed again side by side at the end.
/// </summary>
internal static class QueryMeasurements
{
    private const int BatchSize = 1000;
    private const int Repetitions = 200;
    private const int Warmup = 20;
    private const int ExportTarget = 100_000;

    // A measure that takes long (a summary over everything) stops repeating after this, with at least MinimumRepetitions.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private const int MinimumRepetitions = 5;
    private static readonly TimeSpan WarmupBudget = TimeSpan.FromSeconds(5);

    // A query page over a million orders can outlast wrk's own 2 s: it is counted, late, rather than dropped.
    private static readonly TimeSpan WrkTimeout = TimeSpan.FromSeconds(30);

    // The column averages read every stored JSON (gigabytes at a million): a sample of the uniformly drawn clones says as much.
    private const int SampledRows = 20_000;

    private static readonly List<(string Measure, string Store, string Value)> Results = [];

    public static async Task RunAsync(int count)
    {
        var run = Stopwatch.StartNew();
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 40, SpGetOrderRate = 1000, SpGetOrderBurst = 1000 });
        var orders = await SyntheticOrders.ReadTemplatesAsync(emulator, 40);
        Print($"{count} synthetic orders from {orders.TemplateCount} templates (40 Selling Partner 2026-01-01, the rest Outposts) over {SyntheticOrders.SellerUs}, {SyntheticOrders.SellerEu} and {SyntheticOrders.Outposts}, created {SyntheticOrders.Start:yyyy-MM-dd} to {SyntheticOrders.Start + SyntheticOrders.Span:yyyy-MM-dd}");
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-query-").FullName;
        var config = Path.Combine(folder, "sources.json");
        await File.WriteAllTextAsync(config, SourcesConfiguration(emulator));
        await using var postgres = await PostgreSqlServer.StartAsync();
        try
        {
            var path = Path.Combine(folder, "million.db");
            long stored;
            await using (var sqlite = await SqliteOrderStore.OpenAsync(path))
            {
                stored = await MeasureStoreAsync("SQLite", sqlite, sqlite, path, orders, count, folder, config);
            }

            await OnDiskSize.ReportSqliteAsync("SQLite", path, stored, SampledRows);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);

            var database = await postgres.CreateDatabaseAsync();
            var before = await OnDiskSize.PostgreSqlDatabaseSizeAsync(database);
            await using (var store = await PostgreSqlOrderStore.OpenAsync(database))
            {
                stored = await MeasureStoreAsync("PostgreSQL", store, store, database, orders, count, folder, config);
            }

            await OnDiskSize.ReportPostgreSqlAsync("PostgreSQL", database, before, stored, SampledRows);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        Print($"side by side ({run.Elapsed.TotalMinutes:0.0} min in all):");
        var stores = Results.Select(r => r.Store).Distinct().ToArray();
        var width = Results.Max(r => r.Measure.Length);
        Print($"  {"".PadRight(width)}  {string.Join("  ", stores.Select(s => s.PadRight(40)))}");
        foreach (var measure in Results.Select(r => r.Measure).Distinct())
        {
            Print($"  {measure.PadRight(width)}  {string.Join("  ", stores.Select(s => (Results.FirstOrDefault(r => r.Measure == measure && r.Store == s).Value ?? "-").PadRight(40)))}");
        }
    }

    private static async Task<long> MeasureStoreAsync(string name, ISyncCursorStore writer, IOrderQuery query, string database, SyntheticOrders orders, int count, string folder, string config)
    {
        await LoadAsync(name, writer, orders, count);

        // a. first pages, filtered
        var filtered = new OrderQuery { Filter = new OrderFilter { Sources = [SyntheticOrders.SellerUs], Statuses = [OrderStatus.InProgress] }, Sort = OrderSort.LastUpdatedDescending, PageSize = 100 };
        var firstFiltered = await query.QueryAsync(filtered);
        await TimeAsync(name, $"first page, {SyntheticOrders.SellerUs} + InProgress, -lastUpdated, limit 100 ({firstFiltered.Items.Count} orders)", () => query.QueryAsync(filtered));
        var windowStart = SyntheticOrders.Start + TimeSpan.FromDays(365);
        var window = new OrderQuery { Filter = new OrderFilter { CreatedAfter = windowStart, CreatedBefore = windowStart + TimeSpan.FromDays(30) }, Sort = OrderSort.CreatedDescending, PageSize = 100 };
        await TimeAsync(name, "first page, created in a 30-day window, -created, limit 100", () => query.QueryAsync(window));
        var windowUpdated = window with { Sort = OrderSort.LastUpdatedDescending };
        await TimeAsync(name, "first page, created in a 30-day window, -lastUpdated, limit 100", () => query.QueryAsync(windowUpdated));

        // b. a deep page: its cursor found once by walking, then the page read again and again
        var unfiltered = new OrderQuery { PageSize = 100 };
        var walk = Stopwatch.StartNew();
        var deep = unfiltered;
        for (var page = 1; page < 1000; page++)
        {
            deep = deep with { Cursor = (await query.QueryAsync(deep)).NextCursor ?? throw new InvalidOperationException($"Fewer than 1,000 pages of 100: page {page} is the last.") };
        }

        walk.Stop();
        Record(name, "walk to page 1,000 (999 pages of 100, unfiltered)", string.Create(CultureInfo.InvariantCulture, $"{walk.Elapsed.TotalSeconds:0.00} s = {walk.Elapsed.TotalMilliseconds / 999:0.00} ms/page"));
        await TimeAsync(name, "page 1,000 of 100, unfiltered, -lastUpdated (from its cursor)", () => query.QueryAsync(deep));

        // c. summaries over everything
        var groups = await query.SummarizeAsync(new OrderFilter(), OrderGrouping.Source | OrderGrouping.Status);
        await TimeAsync(name, $"summary of everything by source and status ({groups.Count} groups, {groups.Sum(g => g.Count)} orders)", () => query.SummarizeAsync(new OrderFilter(), OrderGrouping.Source | OrderGrouping.Status));
        var months = await query.SummarizeAsync(new OrderFilter(), OrderGrouping.CreatedMonth);
        await TimeAsync(name, $"summary of everything by month of creation ({months.Count} groups)", () => query.SummarizeAsync(new OrderFilter(), OrderGrouping.CreatedMonth));

        // d. exports through the program: the orders created since a time that leaves about ExportTarget of them
        var since = SyntheticOrders.Start + (SyntheticOrders.Span * (1 - ((double)ExportTarget / count)));
        since = new DateTimeOffset(since.Year, since.Month, since.Day, 0, 0, 0, TimeSpan.Zero);
        var selected = (await query.SummarizeAsync(new OrderFilter { CreatedAfter = since }))[0].Count;
        foreach (var format in new[] { "csv", "ndjson", "parquet" })
        {
            var output = Path.Combine(folder, $"export.{format}");
            var export = await CliProcesses.ExportAsync(database, format, output, ["--created-since", since.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)]);
            File.Delete(output);
            Record(name, $"export {format}, created since {since:yyyy-MM-dd} ({selected} orders selected)", string.Create(CultureInfo.InvariantCulture,
                $"{export.Orders} orders, {export.Rows} rows in {export.Elapsed.TotalSeconds:0.0} s = {export.Orders / export.Elapsed.TotalSeconds:0} orders/s, {export.Rows / export.Elapsed.TotalSeconds:0} rows/s; {OnDiskSize.Mib(export.FileBytes)}; peak RSS {export.PeakRssKib / 1024} MiB"));
        }

        // e. the HTTP API
        await ServeAsync(name, database, config, firstFiltered.Items[0].Reference.OrderId);
        return count;
    }

    /// <summary>Writes the orders in pages of <see cref="BatchSize"/> of one source each, two pages in flight (one being prepared while the other is written).</summary>
    private static async Task LoadAsync(string name, ISyncCursorStore store, SyntheticOrders orders, int count)
    {
        var pending = new Dictionary<string, List<Order>>();
        var inFlight = new List<Task>();
        var batches = 0;
        var clock = Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        async Task CommitAsync(string source, List<Order> page)
        {
            while (inFlight.Count >= 2)
            {
                var done = await Task.WhenAny(inFlight);
                await done;
                inFlight.Remove(done);
            }

            // A scope per page: two pages in flight never wait on one cursor row.
            var cursor = new SyncCursor { HighWaterMark = page.Max(o => o.LastUpdatedAt), UpdatedAt = TimeProvider.System.GetUtcNow() };
            inFlight.Add(store.CommitPageAsync(source, string.Create(CultureInfo.InvariantCulture, $"bench-load-{batches++}"), page, cursor));
        }

        for (var i = 0; i < count; i++)
        {
            var order = orders.Make(i, count);
            if (!pending.TryGetValue(order.Source, out var page))
            {
                pending[order.Source] = page = new List<Order>(BatchSize);
            }

            page.Add(order);
            if (page.Count == BatchSize)
            {
                pending.Remove(order.Source);
                await CommitAsync(order.Source, page);
            }

            if (clock.Elapsed - reported > TimeSpan.FromSeconds(60))
            {
                reported = clock.Elapsed;
                Print($"{name}: {i} orders written after {clock.Elapsed.TotalSeconds:0} s ({i / clock.Elapsed.TotalSeconds:0} orders/s)");
            }
        }

        foreach (var (source, page) in pending)
        {
            await CommitAsync(source, page);
        }

        await Task.WhenAll(inFlight);
        clock.Stop();
        Record(name, $"insert {count} orders (pages of {BatchSize}, CommitPageAsync, 2 in flight)", string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0.0} s = {count / clock.Elapsed.TotalSeconds:0} orders/s"));
    }

    private static async Task ServeAsync(string name, string database, string config, string orderId)
    {
        var port = LoopbackPorts.Free();
        var uncachedPort = LoopbackPorts.Free();
        // Stored orders are served however old they are: the lookup is a store hit, never an upstream read.
        using var serve = CliProcesses.StartServe(database, port, config, ["--max-age-seconds", "100000000"]);
        using var uncached = CliProcesses.StartServe(database, uncachedPort, config, ["--max-age-seconds", "100000000", "--store-cache-ms", "0"]);
        try
        {
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Add("X-Api-Key", CliProcesses.ApiKey);
            await CliProcesses.UntilServingAsync(http, new Uri($"http://127.0.0.1:{port}/healthz"), serve);
            await CliProcesses.UntilServingAsync(http, new Uri($"http://127.0.0.1:{uncachedPort}/healthz"), uncached);
            var header = $"X-Api-Key: {CliProcesses.ApiKey}";
            // The lookups first, the pages after: a page over a million orders can take seconds, and the requests wrk
            // leaves behind are still computed after it stops. Each run also waits until both servers are idle.
            var urls = new (string What, string Url)[]
            {
                ("GET /orders/{id} (store hit, kept 1 s in memory: the default)", $"http://127.0.0.1:{port}/orders/{orderId}"),
                ("GET /orders/{id} (store hit, --store-cache-ms 0)", $"http://127.0.0.1:{uncachedPort}/orders/{orderId}"),
                ("GET /orders?limit=100", $"http://127.0.0.1:{port}/orders?limit=100"),
                ($"GET /orders?limit=100&source={SyntheticOrders.SellerUs}&status=InProgress", $"http://127.0.0.1:{port}/orders?limit=100&source={SyntheticOrders.SellerUs}&status=InProgress"),
            };
            foreach (var (what, url) in urls)
            {
                // Each answer checked once, then the endpoint driven unmeasured while the server compiles its code.
                using var answer = await http.GetAsync(new Uri(url));
                var body = await answer.Content.ReadAsByteArrayAsync();
                if (!answer.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{what} answered {(int)answer.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
                }

                await UntilIdleAsync(serve, uncached);
                await Wrk.RunAsync(url, header, seconds: 3, timeout: WrkTimeout);
                await UntilIdleAsync(serve, uncached);
                var run = await Wrk.RunAsync(url, header, timeout: WrkTimeout);
                var failures = run.Timeouts + run.Errors + run.Non2xx == 0 ? string.Empty : $"; timeouts {run.Timeouts}, socket errors {run.Errors}, non-2xx {run.Non2xx}";
                Record(name, $"{what}, wrk {Wrk.Connections} connections {Wrk.Seconds} s", string.Create(CultureInfo.InvariantCulture, $"{run.Rate:0.0} req/s ({run.Requests} requests), p50 {run.P50}, p99 {run.P99}, {body.Length} bytes{failures}"));
            }
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            uncached.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
            await uncached.WaitForExitAsync();
        }
    }

    // Until neither process has used more than a twentieth of a core over half a second (or a minute has passed).
    private static async Task UntilIdleAsync(params Process[] servers)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            var before = servers.Select(CpuTime).ToArray();
            await Task.Delay(500);
            if (servers.Select((server, i) => CpuTime(server) - before[i]).All(used => used < TimeSpan.FromMilliseconds(25)))
            {
                return;
            }
        }

        static TimeSpan CpuTime(Process process)
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    private static async Task TimeAsync<T>(string name, string what, Func<Task<T>> operation)
    {
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < Warmup && (i == 0 || warming.Elapsed < WarmupBudget); i++)
        {
            await operation();
        }

        var times = new List<double>(Repetitions);
        var budget = Stopwatch.StartNew();
        while (times.Count < Repetitions && (times.Count < MinimumRepetitions || budget.Elapsed < Budget))
        {
            var clock = Stopwatch.StartNew();
            await operation();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var p50 = times[(times.Count - 1) / 2];
        var p99 = times[(int)Math.Ceiling(times.Count * 0.99) - 1];
        Record(name, what, string.Create(CultureInfo.InvariantCulture, $"p50 {p50:0.00} ms, p99 {p99:0.00} ms (n={times.Count})"));
    }

    private static void Record(string store, string measure, string value)
    {
        Results.Add((measure, store, value));
        Print($"{store}: {measure}: {value}");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    // The three sources of the synthetic orders, named as they are stored, pointed at the emulator (never called: every
    // lookup is a store hit).
    private static string SourcesConfiguration(EmulatorHost emulator)
    {
        var sellingPartner = new Dictionary<string, string>
        {
            ["Provider"] = "SellingPartner",
            ["Endpoint"] = emulator.BaseAddress.ToString(),
            ["LwaEndpoint"] = emulator.LwaEndpoint.ToString(),
            ["ClientId"] = emulator.SellingPartner.Options.ClientId,
            ["ClientSecret"] = emulator.SellingPartner.Options.ClientSecret,
            ["RefreshToken"] = emulator.SellingPartner.Options.RefreshTokens[0],
        };
        var outposts = new Dictionary<string, string>
        {
            ["Provider"] = "AwsOutposts",
            ["Region"] = emulator.Outposts.Options.AwsRegion,
            ["Endpoint"] = emulator.BaseAddress.ToString(),
            ["AccessKeyId"] = emulator.Outposts.Options.AwsAccessKeyId,
            ["SecretAccessKey"] = emulator.Outposts.Options.AwsSecretAccessKey,
        };
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["OrderHub"] = new Dictionary<string, object>
            {
                ["Sources"] = new Dictionary<string, object>
                {
                    [SyntheticOrders.SellerUs] = sellingPartner,
                    [SyntheticOrders.SellerEu] = sellingPartner,
                    [SyntheticOrders.Outposts] = outposts,
                },
            },
        });
    }
}
