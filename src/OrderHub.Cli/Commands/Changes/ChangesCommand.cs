using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Commands.Query;
using OrderHub.Cli.Output;
using OrderHub.Events;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Changes;

/// <summary><c>changes</c>: the store's change log, read after a position or followed, for people and scripts.</summary>
internal static class ChangesCommand
{
    /// <summary>The prefix of the consumer names <c>--name</c> stores positions under, apart from webhook subscriptions'.</summary>
    public const string ReaderPrefix = "reader:";

    private const int PageSize = 500;

    public static Command Create(CliContext cli)
    {
        var store = new StoredOrderOptions();
        var after = new Option<long?>("--after") { Description = "Start after this position (the last one read). Default: where --name stopped, else the oldest change kept." };
        var follow = new Option<bool>("--follow") { Description = "Keep running and print each change as it is stored, until Ctrl+C." };
        var name = new Option<string?>("--name") { Description = "A named reader: start where it stopped (unless --after is given) and store its position after each page, so the next run goes on from there." };
        var command = new Command("changes", "Print the changes of the stored orders (created, updated), oldest first: one line per change, or with --json one CloudEvents JSON event per line.")
        {
            after, follow, name, cli.JsonOption,
        };
        store.AddDatabaseTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(after) is < 0)
            {
                result.AddError("--after must be a position: a whole number, 0 or more.");
            }

            if (result.GetValue(name) is { } given && string.IsNullOrWhiteSpace(given))
            {
                result.AddError("--name must not be empty.");
            }
        });
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            await using var host = await store.HostAsync(cli, parse);
            var log = host.Services.GetService<IOrderChangeLog>()
                ?? throw new OrderStoreException("This store keeps no change log: 'orderhub changes' reads the SQLite and PostgreSQL stores.");
            var consumer = parse.GetValue(name) is { } reader ? ReaderPrefix + reader.Trim() : null;
            var start = parse.GetValue(after) ?? (consumer is null ? null : await log.GetConsumerPositionAsync(consumer, cancel));
            var json = parse.GetValue(cli.JsonOption);
            var last = start;
            try
            {
                if (parse.GetValue(follow))
                {
                    await foreach (var page in log.FollowAsync(start, PageSize, cancel))
                    {
                        last = await WritePageAsync(log, page, json, consumer, cancel);
                    }
                }
                else
                {
                    var page = await log.ReadAsync(start, PageSize, cancel);
                    while (page.Changes.Count > 0)
                    {
                        last = await WritePageAsync(log, page, json, consumer, cancel);
                        page = await log.ReadAsync(page.LastPosition, PageSize, cancel);
                    }

                    last = page.LastPosition;
                }
            }
            catch (OrderChangePositionExpiredException e)
            {
                Console.Error.WriteLine($"error: {e.Message} ('orderhub orders' reads the stored orders; then 'orderhub changes --after {e.PrunedThrough.ToString(CultureInfo.InvariantCulture)}'.)");
                return ExitCodes.For(e);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // --follow ends with Ctrl+C: what was printed is what the stored position says.
            }

            Console.Error.WriteLine(last is { } position
                ? string.Create(CultureInfo.InvariantCulture, $"read through position {position}: --after {position} goes on from here.")
                : "no changes stored yet.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<long> WritePageAsync(IOrderChangeLog log, OrderChangeLogPage page, bool json, string? consumer, CancellationToken cancellationToken)
    {
        using (var output = Console.OpenStandardOutput())
        {
            foreach (var change in page.Changes)
            {
                if (json)
                {
                    await output.WriteAsync(OrderChangeEvents.Encode(OrderChangeEvents.ToCloudEvent(change)), cancellationToken);
                    output.WriteByte((byte)'\n');
                }
                else
                {
                    var line = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{change.Position}  {change.ChangedAt:u}  {(change.Kind == OrderChangeKind.Created ? "created" : "updated")}  {change.Reference.Source}/{change.Reference.OrderId}  {(change.StatusBefore is { } before ? $"{before} -> " : string.Empty)}{change.StatusAfter}\n");
                    await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), cancellationToken);
                }
            }

            await output.FlushAsync(cancellationToken);
        }

        // After the page is out: a reader killed before this line reads the page again, never skips it.
        if (consumer is not null)
        {
            await log.SetConsumerPositionAsync(consumer, page.LastPosition, cancellationToken);
        }

        return page.LastPosition;
    }
}
