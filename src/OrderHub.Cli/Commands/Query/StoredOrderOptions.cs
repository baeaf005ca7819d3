using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using OrderHub.Cli.Commands.Sync;
using OrderHub.Cli.Configuration;
using OrderHub.Storage.PostgreSql;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Query;

/// <summary>
/// The options every command reading the stored copy takes (<c>orders</c>, <c>orders summary</c>, <c>export</c>): which
/// orders, and the database <c>sync</c> filled. Each command gets instances of its own.
/// </summary>
internal sealed class StoredOrderOptions
{
    private readonly Option<string[]> _sources = new("--source") { Description = "Only orders of this source (a configured source's name, such as sp-api or outposts); repeat, or separate with commas, for more." };
    private readonly Option<string[]> _accounts = new("--account") { Description = "Only orders of this account (a marketplace id such as ATVPDKIKX0DER, or an Outpost id); repeat, or separate with commas, for more." };
    private readonly Option<string[]> _statuses = new("--status") { Description = "Only orders in this unified status (" + string.Join(", ", Enum.GetNames<OrderStatus>()) + "); repeat, or separate with commas, for more." };
    private readonly Option<string?> _updatedSince = new("--updated-since") { Description = "Only orders last updated at or after this ISO 8601 time (2026-11-01T00:00:00Z, or a date) or within this age (90m, 36h, 7d)." };
    private readonly Option<string?> _createdSince = new("--created-since") { Description = "Only orders created at or after this ISO 8601 time or within this age (7d)." };
    private readonly Option<string?> _completeness = new("--completeness") { Description = "Only partial copies (read from an order report by a backfill, not yet read in full) or only full ones: partial or full." };
    private readonly Option<string?> _db = new("--db") { Description = "The database sync filled: a SQLite file (it must exist), or a PostgreSQL connection string or postgresql:// URI (default: ORDERHUB_DB, else orderhub.db)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _sources, _accounts, _statuses, _updatedSince, _createdSince, _completeness, _db })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Adds only <c>--db</c>, for a command that reads the store but selects no orders.</summary>
    public void AddDatabaseTo(Command command) => command.Options.Add(_db);

    /// <summary>Reads the filter from the options and checks it, before any I/O.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="now">What an age counts back from.</param>
    /// <exception cref="InvalidOrderRequestException">A value is not accepted; the message names the option.</exception>
    public OrderFilter Filter(ParseResult parse, DateTimeOffset now)
    {
        var filter = new OrderFilter
        {
            Sources = Values(parse.GetValue(_sources), _sources.Name),
            Accounts = Values(parse.GetValue(_accounts), _accounts.Name),
            Statuses = [.. Values(parse.GetValue(_statuses), _statuses.Name).Select(ParseStatus)],
            UpdatedAfter = parse.GetValue(_updatedSince) is { } updated ? IncrementalSyncHandler.ParseTime(updated, now, _updatedSince.Name) : null,
            CreatedAfter = parse.GetValue(_createdSince) is { } created ? IncrementalSyncHandler.ParseTime(created, now, _createdSince.Name) : null,
            Completeness = parse.GetValue(_completeness) is { } completeness ? ParseCompleteness(completeness) : null,
        };
        filter.Validate();
        return filter;
    }

    /// <summary>
    /// Builds the services over the database the options (or the settings) name, refusing a SQLite file that does not
    /// exist: a read must not leave an empty database behind where a path was mistyped.
    /// </summary>
    public async Task<CliHost> HostAsync(CliContext cli, ParseResult parse, Action<IServiceCollection>? services = null)
    {
        string? database = null;
        var host = cli.Host(parse, (collection, settings) =>
        {
            collection.AddOrderStore(database = OrderStoreSetting.Resolve(parse.GetValue(_db), settings));
            services?.Invoke(collection);
        });
        if (!PostgreSqlConnection.IsPostgreSql(database!) && !File.Exists(database))
        {
            await host.DisposeAsync();
            throw new OrderStoreException(
                $"The database '{database}' does not exist. Give the file sync stored into with --db (or ORDERHUB_DB), or fill it first with 'orderhub sync ... --db {database}'.",
                database);
        }

        return host;
    }

    /// <summary>The query of the stored copy, from the host <see cref="HostAsync"/> built.</summary>
    public static IOrderQuery Query(CliHost host) => host.Services.GetRequiredService<IOrderQuery>();

    // A repeated option, each value possibly a comma-separated list; an empty item is refused, not dropped, so that a
    // stray comma does not quietly widen the filter.
    private static string[] Values(string[]? given, string option)
    {
        var values = (given ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToArray();
        return values.Any(v => v.Length == 0)
            ? throw new InvalidOrderRequestException($"{option} must not hold an empty value (check for a stray comma).") { ParameterName = option }
            : values;
    }

    private OrderCompleteness ParseCompleteness(string text)
    {
        var names = Enum.GetNames<OrderCompleteness>();
        return names.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<OrderCompleteness>(known)
            : throw new InvalidOrderRequestException($"--completeness '{text}' is not accepted; expected {string.Join(" or ", names.Select(n => n.ToLowerInvariant()))}.") { ParameterName = _completeness.Name };
    }

    private OrderStatus ParseStatus(string text)
    {
        // Names only, in any case, with or without separators (in-progress, IN_PROGRESS): never a number, which Enum
        // would take as any value.
        var name = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        return Enum.GetNames<OrderStatus>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<OrderStatus>(known)
            : throw new InvalidOrderRequestException($"--status '{text}' is not a unified status; expected one of {string.Join(", ", Enum.GetNames<OrderStatus>())}.") { ParameterName = _statuses.Name };
    }
}
