using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderHub.Outposts;

/// <summary>
/// The input constraints of the Outposts service model (service-2.json), in one table. Every request is checked
/// against them before it is sent, and the emulator enforces the same ones.
/// </summary>
internal static partial class OutpostsInputRules
{
    /// <summary>Gets the rule for an order id (<c>OrderId</c>).</summary>
    public static IdRule OrderId { get; } = new("OrderId", "'oo-' and 17 lowercase hex digits, like oo-0123456789abcdef0", 20, OrderIdPattern());

    /// <summary>Gets the rule for an Outpost id or ARN (<c>OutpostIdentifier</c>).</summary>
    public static IdRule OutpostIdentifier { get; } = new(
        "OutpostIdentifier",
        "an Outpost id ('op-' and 17 lowercase hex digits, like op-0123456789abcdef0) or an Outpost ARN (arn:aws:outposts:<region>:<account>:outpost/op-...)",
        180,
        OutpostIdentifierPattern());

    /// <summary>Gets the rule for a catalog item id (<c>CatalogItemId</c>).</summary>
    public static IdRule CatalogItemId { get; } = new("CatalogItemId", "'OR-' and 7 uppercase letters or digits, like OR-ABC1234", 10, CatalogItemIdPattern());

    /// <summary>Gets the rule for a quote id or ARN (<c>QuoteIdentifier</c>).</summary>
    public static IdRule QuoteIdentifier { get; } = new(
        "QuoteIdentifier",
        "a quote id ('oq-' and 17 lowercase hex digits, like oq-0123456789abcdef0) or a quote ARN (arn:aws:outposts:<region>:<account>:quote/oq-...)",
        255,
        QuoteIdentifierPattern());

    /// <summary>Gets the rule for a quote option id (<c>QuoteOptionIdentifier</c>).</summary>
    public static IdRule QuoteOptionIdentifier { get; } = new("QuoteOptionIdentifier", "'oqo-' and 17 lowercase hex digits, like oqo-0123456789abcdef0", 21, QuoteOptionIdentifierPattern());

    /// <summary>Gets the rule for a pagination token (<c>NextToken</c>).</summary>
    public static IdRule NextToken { get; } = new("NextToken", "a token returned by a previous ListOrders page", 2048, NextTokenPattern());

    /// <summary>The fewest line items an order may have.</summary>
    public const int MinLineItems = 1;

    /// <summary>The most line items an order may have.</summary>
    public const int MaxLineItems = 20;

    /// <summary>The least quantity of a line item.</summary>
    public const int MinQuantity = 1;

    /// <summary>The least page size of ListOrders.</summary>
    public const int MinMaxResults = 1;

    /// <summary>The largest page size of ListOrders.</summary>
    public const int MaxMaxResults = 1000;

    /// <summary>Checks a create request against every rule; returns the first broken rule's message, or <see langword="null"/>.</summary>
    /// <param name="outpostIdentifier">The Outpost id or ARN.</param>
    /// <param name="lineItems">The catalog items and quantities, if ordering by line items.</param>
    /// <param name="quoteIdentifier">The quote, if ordering from a quote.</param>
    /// <param name="quoteOptionIdentifier">The quote option, if ordering from a quote.</param>
    /// <returns>The violation, naming the rule, or <see langword="null"/>.</returns>
    public static Violation? CheckCreateOrder(string? outpostIdentifier, IReadOnlyList<(string CatalogItemId, int Quantity)>? lineItems, string? quoteIdentifier, string? quoteOptionIdentifier)
    {
        if (OutpostIdentifier.Check(outpostIdentifier) is { } outpost)
        {
            return outpost;
        }

        var hasLines = lineItems is { Count: > 0 };
        var hasQuote = quoteIdentifier is not null || quoteOptionIdentifier is not null;
        if (!hasLines && !hasQuote)
        {
            return new Violation("LineItems", "An order needs line items, or a quote and a quote option.");
        }

        if (hasQuote)
        {
            if (QuoteIdentifier.Check(quoteIdentifier) is { } quote)
            {
                return quote;
            }

            if (QuoteOptionIdentifier.Check(quoteOptionIdentifier) is { } option)
            {
                return option;
            }
        }

        if (lineItems is null)
        {
            return null;
        }

        if (lineItems.Count > MaxLineItems || (hasLines && lineItems.Count < MinLineItems))
        {
            return new Violation("LineItems", string.Create(CultureInfo.InvariantCulture, $"An order has {MinLineItems} to {MaxLineItems} line items; got {lineItems.Count}."));
        }

        for (var i = 0; i < lineItems.Count; i++)
        {
            var (catalogItemId, quantity) = lineItems[i];
            if (CatalogItemId.Check(catalogItemId) is { } item)
            {
                return item with { Field = string.Create(CultureInfo.InvariantCulture, $"LineItems[{i}].CatalogItemId") };
            }

            if (quantity < MinQuantity)
            {
                return new Violation(
                    string.Create(CultureInfo.InvariantCulture, $"LineItems[{i}].Quantity"),
                    string.Create(CultureInfo.InvariantCulture, $"Quantity must be at least {MinQuantity}; got {quantity}."));
            }
        }

        return null;
    }

    /// <summary>Checks a ListOrders page size.</summary>
    /// <param name="maxResults">The page size, or <see langword="null"/> for the service's default.</param>
    /// <returns>The violation, or <see langword="null"/>.</returns>
    public static Violation? CheckMaxResults(int? maxResults) =>
        maxResults is < MinMaxResults or > MaxMaxResults
            ? new Violation("MaxResults", string.Create(CultureInfo.InvariantCulture, $"MaxResults must be from {MinMaxResults} to {MaxMaxResults}; got {maxResults}."))
            : null;

    [GeneratedRegex("^oo-[a-f0-9]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex OrderIdPattern();

    [GeneratedRegex(@"^(arn:aws([a-z-]+)?:outposts:[a-z0-9-]+:[0-9]{12}:outpost/)?op-[a-f0-9]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex OutpostIdentifierPattern();

    [GeneratedRegex("^OR-[A-Z0-9]{7}$", RegexOptions.CultureInvariant)]
    private static partial Regex CatalogItemIdPattern();

    [GeneratedRegex(@"^(arn:aws([a-z-]+)?:outposts:[a-z0-9-]+:[0-9]{12}:quote/)?oq-[a-f0-9]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex QuoteIdentifierPattern();

    [GeneratedRegex("^oqo-[a-f0-9]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex QuoteOptionIdentifierPattern();

    [GeneratedRegex(@"^([0-9]+)##(\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NextTokenPattern();
}

/// <summary>A broken input rule: which field, and what was expected.</summary>
/// <param name="Field">The field, as the service model names it.</param>
/// <param name="Message">What was expected.</param>
internal sealed record Violation(string Field, string Message);

/// <summary>One identifier rule: a pattern that must match the whole value, and a maximum length.</summary>
internal sealed class IdRule
{
    private readonly Regex _pattern;

    internal IdRule(string field, string description, int maxLength, Regex pattern)
    {
        Field = field;
        Description = description;
        MaxLength = maxLength;
        _pattern = pattern;
    }

    /// <summary>Gets the field, as the service model names it.</summary>
    public string Field { get; }

    /// <summary>Gets what the value must look like, in words.</summary>
    public string Description { get; }

    /// <summary>Gets the longest value allowed.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the pattern, as a regular expression.</summary>
    public Regex Pattern => _pattern;

    /// <summary>Tells whether a value follows the rule.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool IsValid(string? value)
    {
        // Identifiers are ASCII: '\S' or a culture's digits would let lookalike characters through to the service.
        if (value is null || value.Length == 0 || value.Length > MaxLength || !System.Text.Ascii.IsValid(value))
        {
            return false;
        }

        var match = _pattern.Match(value);
        return match.Success && match.Length == value.Length;
    }

    /// <summary>Checks a value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The violation, naming the rule, or <see langword="null"/>.</returns>
    public Violation? Check(string? value) =>
        IsValid(value) ? null : new Violation(Field, $"{Field} must be {Description}; got '{Shorten(value)}'.");

    private static string Shorten(string? value) => value switch
    {
        null => "(none)",
        { Length: > 64 } => string.Concat(value.AsSpan(0, 64), "..."),
        _ => value,
    };
}
