using System.Globalization;

namespace OrderHub.Providers;

/// <summary>Checks an <see cref="OrderChangeQuery"/> against an upstream's <see cref="OrderChangeFeedRules"/> before any request.</summary>
public static class OrderChangeQueryRules
{
    /// <summary>Throws when the query breaks a rule, with a message saying what is allowed.</summary>
    /// <param name="query">The query.</param>
    /// <param name="rules">The upstream's rules.</param>
    /// <param name="now">The time now, on the caller's clock.</param>
    /// <param name="sourceName">The source, for the error.</param>
    /// <exception cref="InvalidOrderRequestException">A rule is broken; the exception names the argument.</exception>
    public static void Validate(OrderChangeQuery query, OrderChangeFeedRules rules, DateTimeOffset now, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(rules);
        var latestEnd = now - rules.SettleDelay;
        var family = query.Time == OrderChangeTime.LastUpdated ? "lastUpdated" : "created";
        var settle = Minutes(rules.SettleDelay);
        if (query.After > latestEnd)
        {
            Fail(nameof(query.After), $"The window's start ({family}After {Stamp(query.After)}) must be at least {settle} before now ({Stamp(now)}): the upstream serves only settled data.");
        }

        if (query.Before is { } before)
        {
            if (before < query.After)
            {
                Fail(nameof(query.Before), $"The window's end ({family}Before {Stamp(before)}) must not be earlier than its start ({Stamp(query.After)}).");
            }

            if (before > latestEnd)
            {
                Fail(nameof(query.Before), $"The window's end ({family}Before {Stamp(before)}) must be at least {settle} before now ({Stamp(now)}); leave it out to read up to the settled present.");
            }
        }

        if (query.MarketplaceIds.Count > rules.MaxMarketplaces)
        {
            Fail(nameof(query.MarketplaceIds), string.Create(CultureInfo.InvariantCulture, $"A query may name at most {rules.MaxMarketplaces} marketplaces; {query.MarketplaceIds.Count} were given."));
        }

        if (rules.RequiresMarketplace && query.MarketplaceIds.Count == 0)
        {
            Fail(nameof(query.MarketplaceIds), "This source needs at least one marketplace id (for example ATVPDKIKX0DER for amazon.com).");
        }

        if (query.MarketplaceIds.FirstOrDefault(m => string.IsNullOrWhiteSpace(m) || !m.All(char.IsAsciiLetterOrDigit)) is { } badMarketplace)
        {
            Fail(nameof(query.MarketplaceIds), $"A marketplace id is letters and digits only (for example ATVPDKIKX0DER); '{badMarketplace}' is not one.");
        }

        if (query.PageSize is { } size && (size < 1 || size > rules.MaxPageSize))
        {
            Fail(nameof(query.PageSize), string.Create(CultureInfo.InvariantCulture, $"A page holds 1 to {rules.MaxPageSize} orders; {size} was given."));
        }

        CheckValues(query.FulfillmentStatuses, rules.FulfillmentStatuses, nameof(query.FulfillmentStatuses), "fulfillment status");
        CheckValues(query.FulfilledBy, rules.FulfilledBy, nameof(query.FulfilledBy), "fulfilling party");

        void CheckValues(IReadOnlyList<string> given, IReadOnlyList<string> allowed, string parameter, string what)
        {
            if (given.FirstOrDefault(v => !allowed.Contains(v, StringComparer.Ordinal)) is { } unknown)
            {
                Fail(parameter, allowed.Count == 0
                    ? $"This source cannot filter by {what}."
                    : $"'{unknown}' is not a {what} this source filters by; use one of {string.Join(", ", allowed)}.");
            }
        }

        void Fail(string parameter, string message) =>
            throw new InvalidOrderRequestException(message, new OrderErrorContext(sourceName)) { ParameterName = parameter };
    }

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Minutes(TimeSpan value) => value.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.#} minutes")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.#} seconds");
}
