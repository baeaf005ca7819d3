using System.Globalization;
using System.Text;

namespace OrderHub.Sync;

/// <summary>
/// Which stored orders a query reads: every condition given must hold (an empty list or an absent bound is no
/// condition). A list matches an order that has any of its values. Time windows start at their <c>After</c> bound,
/// included, and end before their <c>Before</c> bound, so that consecutive windows neither overlap nor leave a gap;
/// an order without the time is outside every window.
/// </summary>
public sealed record OrderFilter
{
    /// <summary>Gets the sources to read (for example <c>sp-api</c>, <c>outposts</c>); empty for all.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Gets the accounts to read (<see cref="Order.AccountId"/>: marketplace ids, Outpost ids); empty for all.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Gets the unified statuses to read; empty for all.</summary>
    public IReadOnlyList<OrderStatus> Statuses { get; init; } = [];

    /// <summary>Gets the earliest creation time to read, included.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Gets the creation time to read up to, excluded.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Gets the earliest last-update time to read, included.</summary>
    public DateTimeOffset? UpdatedAfter { get; init; }

    /// <summary>Gets the last-update time to read up to, excluded.</summary>
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary>Gets the seller's own order id to read (<see cref="Order.SellerOrderId"/>, compared exactly).</summary>
    public string? SellerOrderId { get; init; }

    /// <summary>
    /// Gets which copies to read by <see cref="Order.Completeness"/>: <see cref="OrderCompleteness.Partial"/> for the
    /// orders read from a bulk export and not yet read in full, <see cref="OrderCompleteness.Full"/> for the others;
    /// <see langword="null"/> for both.
    /// </summary>
    public OrderCompleteness? Completeness { get; init; }

    /// <summary>
    /// Checks every condition, before any I/O. Stores call it; a caller may call it to refuse a request early.
    /// </summary>
    /// <exception cref="InvalidOrderRequestException">A condition is not accepted; <see cref="InvalidOrderRequestException.ParameterName"/> names it.</exception>
    public void Validate()
    {
        ValidateList(Sources, "sources", "source names such as sp-api or outposts");
        ValidateList(Accounts, "accounts", "account ids (marketplace ids, Outpost ids)");
        if (Statuses is null)
        {
            throw Invalid("statuses", "The statuses must be a list (empty for all).");
        }

        if (Statuses.Count > OrderQueryDefaults.MaxValuesPerList)
        {
            throw TooMany("statuses");
        }

        foreach (var status in Statuses)
        {
            if (!Enum.IsDefined(status))
            {
                throw Invalid("statuses", $"'{(int)status}' is not a unified status; expected one of {string.Join(", ", Enum.GetNames<OrderStatus>())}.");
            }
        }

        ValidateWindow(CreatedAfter, CreatedBefore, "createdAfter", "createdBefore");
        ValidateWindow(UpdatedAfter, UpdatedBefore, "updatedAfter", "updatedBefore");
        if (SellerOrderId is not null && string.IsNullOrWhiteSpace(SellerOrderId))
        {
            throw Invalid("sellerOrderId", "The seller order id must not be empty; leave it out to read every order.");
        }

        if (Completeness is { } completeness && !Enum.IsDefined(completeness))
        {
            throw Invalid("completeness", $"'{(int)completeness}' is not a completeness; expected {string.Join(" or ", Enum.GetNames<OrderCompleteness>())}.");
        }
    }

    /// <summary>Returns which conditions are set; never their values.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"OrderFilter {{ Sources = {Sources.Count}, Accounts = {Accounts.Count}, Statuses = {Statuses.Count}, Created = {CreatedAfter is not null || CreatedBefore is not null}, Updated = {UpdatedAfter is not null || UpdatedBefore is not null}, SellerOrderId = {SellerOrderId is not null}, Completeness = {Completeness?.ToString() ?? "any"} }}");

    /// <summary>The filter in one canonical text (lists sorted, repeats removed): two filters that select the same orders write the same.</summary>
    internal void WriteCanonical(StringBuilder text)
    {
        static void List(StringBuilder text, string name, IEnumerable<string> values) =>
            text.Append(name).Append('=').AppendJoin('\u001f', values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)).Append('\u001e');
        static void Time(StringBuilder text, string name, DateTimeOffset? value) =>
            text.Append(name).Append('=').Append(value?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\u001e');

        List(text, "sources", Sources);
        List(text, "accounts", Accounts);
        List(text, "statuses", Statuses.Select(s => s.ToString()));
        Time(text, "createdAfter", CreatedAfter);
        Time(text, "createdBefore", CreatedBefore);
        Time(text, "updatedAfter", UpdatedAfter);
        Time(text, "updatedBefore", UpdatedBefore);
        text.Append("sellerOrderId=").Append(SellerOrderId is null ? "-" : "+" + SellerOrderId).Append('\u001e');

        // Written only when set, so the filters of cursors given out before it existed write what they wrote then.
        if (Completeness is { } completeness)
        {
            text.Append("completeness=").Append(completeness).Append('\u001e');
        }
    }

    internal static InvalidOrderRequestException Invalid(string parameter, string message) => new(message) { ParameterName = parameter };

    private static InvalidOrderRequestException TooMany(string parameter) =>
        Invalid(parameter, string.Create(CultureInfo.InvariantCulture, $"At most {OrderQueryDefaults.MaxValuesPerList} {parameter} can be given in one query."));

    private static void ValidateList(IReadOnlyList<string> values, string parameter, string expected)
    {
        if (values is null)
        {
            throw Invalid(parameter, $"The {parameter} must be a list (empty for all).");
        }

        if (values.Count > OrderQueryDefaults.MaxValuesPerList)
        {
            throw TooMany(parameter);
        }

        if (values.Any(string.IsNullOrWhiteSpace))
        {
            throw Invalid(parameter, $"The {parameter} must not hold an empty value; expected {expected}.");
        }
    }

    private static void ValidateWindow(DateTimeOffset? after, DateTimeOffset? before, string afterName, string beforeName)
    {
        if (after is { } start && before is { } end && end <= start)
        {
            throw Invalid(beforeName, $"{beforeName} ({end.UtcDateTime:O}) must be later than {afterName} ({start.UtcDateTime:O}): the window starts at {afterName}, included, and ends before {beforeName}.");
        }
    }
}
