using System.Diagnostics;
using System.Globalization;
using OrderHub.Storage.Sqlite;
using OrderHub.Sync;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// The unthrottled sync into SQLite taken apart, in one run against one emulator process: the emulator alone (wrk on
/// getOrder), the client's reads alone (no store), the store's writes alone (the same orders, already read), and the
/// whole sync. Each part gives its rate and the CPU it spends per order, in this process and in the emulator's.
/// </summary>
internal static class SyncDecomposition
{
    public static async Task RunAsync(int orders)
    {
        await using var emulator = await EmulatorProcess.StartAsync(["--sp-rate", "1000000", "--sp-burst", "1000000", "--sp-orders", orders.ToString(CultureInfo.InvariantCulture)]);
        var ids = await emulator.OrderIdsAsync();
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-parts-").FullName;
        try
        {
            await EmulatorAloneAsync(emulator, ids[0]);

            // The client alone: every order read once through the source, 64 at a time, nothing stored.
            using var source = SyncMeasurements.SellingPartner(emulator.BaseAddress, 10_000, permitsPerSecond: 10_000);
            await source.GetOrderAsync(ids[0]);
            var read = new Order[ids.Length];
            var part = Part.Start(emulator);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, ids.Length),
                new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (i, ct) => read[i] = await source.GetOrderAsync(ids[i], cancellationToken: ct));
            part.Report("client reads alone (getOrder and mapping, no store)", ids.Length);

            // The store alone: the same orders, already read, committed in batches of 500 as the sync does.
            await using (var store = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "store-alone.db")))
            {
                var sync = new OrderSync(new OrderLookup([source]), store);
                await sync.AddReferencesAsync("bench", ids.Select(id => new OrderReference("sp-api", id)));
                part = Part.Start(emulator);
                foreach (var batch in read.Chunk(500))
                {
                    await store.CommitAsync("bench", [.. batch.Select(o => new SyncResult { Reference = new OrderReference("sp-api", o.OrderId), Order = o })]);
                }

                part.Report("store writes alone (SQLite, batches of 500)", read.Length);
            }

            // The whole sync, into a database of its own.
            await using (var store = await SqliteOrderStore.OpenAsync(Path.Combine(folder, "whole.db")))
            {
                var sync = new OrderSync(new OrderLookup([source]), store);
                await sync.AddReferencesAsync("bench", ids.Select(id => new OrderReference("sp-api", id)));
                part = Part.Start(emulator);
                var result = await sync.RunAsync("bench", new OrderSyncOptions { MaxConcurrencyPerSource = 64, BatchSize = 500 });
                part.Report($"the whole sync into SQLite ({result.Inserted} inserted, {result.Failed} failed)", ids.Length);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    // The emulator alone: wrk drives getOrder for one order over 32 connections, with a token from the emulator.
    private static async Task EmulatorAloneAsync(EmulatorProcess emulator, string orderId)
    {
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "Atzr|emulator-seller",
            ["client_id"] = "emulator-client",
            ["client_secret"] = "emulator-secret",
        });
        using var tokenResponse = await http.PostAsync(new Uri(emulator.BaseAddress, "auth/o2/token"), form);
        var token = System.Text.Json.JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        var cpu = emulator.ProcessorTime;
        var rate = (await Wrk.RunAsync(new Uri(emulator.BaseAddress, $"orders/v0/orders/{orderId}").ToString(), $"x-amz-access-token: {token}", threads: 1)).Rate;
        var requests = rate * Wrk.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"emulator alone (wrk, getOrder v0): {rate:0} orders/s; emulator CPU {(emulator.ProcessorTime - cpu).TotalMicroseconds / requests:0} us per order"));
    }

    private sealed class Part
    {
        private readonly EmulatorProcess _emulator;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _selfCpu;
        private readonly TimeSpan _emulatorCpu;

        private Part(EmulatorProcess emulator)
        {
            _emulator = emulator;
            _selfCpu = SelfCpu();
            _emulatorCpu = emulator.ProcessorTime;
        }

        public static Part Start(EmulatorProcess emulator)
        {
            GC.Collect();
            return new Part(emulator);
        }

        public void Report(string what, int orders)
        {
            _clock.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {orders / _clock.Elapsed.TotalSeconds:0} orders/s; CPU per order {(SelfCpu() - _selfCpu).TotalMicroseconds / orders:0} us here, {(_emulator.ProcessorTime - _emulatorCpu).TotalMicroseconds / orders:0} us in the emulator"));
        }

        private static TimeSpan SelfCpu()
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }
    }
}
