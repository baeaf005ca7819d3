using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using OrderHub.Providers;
using OrderHub.Sync;

namespace OrderHub.Api.Query;

/// <summary>
/// The query string of <c>GET /orders</c> and <c>GET /orders/summary</c>, read into the library's
/// <see cref="OrderQuery"/>: one convention for lists (a parameter given once, its values separated by commas), ISO 8601
/// times, and every parameter that is not accepted refused with its name and what it accepts.
/// </summary>
internal static partial class OrderQueryParameters
{
    public const string Cursor = "cursor";

    private const string Limit = "limit";
    private const string Sort = "sort";
    private const string GroupBy = "groupBy";

    private static readonly Dictionary<string, OrderSort> Sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["-lastUpdated"] = OrderSort.LastUpdatedDescending,
        ["lastUpdated"] = OrderSort.LastUpdatedAscending,
        ["-created"] = OrderSort.CreatedDescending,
        ["created"] = OrderSort.CreatedAscending,
    };

    private static readonly Dictionary<string, OrderGrouping> Groupings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["source"] = OrderGrouping.Source,
        ["account"] = OrderGrouping.Account,
        ["status"] = OrderGrouping.Status,
        ["createdDay"] = OrderGrouping.CreatedDay,
        ["createdMonth"] = OrderGrouping.CreatedMonth,
    };

    private static readonly string Statuses = string.Join(", ", Enum.GetNames<OrderStatus>());

    private const string CompletenessName = "completeness";

    private static readonly string[] CompletenessNames = [.. Enum.GetNames<OrderCompleteness>().Select(n => n.ToLowerInvariant())];

    private const string TimeForm = "an ISO 8601 date or time, for example 2026-01-31 or 2026-01-31T08:00:00Z (an offset such as +02:00 written %2B02:00 in a URL; without one, UTC)";

    /// <summary>The filters both endpoints take, as the OpenAPI document describes them.</summary>
    private static readonly QueryParameter[] Filters =
    [
        new("source", "Sources to read (for example sp-api, outposts), separated by commas; any of them matches. Absent: every source.", List()),
        new("account", "Accounts to read (marketplace ids such as A1PM5ESFRB6V4M, Outpost ids), separated by commas. Absent: every account.", List()),
        new("status", $"Unified statuses, separated by commas, case-insensitive: {Statuses}. Absent: every status.", List([.. Enum.GetNames<OrderStatus>()])),
        new("createdAfter", "Orders created at or after this time (included). " + TimeForm + ".", Time()),
        new("createdBefore", "Orders created before this time (excluded). " + TimeForm + ".", Time()),
        new("updatedAfter", "Orders last updated at or after this time (included). " + TimeForm + ".", Time()),
        new("updatedBefore", "Orders last updated before this time (excluded). " + TimeForm + ".", Time()),
        new("sellerOrderId", "The seller's own order id, compared exactly.", new OpenApiSchema { Type = JsonSchemaType.String }),
        new(CompletenessName, "Which copies, case-insensitive: partial (read from a bulk export such as an order report, not yet read in full) or full (the others). Absent: both.", new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. CompletenessNames.Select(n => System.Text.Json.Nodes.JsonValue.Create(n))] }),
    ];

    /// <summary>The parameters of <c>GET /orders</c>.</summary>
    public static IReadOnlyList<QueryParameter> PageParameters { get; } =
    [
        .. Filters,
        new(Sort, "The order of the pages: -lastUpdated (the default: the most recently updated first), lastUpdated, -created or created; ties by source, then order id.", new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Sorts.Keys.Select(k => System.Text.Json.Nodes.JsonValue.Create(k))], Default = "-lastUpdated" }),
        new(Limit, "How many orders a page holds at most, from 1 to 1000 (default 100).", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "1000", Default = 100 }),
        new(Cursor, "The nextCursor of the previous page, unchanged, with the same filters and sort (the limit may change); refused with any other query. Absent: the first page.", new OpenApiSchema { Type = JsonSchemaType.String }),
    ];

    /// <summary>The parameters of <c>GET /orders/summary</c>.</summary>
    public static IReadOnlyList<QueryParameter> SummaryParameters { get; } =
    [
        new(GroupBy, "What to group by, separated by commas: any of source, account, status, and one of createdDay or createdMonth (UTC). Absent: one group of every order selected.", List([.. Groupings.Keys])),
        .. Filters,
    ];

    /// <summary>Reads a page's query.</summary>
    /// <exception cref="QueryParameterException">A parameter is not accepted.</exception>
    public static OrderQuery ReadPage(IQueryCollection query)
    {
        RefuseUnknown(query, PageParameters);
        var sort = OrderSort.LastUpdatedDescending;
        if (Single(query, Sort) is { } sortText && !Sorts.TryGetValue(sortText, out sort))
        {
            throw Invalid(Sort, $"The query parameter 'sort' must be one of {string.Join(", ", Sorts.Keys)}; '{sortText}' was given.");
        }

        var limit = ReadLimit(query, new OrderQuery().PageSize, OrderQuery.MaxPageSize);
        return new OrderQuery { Filter = ReadFilter(query), Sort = sort, PageSize = limit, Cursor = Single(query, Cursor) };
    }

    /// <summary>Reads <c>limit</c>, a page's size: a whole number from 1 to <paramref name="max"/>, or <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="QueryParameterException">It is not such a number.</exception>
    internal static int ReadLimit(IQueryCollection query, int defaultValue, int max)
    {
        var limit = defaultValue;
        if (Single(query, Limit) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max))
        {
            throw Invalid(Limit, string.Create(CultureInfo.InvariantCulture, $"The query parameter 'limit' must be a whole number from 1 to {max}."));
        }

        return limit;
    }

    /// <summary>Reads a summary's query.</summary>
    /// <exception cref="QueryParameterException">A parameter is not accepted.</exception>
    public static (OrderFilter Filter, OrderGrouping GroupBy) ReadSummary(IQueryCollection query)
    {
        RefuseUnknown(query, SummaryParameters);
        var groupBy = OrderGrouping.None;
        foreach (var name in SplitList(query, GroupBy) ?? [])
        {
            groupBy |= Groupings.TryGetValue(name, out var grouping)
                ? grouping
                : throw Invalid(GroupBy, $"The query parameter 'groupBy' takes any of {string.Join(", ", Groupings.Keys)}, separated by commas; '{name}' is not one.");
        }

        return (ReadFilter(query), groupBy);
    }

    /// <summary>The query parameter a library's parameter name stands for, so that a problem names what the client sent.</summary>
    public static string QueryName(string? libraryName) => libraryName switch
    {
        "sources" => "source",
        "accounts" => "account",
        "statuses" => "status",
        "pageSize" => Limit,
        null or "" => "query",
        _ => libraryName,
    };

    private static OrderFilter ReadFilter(IQueryCollection query)
    {
        var statuses = new List<OrderStatus>();
        foreach (var name in SplitList(query, "status") ?? [])
        {
            // Names only: Enum.TryParse would take a number as well.
            if (!char.IsAsciiLetter(name[0]) || !Enum.TryParse<OrderStatus>(name, ignoreCase: true, out var status))
            {
                throw Invalid("status", $"The query parameter 'status' takes unified statuses, separated by commas: {Statuses}; '{name}' is not one.");
            }

            statuses.Add(status);
        }

        var sellerOrderId = Single(query, "sellerOrderId");
        if (sellerOrderId is { Length: 0 })
        {
            throw Invalid("sellerOrderId", "The query parameter 'sellerOrderId' must not be empty; leave it out to read every order.");
        }

        return new OrderFilter
        {
            Sources = SplitList(query, "source") ?? [],
            Accounts = SplitList(query, "account") ?? [],
            Statuses = statuses,
            CreatedAfter = Time(query, "createdAfter"),
            CreatedBefore = Time(query, "createdBefore"),
            UpdatedAfter = Time(query, "updatedAfter"),
            UpdatedBefore = Time(query, "updatedBefore"),
            SellerOrderId = sellerOrderId,
            Completeness = ReadCompleteness(query),
        };
    }

    private static OrderCompleteness? ReadCompleteness(IQueryCollection query)
    {
        if (Single(query, CompletenessName) is not { } text)
        {
            return null;
        }

        // Names only: Enum.TryParse would take a number as well.
        return CompletenessNames.Contains(text, StringComparer.OrdinalIgnoreCase)
            ? Enum.Parse<OrderCompleteness>(text, ignoreCase: true)
            : throw Invalid(CompletenessName, $"The query parameter 'completeness' must be {string.Join(" or ", CompletenessNames)}; '{text}' was given.");
    }

    // A misspelt filter would otherwise be ignored, and the answer would hold every order.
    internal static void RefuseUnknown(IQueryCollection query, IReadOnlyList<QueryParameter> accepted)
    {
        foreach (var name in query.Keys)
        {
            if (!accepted.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid(name, $"The query parameter '{name}' is not one this endpoint takes; it takes {string.Join(", ", accepted.Select(p => p.Name))}.");
            }
        }
    }

    internal static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        return values.Count == 1
            ? values[0]!.Trim()
            : throw Invalid(name, $"The query parameter '{name}' must be given once; a list's values are separated by commas in one parameter.");
    }

    private static string[]? SplitList(IQueryCollection query, string name)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        var values = text.Split(',', StringSplitOptions.TrimEntries);
        return values.Any(v => v.Length == 0)
            ? throw Invalid(name, $"The query parameter '{name}' must not hold an empty value: give its values separated by commas, or leave it out.")
            : values;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        // An offset's '+' sent unencoded arrives as a space: ISO 8601 has no space there, so it can only be that.
        var candidate = UnencodedPlus().Replace(text, "+$1");
        return Iso8601().IsMatch(candidate) && ProviderTimestamp.TryParseIso8601(candidate, out var value)
            ? value
            : throw Invalid(name, $"The query parameter '{name}' must be {TimeForm}; '{text}' was given.");
    }

    private static QueryParameterException Invalid(string parameter, string message) => new(parameter, message);

    private static OpenApiSchema List(IReadOnlyList<string>? names = null) => new()
    {
        Type = JsonSchemaType.Array,
        Items = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = names is null ? null : [.. names.Select(n => System.Text.Json.Nodes.JsonValue.Create(n))],
        },
    };

    private static OpenApiSchema Time() => new() { Type = JsonSchemaType.String, Format = "date-time" };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();

    [GeneratedRegex(@"(?<=T[0-9:.]+) (\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex UnencodedPlus();
}

/// <summary>A query parameter not accepted, named as the client sent it.</summary>
/// <param name="parameter">The parameter's name.</param>
/// <param name="message">What it accepts.</param>
internal sealed class QueryParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}

/// <summary>A query parameter of an endpoint, for the OpenAPI document: lists are one parameter, comma-separated.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Description">What it selects and what it accepts.</param>
/// <param name="Schema">Its values.</param>
internal sealed record QueryParameter(string Name, string Description, OpenApiSchema Schema);

/// <summary>Marks an endpoint with the query parameters it reads itself, for the OpenAPI document.</summary>
/// <param name="Parameters">The parameters.</param>
internal sealed record QueryParametersMetadata(IReadOnlyList<QueryParameter> Parameters);
