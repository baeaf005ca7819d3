using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Cli.Output;
using OrderHub.RateLimits;
using Spectre.Console;

namespace OrderHub.Cli.Commands;

/// <summary><c>quota</c>: the rate-limit buckets this machine's file (or Redis) holds, as every process sees them.</summary>
internal static class QuotaCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext cli)
    {
        var command = new Command("quota", "List the rate-limit buckets every OrderHub process shares: on this machine, or in Redis (ORDERHUB_REDIS).") { cli.JsonOption };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = cli.Host(parse);
            var options = host.Services.GetRequiredService<IOptions<RateLimitsOptions>>().Value;
            if (options.ResolveStore() == RateLimitStoreKind.Process)
            {
                Console.Error.WriteLine("Rate limits are kept in each process (OrderHub:RateLimits:Store = Process): nothing is shared to list.");
                return ExitCodes.Ok;
            }

            var store = host.Services.GetRequiredService<IQuotaStore>();
            var buckets = new List<QuotaBucket>();
            await foreach (var bucket in store.ListAsync(cancel))
            {
                buckets.Add(bucket);
            }

            // Which configured sources draw from each bucket: those whose credential and region make its partition.
            var owners = Owners(host);
            string[] SourcesOf(QuotaBucket bucket) =>
                [.. owners.Where(o => bucket.Partition.StartsWith(o.Partition + "|", StringComparison.Ordinal)).Select(o => o.Source)];
            if (parse.GetValue(cli.JsonOption))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new
                    {
                        store = store.Description,
                        buckets = buckets.Select(b => new
                        {
                            partition = b.Partition,
                            sources = SourcesOf(b),
                            permitsPerSecond = b.PermitsPerSecond,
                            burst = b.Burst,
                            available = Math.Round(b.Available, 3),
                            waiting = b.Waiting,
                            lastThrottledAt = b.LastThrottledAt,
                            observedAt = b.ObservedAt,
                        }),
                    },
                    JsonOptions));
                return ExitCodes.Ok;
            }

            Console.Error.WriteLine($"{buckets.Count} bucket(s) in {store.Description}");
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("Source").NoWrap())
                .AddColumn(new TableColumn("Partition").NoWrap())
                .AddColumn(new TableColumn("Rate/s").RightAligned())
                .AddColumn(new TableColumn("Burst").RightAligned())
                .AddColumn(new TableColumn("Permits now").RightAligned())
                .AddColumn(new TableColumn("Waiting").RightAligned())
                .AddColumn("Last 429");
            foreach (var b in buckets)
            {
                table.AddRow(
                    Markup.Escape(SourcesOf(b) is { Length: > 0 } sources ? string.Join(", ", sources) : "-"),
                    Markup.Escape(b.Partition),
                    b.PermitsPerSecond.ToString("0.####", CultureInfo.InvariantCulture),
                    b.Burst.ToString(CultureInfo.InvariantCulture),
                    b.Available.ToString("0.##", CultureInfo.InvariantCulture),
                    b.Waiting.ToString(CultureInfo.InvariantCulture),
                    b.LastThrottledAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    // The configured sources and their buckets' partitions; none when the sources cannot be built (the buckets are
    // still listed: a source's bad setting is another command's error).
    private static IReadOnlyList<(string Source, string Partition)> Owners(Configuration.CliHost host)
    {
        try
        {
            return [.. host.Lookup.Sources.OfType<OrderHub.SellingPartner.SellingPartnerOrderSource>().Select(s => (s.Name, s.QuotaPartition))];
        }
        catch (Exception e) when (e is OrderHubException or OptionsValidationException or ArgumentException)
        {
            return [];
        }
    }
}
