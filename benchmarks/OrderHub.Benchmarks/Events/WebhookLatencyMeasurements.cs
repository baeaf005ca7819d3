using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Benchmarks.Query;
using OrderHub.Emulator.Hosting;
using OrderHub.Events;
using OrderHub.Storage.PostgreSql;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Benchmarks.Events;

/// <summary>
/// From a committed change to the webhook receiver, for SQLite (a temporary file) and PostgreSQL (a throwaway
/// cluster): a paced writer stores orders through the sync's commit path and stamps each commit; the deliverer
/// (<c>AddOrderHubWebhooks</c> in a host, one subscription) posts each change to a loopback receiver that stamps its
/// arrival; beside it, in the same run, a bare reader of the same change log stamps when it sees each entry. All of it
/// runs in this process except PostgreSQL's server.
/// </summary>
/// <remarks>
/// Per store: a warm-up (3 s at 20 changes/s, not counted), the latency run (20/s for 30 s), the throughput run
/// (1,000/s offered for 30 s, then up to 60 s for the backlog), and on a fresh store the parts alone: the writer
/// (1,000/s for 10 s, nothing following), then the deliverer on that pre-filled log, then the bare reader on it, then
/// the writer unpaced for 5 s (its ceiling with the sync's batches).
/// </remarks>
internal static class WebhookLatencyMeasurements
{
    private const double LatencyRate = 20;
    private const double ThroughputRate = 1000;

    /// <summary>A pace no store reaches: every commit takes what is pending, up to the sync's batch.</summary>
    private const double Unpaced = 1e9;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Measured = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Alone = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(60);

    public static async Task RunAsync()
    {
        Print($"webhook-latency: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var warmUp = (int)(WarmUp.TotalSeconds * LatencyRate);
        var latency = (int)(Measured.TotalSeconds * LatencyRate);
        var throughput = (int)(Measured.TotalSeconds * ThroughputRate);
        var orders = await SynthesizeAsync(warmUp + latency + throughput);
        var plan = new Plan(orders[..warmUp], orders[warmUp..(warmUp + latency)], orders[(warmUp + latency)..], orders[(warmUp + latency)..][..(int)(Alone.TotalSeconds * ThroughputRate)]);

        // A secret of this run only; never printed.
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-webhooks-").FullName;
        var figures = new List<StoreFigures>();
        try
        {
            var file = 0;
            figures.Add(await MeasureAsync("SQLite", () => SqliteOrderStore.OpenAsync(Path.Combine(folder, $"orders-{file++}.db")), plan, secret));
            await using var postgres = await PostgreSqlServer.StartAsync();
            figures.Add(await MeasureAsync("PostgreSQL", async () => await PostgreSqlOrderStore.OpenAsync(await postgres.CreateDatabaseAsync()), plan, secret));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        PrintTable(figures);
    }

    private sealed record Plan(Order[] WarmUp, Order[] Latency, Order[] Throughput, Order[] Alone);

    private static async Task<Order[]> SynthesizeAsync(int count)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 40, SpGetOrderRate = 1000, SpGetOrderBurst = 1000 });
        var synthetic = await SyntheticOrders.ReadTemplatesAsync(emulator, 40);
        Print($"{count} synthetic orders from {synthetic.TemplateCount} templates (Selling Partner 2026-01-01 and Outposts), each a new order: every change is a created one");
        return [.. Enumerable.Range(0, count).Select(i => synthetic.Make(i, count))];
    }

    private static async Task<StoreFigures> MeasureAsync<TStore>(string name, Func<Task<TStore>> open, Plan plan, string secret)
        where TStore : IOrderStore, IOrderChangeLog, IAsyncDisposable
    {
        StoreFigures figures;
        await using (var store = await open())
        {
            await using var receiver = await ArrivalReceiver.StartAsync(secret);
            var logs = new CapturingLoggerProvider();
            var host = await StartDelivererAsync(store, receiver.Url, secret, logs);
            await using var reader = BareReader.Start(store);
            var logged = 0;

            var warm = await PacedWriter.WriteAsync(store, "warm-up", plan.WarmUp, LatencyRate, WarmUp + WarmUp);
            logged += warm.Count;
            await CaughtUpAsync(receiver, reader, logged, name, "warm-up");

            var latency = await PacedWriter.WriteAsync(store, "latency", plan.Latency, LatencyRate, Measured + WarmUp);
            logged += latency.Count;
            await CaughtUpAsync(receiver, reader, logged, name, "latency run");
            Print($"{name}: latency run, {latency.Count} changes at {latency.Rate:0.0}/s in {latency.Commits} commits");

            var cpuFrom = CpuUse.Take();
            var throughput = await PacedWriter.WriteAsync(store, "throughput", plan.Throughput, ThroughputRate, Measured);
            var throughputCpu = CpuUse.Between(cpuFrom, CpuUse.Take());
            logged += throughput.Count;
            Print($"{name}: throughput run, {throughput.Count} of {plan.Throughput.Length} changes stored at {throughput.Rate:0}/s in {throughput.Commits} commits ({throughput.OrdersPerCommit:0.00} a commit, {throughput.CommitMilliseconds:0.0} ms each, the writer in the store {throughput.Busy:P0} of the time); {throughputCpu}; waiting for the backlog");
            await CaughtUpAsync(receiver, reader, logged, name, "throughput run");

            await host.StopAsync();
            host.Dispose();
            var delivered = await DeliveredByOrderAsync(store, receiver);
            var webhookThroughput = FollowerThroughput.Of(throughput, delivered);
            var readerThroughput = FollowerThroughput.Of(throughput, reader.SeenAt);
            figures = new StoreFigures(name)
            {
                Latency = latency,
                LatencyWebhook = Lags.Of(Lags.Each(latency.CommittedAt, delivered)),
                LatencyReader = Lags.Of(Lags.Each(latency.CommittedAt, reader.SeenAt)),
                LatencyAdded = Lags.Of(Lags.Each(Only(reader.SeenAt, latency.CommittedAt), delivered)),
                Throughput = throughput,
                ThroughputWebhook = webhookThroughput,
                ThroughputReader = readerThroughput,
                ThroughputCpu = throughputCpu,
                Requests = receiver.Requests,
                Distinct = receiver.Count,
                Unverified = receiver.Unverified,
                FailedAttempts = logs.Lines.Count,
                MeanBodyBytes = receiver.MeanBodyBytes,
                NotLogged = warm.NotLogged + latency.NotLogged + throughput.NotLogged,
            };
            Print($"{name}: latency run webhooks {figures.LatencyWebhook}, bare reader {figures.LatencyReader}; throughput run webhooks {webhookThroughput.RateDuringWrites:0}/s (lag {webhookThroughput.Lag}), bare reader {readerThroughput.RateDuringWrites:0}/s (lag {readerThroughput.Lag})");
        }

        // The parts alone, on a fresh store: the writer with nothing following, then each follower on the log it filled.
        await using (var store = await open())
        {
            var cpuFrom = CpuUse.Take();
            var written = await PacedWriter.WriteAsync(store, "alone", plan.Alone, ThroughputRate, Alone);
            var writerCpu = CpuUse.Between(cpuFrom, CpuUse.Take());
            Print($"{name}: the writer alone, {written.Count} changes stored at {written.Rate:0}/s in {written.Commits} commits ({written.OrdersPerCommit:0.00} a commit, {written.CommitMilliseconds:0.0} ms each, in the store {written.Busy:P0} of the time); {writerCpu}");

            await using var receiver = await ArrivalReceiver.StartAsync(secret);
            cpuFrom = CpuUse.Take();
            var started = Stopwatch.GetTimestamp();
            var host = await StartDelivererAsync(store, receiver.Url, secret, new CapturingLoggerProvider());
            await UntilAsync(() => receiver.Count >= written.Count, CatchUpLimit);
            var delivererCpu = CpuUse.Between(cpuFrom, CpuUse.Take());
            await host.StopAsync();
            host.Dispose();
            var delivererAlone = receiver.Count / Lags.Between(started, receiver.ArrivedAt.Values.Max()) * 1000;

            started = Stopwatch.GetTimestamp();
            double readerAlone;
            await using (var reader = BareReader.Start(store))
            {
                await UntilAsync(() => reader.Count >= written.Count, CatchUpLimit);
                readerAlone = reader.Count / Lags.Between(started, reader.SeenAt.Values.Max()) * 1000;
            }

            Print($"{name}: the deliverer alone on that log {delivererAlone:0}/s ({delivererCpu}), the bare reader alone {readerAlone:0}/s");

            cpuFrom = CpuUse.Take();
            var ceiling = await PacedWriter.WriteAsync(store, "unpaced", plan.Throughput[plan.Alone.Length..], Unpaced, Alone / 2);
            var ceilingCpu = CpuUse.Between(cpuFrom, CpuUse.Take());
            Print($"{name}: the writer unpaced, {ceiling.Count} changes stored at {ceiling.Rate:0}/s in {ceiling.Commits} commits ({ceiling.OrdersPerCommit:0.00} a commit, {ceiling.CommitMilliseconds:0.0} ms each); {ceilingCpu}");
            figures = figures with
            {
                WriterAlone = written,
                WriterAloneCpu = writerCpu,
                DelivererAlone = delivererAlone,
                DelivererAloneCpu = delivererCpu,
                ReaderAlone = readerAlone,
                WriterCeiling = ceiling,
                WriterCeilingCpu = ceilingCpu,
            };
        }

        return figures;
    }

    /// <summary>Starts the deliverer as an application does: a host with the store's change log and <c>AddOrderHubWebhooks</c>.</summary>
    private static async Task<IHost> StartDelivererAsync(IOrderChangeLog changeLog, Uri url, string secret, CapturingLoggerProvider logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // Warnings only: a failed attempt is counted; the deliverer never logs a secret or order content.
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(changeLog);
        builder.Services.AddOrderHubWebhooks(options => options.Subscriptions["bench"] = new WebhookSubscriptionOptions { Url = url, Secret = secret });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The first arrival of each change, by order id: positions (the <c>webhook-id</c>) mapped through the log.</summary>
    private static async Task<Dictionary<string, long>> DeliveredByOrderAsync(IOrderChangeLog log, ArrivalReceiver receiver)
    {
        var delivered = new Dictionary<string, long>();
        var page = await log.ReadAsync(0, IOrderChangeLog.MaxReadLimit);
        while (page.Changes.Count > 0)
        {
            foreach (var change in page.Changes)
            {
                if (receiver.ArrivedAt.TryGetValue(change.Position, out var at))
                {
                    delivered[change.Reference.OrderId] = at;
                }
            }

            page = await log.ReadAsync(page.LastPosition, IOrderChangeLog.MaxReadLimit);
        }

        return delivered;
    }

    private static Dictionary<string, long> Only(IReadOnlyDictionary<string, long> times, IReadOnlyDictionary<string, long> keys) =>
        times.Where(t => keys.ContainsKey(t.Key)).ToDictionary(t => t.Key, t => t.Value);

    private static async Task CaughtUpAsync(ArrivalReceiver receiver, BareReader reader, int logged, string store, string phase)
    {
        if (!await UntilAsync(() => receiver.Count >= logged && reader.Count >= logged, CatchUpLimit))
        {
            Print($"{store}: after the {phase}, {CatchUpLimit.TotalSeconds:0} s on, {logged - receiver.Count} changes not delivered and {logged - reader.Count} not read; going on");
        }
    }

    private static async Task<bool> UntilAsync(Func<bool> done, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    private static void PrintTable(IReadOnlyList<StoreFigures> figures)
    {
        string Row(string what, Func<StoreFigures, string> cell) => $"| {what} | {string.Join(" | ", figures.Select(cell))} |";
        static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture) + "/s";
        static string Commits(WriteRun run) => string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Commits:#,0}, {run.OrdersPerCommit:0.0} orders and {run.CommitMilliseconds:0.00} ms each; in the store {run.Busy:P0} of the time ({run.PendingSeconds / run.Seconds:P0} taking references)");
        static string Follower(FollowerThroughput f) => string.Create(
            CultureInfo.InvariantCulture,
            $"{Rate(f.RateDuringWrites)}; backlog at the last commit {f.BacklogAtEnd:#,0}, received {f.DrainSeconds:0.00} s after it{(f.Missing > 0 ? $", {f.Missing:#,0} never" : string.Empty)}");

        var lines = new List<string>
        {
            string.Empty,
            $"| measurement | {string.Join(" | ", figures.Select(f => f.Store))} |",
            $"| --- |{string.Concat(figures.Select(_ => " --- |"))}",
            Row("latency run: changes (20/s offered for 30 s)", f => string.Create(CultureInfo.InvariantCulture, $"{f.Latency.Count:#,0} at {f.Latency.Rate:0.0}/s, one a commit, {f.Latency.CommitMilliseconds:0.00} ms each")),
            Row("latency run: webhook arrival − commit, p50 / p99 / max", f => $"**{f.LatencyWebhook}**"),
            Row("latency run: bare reader seeing it − commit (baseline)", f => f.LatencyReader.ToString()),
            Row("latency run: webhook arrival − bare reader, same change", f => f.LatencyAdded.ToString()),
            Row("throughput run: stored (1,000/s offered for 30 s)", f => string.Create(CultureInfo.InvariantCulture, $"{f.Throughput.Count:#,0} at **{Rate(f.Throughput.Rate)}**")),
            Row("throughput run: the writer's commits", f => Commits(f.Throughput)),
            Row("throughput run: CPU while writing", f => f.ThroughputCpu.ToString()),
            Row("throughput run: webhooks received while writing", f => $"**{Follower(f.ThroughputWebhook)}**"),
            Row("throughput run: webhook lag p50 / p99 / max", f => $"**{f.ThroughputWebhook.Lag}**"),
            Row("throughput run: webhook lag of the last second's changes", f => f.ThroughputWebhook.LagOfLastSecond.ToString()),
            Row("throughput run: the backlog drains (webhooks ≥ 98 % of the rate stored)? 1,000/s stored (≥ 98 %)?", f => string.Create(
                CultureInfo.InvariantCulture,
                $"**{(f.ThroughputWebhook.KeptUp(f.Throughput.Rate) ? "yes" : "no")}**; {(f.Throughput.Rate >= 0.98 * ThroughputRate ? "yes" : $"no: the store took {Rate(f.Throughput.Rate)}")}")),
            Row("throughput run: bare reader while writing (baseline)", f => Follower(f.ThroughputReader)),
            Row("throughput run: bare reader lag p50 / p99 / max", f => f.ThroughputReader.Lag.ToString()),
            Row("alone: writer, 1,000/s offered for 10 s, nothing following", f => $"{Rate(f.WriterAlone!.Rate)}; {Commits(f.WriterAlone)}; {f.WriterAloneCpu}"),
            Row("alone: deliverer on that pre-filled log (10,000 changes)", f => $"{Rate(f.DelivererAlone)}; {f.DelivererAloneCpu}"),
            Row("alone: bare reader on the same log", f => Rate(f.ReaderAlone)),
            Row("alone: writer unpaced for 5 s (batches of up to 200)", f => $"{Rate(f.WriterCeiling!.Rate)}; {Commits(f.WriterCeiling)}; {f.WriterCeilingCpu}"),
            Row("requests / distinct changes / failed verification / failed attempts", f => string.Create(CultureInfo.InvariantCulture, $"{f.Requests:#,0} / {f.Distinct:#,0} / {f.Unverified} / {f.FailedAttempts}")),
            Row("mean webhook body", f => string.Create(CultureInfo.InvariantCulture, $"{f.MeanBodyBytes:#,0} bytes")),
        };
        if (figures.Any(f => f.NotLogged > 0))
        {
            lines.Add(Row("orders not inserted (no change logged)", f => f.NotLogged.ToString(CultureInfo.InvariantCulture)));
        }

        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    private sealed record StoreFigures(string Store)
    {
        public required WriteRun Latency { get; init; }

        public required Lags LatencyWebhook { get; init; }

        public required Lags LatencyReader { get; init; }

        public required Lags LatencyAdded { get; init; }

        public required WriteRun Throughput { get; init; }

        public required FollowerThroughput ThroughputWebhook { get; init; }

        public required FollowerThroughput ThroughputReader { get; init; }

        public CpuUse ThroughputCpu { get; init; }

        public WriteRun? WriterAlone { get; init; }

        public CpuUse WriterAloneCpu { get; init; }

        public CpuUse DelivererAloneCpu { get; init; }

        public WriteRun? WriterCeiling { get; init; }

        public CpuUse WriterCeilingCpu { get; init; }

        public double DelivererAlone { get; init; }

        public double ReaderAlone { get; init; }

        public int Requests { get; init; }

        public int Distinct { get; init; }

        public int Unverified { get; init; }

        public int FailedAttempts { get; init; }

        public double MeanBodyBytes { get; init; }

        public int NotLogged { get; init; }
    }
}
