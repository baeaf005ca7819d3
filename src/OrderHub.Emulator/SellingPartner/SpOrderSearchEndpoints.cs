using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OrderHub.Emulator.SellingPartner;

/// <summary>
/// Orders 2026-01-01 <c>searchOrders</c> and v0 <c>getOrders</c> over the emulated orders: the documented filters, one
/// family of dates, the two-minute settle rule, ordering by the filtered time, keyset pages whose tokens bind the query
/// and expire, and each operation's usage plan per seller.
/// </summary>
internal static class SpOrderSearchEndpoints
{
    private static readonly string[] FulfillmentStatuses = ["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"];
    private static readonly string[] FulfilledBy = ["MERCHANT", "AMAZON"];
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMinutes(2);
    private const int MaxMarketplaces = 50;

    public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app, SpEmulatorState state)
    {
        app.MapGet("/orders/2026-01-01/orders", (HttpContext http) => Search(http, state, Dialect.V20260101));
        app.MapGet("/orders/v0/orders", (HttpContext http) => Search(http, state, Dialect.V0));
    }

    private enum Dialect
    {
        V0,
        V20260101,
    }

    private static IResult Search(HttpContext http, SpEmulatorState state, Dialect dialect)
    {
        state.CountPageRequest();
        SpEndpoints.AddRequestId(http);
        if (SpEndpoints.Authenticate(http, state) is { } denied)
        {
            return denied;
        }

        var token = (IssuedToken)http.Items[nameof(IssuedToken)]!;
        var v0 = dialect == Dialect.V0;
        var quota = v0
            ? state.QuotaFor(token.Seller, "getOrders", state.Options.SpGetOrdersRate, state.Options.SpGetOrdersBurst)
            : state.QuotaFor(token.Seller, "searchOrders", state.Options.SpSearchOrdersRate, state.Options.SpSearchOrdersBurst);
        if (!quota.TryAdmit(out _))
        {
            state.CountThrottled();
            return SpEndpoints.Errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
        }

        state.CountPageAdmitted();
        if (state.Options.SendRateLimitHeader)
        {
            http.Response.Headers["x-amzn-RateLimit-Limit"] = (v0 ? state.Options.SpGetOrdersRate : state.Options.SpSearchOrdersRate).ToString(CultureInfo.InvariantCulture);
        }

        state.ApplyChanges();
        var now = state.TimeProvider.GetUtcNow();
        if (Parse(http.Request.Query, dialect, now, out var query) is { } invalid)
        {
            return SpEndpoints.Errors(400, "InvalidInput", "Invalid input.", invalid);
        }

        var pageToken = http.Request.Query[v0 ? "NextToken" : "paginationToken"].ToString();
        var after = ((DateTimeOffset Time, string Id)?)null;
        var bound = query.Before ?? now - SettleDelay;
        if (pageToken.Length > 0)
        {
            if (!PageToken.TryRead(pageToken, out var page) || page.Query != query.Hash)
            {
                return SpEndpoints.Errors(400, "InvalidInput", "Invalid input.", "The pagination token is invalid, or was issued for other parameters.");
            }

            if (now - page.IssuedAt > state.Options.SpPageTokenLifetime)
            {
                return SpEndpoints.Errors(400, "InvalidInput", "Invalid input.", "The pagination token has expired.");
            }

            after = (page.LastTime, page.LastId);
            bound = page.Bound;
        }

        var restricted = token.Restricted;
        var selected = state.Catalog.Orders
            .Where(r => state.Owns(token.Seller, r.OrderId))
            .Select(r => (Record: r, Time: TimeOf(r, query.Created)))
            .Where(o => o.Time >= query.After && o.Time <= bound && query.Matches(o.Record))
            .Where(o => after is not { } last || o.Time > last.Time || (o.Time == last.Time && string.CompareOrdinal(o.Record.OrderId, last.Id) > 0))
            .OrderBy(o => o.Time)
            .ThenBy(o => o.Record.OrderId, StringComparer.Ordinal)
            .Take(query.PageSize + 1)
            .ToList();
        var more = selected.Count > query.PageSize;
        var items = selected.Take(query.PageSize).ToList();
        var next = more ? new PageToken(query.Hash, items[^1].Time, items[^1].Record.OrderId, bound, now).Write() : null;
        var boundName = query.Created ? "CreatedBefore" : "LastUpdatedBefore";
        if (v0)
        {
            var payload = new JsonObject { ["Orders"] = new JsonArray([.. items.Select(o => (JsonNode)o.Record.ToPayload(restricted))]), [boundName] = Stamp(bound) };
            if (next is not null)
            {
                payload["NextToken"] = next;
            }

            return Results.Json(new JsonObject { ["payload"] = payload });
        }

        var includedData = Orders20260101View.Granted(Values(http.Request.Query["includedData"]).ToHashSet(StringComparer.Ordinal), state.Options.SpRestrictedRoleGranted);
        var answer = new JsonObject { ["orders"] = new JsonArray([.. items.Select(o => (JsonNode)Orders20260101View.Build(o.Record, includedData))]) };
        if (next is not null)
        {
            answer["pagination"] = new JsonObject { ["nextToken"] = next };
        }

        answer[query.Created ? "createdBefore" : "lastUpdatedBefore"] = Stamp(bound);
        return Results.Json(answer);
    }

    private static string? Parse(IQueryCollection q, Dialect dialect, DateTimeOffset now, out SearchQuery query)
    {
        query = null!;
        var v0 = dialect == Dialect.V0;
        string Name(string camel) => v0 ? char.ToUpperInvariant(camel[0]) + camel[1..] : camel;
        var createdAfter = q[Name("createdAfter")].ToString();
        var createdBefore = q[Name("createdBefore")].ToString();
        var updatedAfter = q[Name("lastUpdatedAfter")].ToString();
        var updatedBefore = q[Name("lastUpdatedBefore")].ToString();
        if ((createdAfter.Length > 0) == (updatedAfter.Length > 0))
        {
            return $"Exactly one of {Name("createdAfter")} and {Name("lastUpdatedAfter")} must be given.";
        }

        var created = createdAfter.Length > 0;
        if (created ? updatedBefore.Length > 0 : createdBefore.Length > 0)
        {
            return $"{Name("createdAfter")}/{Name("createdBefore")} and {Name("lastUpdatedAfter")}/{Name("lastUpdatedBefore")} cannot be mixed.";
        }

        if (!TryDate(created ? createdAfter : updatedAfter, out var afterTime))
        {
            return "The start date is not an ISO 8601 date-time.";
        }

        DateTimeOffset? before = null;
        var beforeText = created ? createdBefore : updatedBefore;
        if (beforeText.Length > 0)
        {
            if (!TryDate(beforeText, out var parsed))
            {
                return "The end date is not an ISO 8601 date-time.";
            }

            if (parsed < afterTime)
            {
                return "The end date must be equal to or after the start date.";
            }

            if (parsed > now - SettleDelay)
            {
                return "The end date must be at least two minutes before the time of the request.";
            }

            before = parsed;
        }

        if (afterTime > now)
        {
            return "The start date must be in the past.";
        }

        var marketplaces = Values(q[Name("marketplaceIds")]).ToArray();
        if (marketplaces.Length > MaxMarketplaces)
        {
            return $"At most {MaxMarketplaces} marketplace ids may be given.";
        }

        if (v0 && marketplaces.Length == 0)
        {
            return "MarketplaceIds is required.";
        }

        string[] statuses;
        string[] channels;
        if (v0)
        {
            statuses = [.. Values(q["OrderStatuses"])];
            if (statuses.FirstOrDefault(s => !SpOrderCatalog.Statuses.Contains(s, StringComparer.Ordinal)) is { } badStatus)
            {
                return $"'{badStatus}' is not an OrderStatus.";
            }

            channels = [.. Values(q["FulfillmentChannels"])];
            if (channels.FirstOrDefault(c => !SpOrderCatalog.Channels.Contains(c, StringComparer.Ordinal)) is { } badChannel)
            {
                return $"'{badChannel}' is not a FulfillmentChannel.";
            }
        }
        else
        {
            var fulfillment = Values(q["fulfillmentStatuses"]).ToArray();
            if (fulfillment.FirstOrDefault(s => !FulfillmentStatuses.Contains(s, StringComparer.Ordinal)) is { } badStatus)
            {
                return $"'{badStatus}' is not a fulfillment status.";
            }

            // Matched through the v0 status each record holds.
            statuses = [.. Orders20260101View.FulfillmentStatuses.Where(p => fulfillment.Contains(p.Value, StringComparer.Ordinal)).Select(p => p.Key)];
            if (fulfillment.Length > 0 && statuses.Length == 0)
            {
                statuses = ["-"];
            }

            var by = Values(q["fulfilledBy"]).ToArray();
            if (by.FirstOrDefault(b => !FulfilledBy.Contains(b, StringComparer.Ordinal)) is { } badParty)
            {
                return $"'{badParty}' is not a fulfilledBy value.";
            }

            channels = [.. by.Select(b => b == "AMAZON" ? "AFN" : "MFN")];
            if (Values(q["includedData"]).FirstOrDefault(d => !Orders20260101View.Datasets.Contains(d, StringComparer.Ordinal)) is { } badDataset)
            {
                return $"includedData has an unknown dataset '{badDataset}'.";
            }
        }

        var size = 100;
        var sizeText = q[Name("maxResultsPerPage")].ToString();
        if (sizeText.Length > 0 && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 100))
        {
            return "maxResultsPerPage must be between 1 and 100.";
        }

        query = new SearchQuery(created, afterTime, before, marketplaces, statuses, channels, size);
        return null;
    }

    private static IEnumerable<string> Values(StringValues values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool TryDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    // A record is replaced, never changed, once listed: its times are parsed once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SpOrderRecord, Tuple<DateTimeOffset, DateTimeOffset>> Times = new();

    internal static DateTimeOffset TimeOf(SpOrderRecord record, bool created)
    {
        var times = Times.GetValue(record, static r => Tuple.Create(Parse(r, "PurchaseDate"), Parse(r, "LastUpdateDate")));
        return created ? times.Item1 : times.Item2;

        static DateTimeOffset Parse(SpOrderRecord r, string name) =>
            DateTimeOffset.Parse(r.Order[name]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record SearchQuery(bool Created, DateTimeOffset After, DateTimeOffset? Before, string[] Marketplaces, string[] Statuses, string[] Channels, int PageSize)
    {
        // What a page token binds: every filter but the page size (and the datasets), as documented.
        public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|',
            Created, After.UtcTicks, Before?.UtcTicks, string.Join(',', Marketplaces.Order(StringComparer.Ordinal)),
            string.Join(',', Statuses.Order(StringComparer.Ordinal)), string.Join(',', Channels.Order(StringComparer.Ordinal))))), 0, 12);

        public bool Matches(SpOrderRecord record)
        {
            var order = record.Order;
            return (Marketplaces.Length == 0 || Marketplaces.Contains(order["MarketplaceId"]?.GetValue<string>(), StringComparer.Ordinal))
                && (Statuses.Length == 0 || Statuses.Contains(order["OrderStatus"]?.GetValue<string>(), StringComparer.Ordinal))
                && (Channels.Length == 0 || Channels.Contains(order["FulfillmentChannel"]?.GetValue<string>(), StringComparer.Ordinal));
        }
    }

    private sealed record PageToken(string Query, DateTimeOffset LastTime, string LastId, DateTimeOffset Bound, DateTimeOffset IssuedAt)
    {
        public string Write() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(
            new JsonObject { ["q"] = Query, ["t"] = LastTime.UtcTicks, ["id"] = LastId, ["b"] = Bound.UtcTicks, ["i"] = IssuedAt.UtcTicks }));

        public static bool TryRead(string text, out PageToken token)
        {
            token = null!;
            try
            {
                var node = JsonNode.Parse(Convert.FromBase64String(text))!;
                token = new PageToken(
                    node["q"]!.GetValue<string>(),
                    new DateTimeOffset(node["t"]!.GetValue<long>(), TimeSpan.Zero),
                    node["id"]!.GetValue<string>(),
                    new DateTimeOffset(node["b"]!.GetValue<long>(), TimeSpan.Zero),
                    new DateTimeOffset(node["i"]!.GetValue<long>(), TimeSpan.Zero));
                return true;
            }
            catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
            {
                return false;
            }
        }
    }
}
