using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;
using Microsoft.Data.Sqlite;
using OrderHub.SellingPartner.Notifications;

namespace OrderHub.Benchmarks.Sync;

/// <summary>
/// Freshness, from the emulator's change of an order to the stored copy, with ORDER_CHANGE notifications and with
/// polling only, in one run against one emulator in its own process at the documented plans: two sellers whose orders
/// change alike, one followed through its queue (polls every 15 minutes as the backup), the other by searchOrders
/// polls alone (every 180 s, the plan's sustained rate). Each change's delay is the time from the emulator's change
/// (<c>/_emulator/sp-changes</c>) to the first change-log entry of the order at or after it. The emulator delivers each
/// notification a second late, up to two more seconds out of order, and one in twenty twice.
/// </summary>
internal static class NotificationFreshnessMeasurements
{
    private const string NotifiedSeller = "Atzr|bench-notified";
    private const string PolledSeller = "Atzr|bench-polled";

    public static async Task RunAsync(TimeSpan duration, TimeSpan changeInterval)
    {
        var folder = Directory.CreateTempSubdirectory("orderhub-bench-fresh-").FullName;
        await using var emulator = await EmulatorProcess.StartAsync(
            ["--sellers", $"na={NotifiedSeller},eu={PolledSeller}", "--sp-orders", "400", "--sp-change-every-seconds", changeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
             "--sp-notification-delay-seconds", "1", "--sp-notification-reorder-seconds", "2", "--sp-notification-duplicate-rate", "0.05"]);
        var defaults = new OrderHub.Emulator.Hosting.EmulatorOptions();
        using var sqs = new AmazonSQSClient(
            new BasicAWSCredentials(defaults.AwsAccessKeyId, defaults.AwsSecretAccessKey),
            new AmazonSQSConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = defaults.AwsRegion });
        var queueUrl = (await sqs.CreateQueueAsync("sp-order-changes")).QueueUrl;
        var arn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        await sqs.SetQueueAttributesAsync(queueUrl, new Dictionary<string, string> { ["Policy"] = SellingPartnerNotifications.QueuePolicy(arn) });
        await RunToEndAsync(Cli(emulator, NotifiedSeller, folder, redirect: true, "notifications", "setup", "--source", "sp-api", "--queue-arn", arn));

        var since = (DateTimeOffset.UtcNow - defaults.SpOrderHistory - TimeSpan.FromDays(1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var notifiedDb = Path.Combine(folder, "notified.db");
        var polledDb = Path.Combine(folder, "polled.db");
        using var notified = Process.Start(Cli(emulator, NotifiedSeller, folder, redirect: false, "sync", "--source", "sp-api", "--since", since, "--follow", "--notifications", queueUrl, "--db", notifiedDb, "--json"))!;
        using var polled = Process.Start(Cli(emulator, PolledSeller, folder, redirect: false, "sync", "--source", "sp-api", "--since", since, "--follow", "--db", polledDb, "--json"))!;
        var started = DateTimeOffset.UtcNow;
        var before = await emulator.StatsAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"following for {duration.TotalMinutes:0} min, a change every {changeInterval.TotalSeconds:0} s"));
        await Task.Delay(duration);
        var after = await emulator.StatsAsync();
        var hours = (DateTimeOffset.UtcNow - started).TotalHours;
        foreach (var process in new[] { notified, polled })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        using var http = new HttpClient();
        var changes = (await http.GetStringAsync(new Uri(emulator.BaseAddress, "_emulator/sp-changes")))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(f => (At: DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture), OrderId: f[1]))
            .Where(c => c.At >= started)
            .ToList();

        // Changes of the last six minutes may still be on their way by polling (two minutes to settle, three between
        // polls): only the earlier ones are measured, for both alike.
        var measured = changes.Where(c => c.At <= started + duration - TimeSpan.FromMinutes(6)).ToList();
        var notifiedIds = (await EntriesAsync(notifiedDb)).ToLookup(e => e.OrderId);
        var polledIds = (await EntriesAsync(polledDb)).ToLookup(e => e.OrderId);
        var byNotice = Delays(measured, notifiedIds);
        var byPoll = Delays(measured, polledIds);
        Console.WriteLine(Line("notifications", byNotice));
        Console.WriteLine(Line("polling only", byPoll));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests per hour over the run: getOrder {(after["spGetOrderRequests"] - before["spGetOrderRequests"]) / hours:0} (the notified seller's reads), searchOrders pages {(after["spPageRequests"] - before["spPageRequests"]) / hours:0} (both sellers' polls: the polled seller's every 180 s, the notified seller's backup every 15 min); 429s {after["spThrottled"] - before["spThrottled"]:0}"));
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    // Each change of a seller's order (the other seller's orders are never in its store) against the first entry at or after it.
    private static List<TimeSpan> Delays(List<(DateTimeOffset At, string OrderId)> changes, ILookup<string, (string OrderId, DateTimeOffset At)> entries)
    {
        var delays = new List<TimeSpan>();
        foreach (var change in changes.Where(c => entries.Contains(c.OrderId)))
        {
            if (entries[change.OrderId].Where(e => e.At >= change.At).Select(e => (DateTimeOffset?)e.At).Min() is { } stored)
            {
                delays.Add(stored - change.At);
            }
        }

        delays.Sort();
        return delays;
    }

    private static string Line(string label, List<TimeSpan> delays) => delays.Count == 0
        ? $"{label}: no change stored"
        : string.Create(CultureInfo.InvariantCulture,
            $"{label}: {delays.Count} changes, p50 {Percentile(delays, 0.50).TotalSeconds:0.00} s, p99 {Percentile(delays, 0.99).TotalSeconds:0.00} s, max {delays[^1].TotalSeconds:0.00} s");

    private static TimeSpan Percentile(List<TimeSpan> sorted, double share) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(share * sorted.Count) - 1)];

    private static async Task<List<(string OrderId, DateTimeOffset At)>> EntriesAsync(string database)
    {
        var entries = new List<(string, DateTimeOffset)>();
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT order_id, changed_at FROM order_changes";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add((reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture)));
        }

        return entries;
    }

    // A follower's output is left to the console: nobody reads it during the run, and a full pipe would stall it.
    private static ProcessStartInfo Cli(EmulatorProcess emulator, string refreshToken, string folder, bool redirect, params string[] args) =>
        emulator.Cli(refreshToken, Path.Combine(folder, "rate-limits.db"), redirect, args);

    private static async Task RunToEndAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"orderhub {string.Join(' ', info.ArgumentList.Skip(1))} exited with {process.ExitCode}: {await errors}{await output}");
        }
    }
}
