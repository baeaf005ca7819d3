using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OrderHub.Emulator.SellingPartner.Reports;

/// <summary>
/// The Reports API 2021-06-30 over the emulated orders, for the order reports: createReport, getReport, getReports,
/// cancelReport and getReportDocument, behind the same access tokens as the Orders API and each under its own usage
/// plan per seller; and the documents' host, which takes no access token but a pre-signed URL that expires.
/// </summary>
internal static class SpReportEndpoints
{
    /// <summary>Where the documents are served: a path of their own, as a storage host of its own would be.</summary>
    public const string DocumentsPath = "/report-documents";

    private const string Base = "/reports/2021-06-30";
    private const int MaxCreateMarketplaces = 25;
    private const int MaxListFilter = 10;
    private static readonly string[] ProcessingStatuses = ["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"];
    private static readonly TimeSpan ListDefaultReach = TimeSpan.FromDays(90);

    public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app, SpEmulatorState state)
    {
        app.MapPost($"{Base}/reports", (Delegate)((HttpContext http) => CreateReportAsync(http, state)));
        app.MapGet($"{Base}/reports", (HttpContext http) => GetReports(http, state));
        app.MapGet($"{Base}/reports/{{reportId}}", (HttpContext http, string reportId) => GetReport(http, state, reportId));
        app.MapDelete($"{Base}/reports/{{reportId}}", (HttpContext http, string reportId) => CancelReport(http, state, reportId));
        app.MapGet($"{Base}/documents/{{reportDocumentId}}", (HttpContext http, string reportDocumentId) => GetReportDocument(http, state, reportDocumentId));
        app.MapGet($"{DocumentsPath}/{{reportDocumentId}}", (HttpContext http, string reportDocumentId) => Download(http, state, reportDocumentId));
    }

    // What every operation passes first, in order: authentication, the seller's quota for it, the rate-limit header.
    private static IResult? Admit(HttpContext http, SpEmulatorState state, string operation, double rate, int burst, out IssuedToken token)
    {
        token = null!;
        state.Reports.CountRequest();
        SpEndpoints.AddRequestId(http);
        if (SpEndpoints.Authenticate(http, state) is { } denied)
        {
            return denied;
        }

        token = (IssuedToken)http.Items[nameof(IssuedToken)]!;
        if (!state.QuotaFor(token.Seller, operation, rate, burst).TryAdmit(out _))
        {
            state.CountThrottled();
            return SpEndpoints.Errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
        }

        if (state.Options.SendRateLimitHeader)
        {
            http.Response.Headers["x-amzn-RateLimit-Limit"] = rate.ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }

    // The reason in the message: clients show an error's message, not its details.
    private static IResult Invalid(string reason) => SpEndpoints.Errors(400, "InvalidInput", reason);

    private static async Task<IResult> CreateReportAsync(HttpContext http, SpEmulatorState state)
    {
        var options = state.Options.SpReports;
        if (Admit(http, state, "createReport", options.CreateReportRate, options.CreateReportBurst, out var token) is { } refused)
        {
            return refused;
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return Invalid("The request body is not JSON.");
        }

        var reportType = (body?["reportType"] as JsonValue)?.TryGetValue<string>(out var type) == true ? type : null;
        if (string.IsNullOrEmpty(reportType))
        {
            return Invalid("reportType is required.");
        }

        if (OrderReportTypes.NotServed.Contains(reportType, StringComparer.Ordinal))
        {
            return Invalid($"The emulator serves the flat-file order reports only ({string.Join(", ", OrderReportTypes.Served)}); {reportType} is a report type it does not serve.");
        }

        if (!OrderReportTypes.Served.Contains(reportType, StringComparer.Ordinal))
        {
            return Invalid($"'{reportType}' is not a report type the emulator serves: it serves {string.Join(", ", OrderReportTypes.Served)}.");
        }

        if (body!["marketplaceIds"] is not JsonArray { Count: > 0 and <= MaxCreateMarketplaces } given
            || given.Any(m => m is not JsonValue value || !value.TryGetValue<string>(out _)))
        {
            return Invalid($"marketplaceIds must list 1 to {MaxCreateMarketplaces} marketplace ids.");
        }

        var seller = state.Sellers.IndexOf(token.Seller);
        var marketplaceIds = given.Select(m => m!.GetValue<string>()).Distinct(StringComparer.Ordinal).ToArray();
        var sellerMarketplaces = state.Sellers.MarketplacesOf(seller).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        if (marketplaceIds.FirstOrDefault(m => !sellerMarketplaces.Contains(m)) is { } foreign)
        {
            return Invalid($"The seller does not sell in marketplace {foreign}.");
        }

        state.ApplyChanges();
        var now = state.TimeProvider.GetUtcNow();
        if (Time(body, "dataStartTime", now) is not { } start || Time(body, "dataEndTime", now) is not { } end)
        {
            return Invalid("dataStartTime and dataEndTime must be ISO 8601 date-times.");
        }

        if (start > now || end > now)
        {
            return Invalid("dataStartTime and dataEndTime must be prior to or equal to the current date and time.");
        }

        if (start > end)
        {
            return Invalid("dataStartTime must be prior to or equal to dataEndTime.");
        }

        if (end - start > OrderReportTypes.LongestWindow)
        {
            return Invalid($"The window from dataStartTime to dataEndTime is {(end - start).TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days; an order report covers at most {OrderReportTypes.LongestWindow.TotalDays.ToString(CultureInfo.InvariantCulture)} days.");
        }

        var report = state.Reports.Create(token.Seller, state.Sellers.RegionOf(seller) ?? "na", reportType, marketplaceIds, start, end, now, Select(state, token.Seller, reportType, marketplaceIds, start, end, now));
        return Results.Json(new JsonObject { ["reportId"] = report.ReportId }, statusCode: 202);
    }

    // The orders of a report, as it is created: the seller's, in the marketplaces asked for (the by-last-update report
    // returns every marketplace of the seller's, whatever was asked, as users report of the real one), in the window
    // on the report's date, within the report's reach: the general reports hold orders placed less than two years
    // ago, the archived one only older orders.
    private static List<SpOrderRecord> Select(SpEmulatorState state, string seller, string reportType, string[] marketplaceIds, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var byPurchase = OrderReportTypes.ByPurchaseDate(reportType);
        var everyMarketplace = reportType == OrderReportTypes.ByLastUpdate;
        var archived = reportType == OrderReportTypes.Archived;
        var reach = now - OrderReportTypes.GeneralReach;
        return [.. state.Catalog.Orders
            .Where(r => state.Owns(seller, r.OrderId))
            .Where(r => everyMarketplace || marketplaceIds.Contains(r.Order["MarketplaceId"]?.GetValue<string>(), StringComparer.Ordinal))
            .Select(r => (Record: r, Placed: SpOrderSearchEndpoints.TimeOf(r, created: true), Time: SpOrderSearchEndpoints.TimeOf(r, byPurchase)))
            .Where(o => archived ? o.Placed < reach : o.Placed >= reach)
            .Where(o => o.Time >= start && o.Time <= end)
            .OrderBy(o => o.Time)
            .ThenBy(o => o.Record.OrderId, StringComparer.Ordinal)
            .Select(o => o.Record)];
    }

    private static DateTimeOffset? Time(JsonNode body, string name, DateTimeOffset now)
    {
        if (body[name] is null)
        {
            return now; // "The default is now."
        }

        return body[name] is JsonValue value && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    private static IResult GetReport(HttpContext http, SpEmulatorState state, string reportId)
    {
        var options = state.Options.SpReports;
        if (Admit(http, state, "getReport", options.GetReportRate, options.GetReportBurst, out var token) is { } refused)
        {
            return refused;
        }

        return state.Reports.TryGet(reportId, token.Seller, out var report)
            ? Results.Json(report.ToJson(state.TimeProvider.GetUtcNow()))
            : SpEndpoints.Errors(404, "NotFound", "The report was not found.", $"No report {reportId} of this seller.");
    }

    private static IResult CancelReport(HttpContext http, SpEmulatorState state, string reportId)
    {
        var options = state.Options.SpReports;
        if (Admit(http, state, "cancelReport", options.CancelReportRate, options.CancelReportBurst, out var token) is { } refused)
        {
            return refused;
        }

        if (!state.Reports.TryGet(reportId, token.Seller, out var report))
        {
            return SpEndpoints.Errors(404, "NotFound", "The report was not found.", $"No report {reportId} of this seller.");
        }

        var now = state.TimeProvider.GetUtcNow();
        return report.TryCancel(now)
            ? Results.StatusCode(200)
            : Invalid($"Only a report whose processingStatus is IN_QUEUE can be cancelled; report {reportId} is {report.StatusAt(now)}.");
    }

    private static IResult GetReports(HttpContext http, SpEmulatorState state)
    {
        var options = state.Options.SpReports;
        if (Admit(http, state, "getReports", options.GetReportsRate, options.GetReportsBurst, out var token) is { } refused)
        {
            return refused;
        }

        var now = state.TimeProvider.GetUtcNow();
        var q = http.Request.Query;
        ListQuery query;
        var offset = 0;
        if (q["nextToken"].ToString() is { Length: > 0 } nextToken)
        {
            if (q.Count > 1)
            {
                return Invalid("nextToken must be the only parameter when it is given.");
            }

            if (!ListQuery.TryRead(nextToken, out query, out offset) || query.Seller != Hash(token.Seller))
            {
                return Invalid("The nextToken is invalid.");
            }
        }
        else if (ParseList(q, now, Hash(token.Seller), out query) is { } invalid)
        {
            return Invalid(invalid);
        }

        var matching = state.Reports.Of(token.Seller)
            .Where(r => query.Types.Contains(r.ReportType, StringComparer.Ordinal))
            .Where(r => query.Statuses.Length == 0 || query.Statuses.Contains(r.StatusAt(now), StringComparer.Ordinal))
            .Where(r => query.Marketplaces.Length == 0 || r.MarketplaceIds.Any(m => query.Marketplaces.Contains(m, StringComparer.Ordinal)))
            .Where(r => r.CreatedTime >= query.Since && r.CreatedTime <= query.Until)
            .Skip(offset)
            .Take(query.PageSize + 1)
            .ToList();
        var answer = new JsonObject { ["reports"] = new JsonArray([.. matching.Take(query.PageSize).Select(r => (JsonNode)r.ToJson(now))]) };
        if (matching.Count > query.PageSize)
        {
            answer["nextToken"] = query.Write(offset + query.PageSize);
        }

        return Results.Json(answer);
    }

    private static string? ParseList(IQueryCollection q, DateTimeOffset now, string seller, out ListQuery query)
    {
        query = null!;
        var types = Values(q["reportTypes"]).ToArray();
        if (types.Length == 0)
        {
            return "Either reportTypes or nextToken is required.";
        }

        if (types.Length > MaxListFilter)
        {
            return $"reportTypes may list at most {MaxListFilter} report types.";
        }

        var statuses = Values(q["processingStatuses"]).ToArray();
        if (statuses.FirstOrDefault(s => !ProcessingStatuses.Contains(s, StringComparer.Ordinal)) is { } badStatus)
        {
            return $"Invalid input in processing status: '{badStatus}' is not one of {string.Join(", ", ProcessingStatuses)}.";
        }

        var marketplaces = Values(q["marketplaceIds"]).ToArray();
        if (marketplaces.Length > MaxListFilter)
        {
            return $"marketplaceIds may list at most {MaxListFilter} marketplace ids.";
        }

        var pageSize = 10;
        if (q["pageSize"].ToString() is { Length: > 0 } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 100))
        {
            return "pageSize must be between 1 and 100.";
        }

        var since = now - ListDefaultReach;
        var until = now;
        if ((q["createdSince"].ToString() is { Length: > 0 } sinceText && !TryDate(sinceText, out since))
            || (q["createdUntil"].ToString() is { Length: > 0 } untilText && !TryDate(untilText, out until)))
        {
            return "createdSince and createdUntil must be ISO 8601 date-times.";
        }

        query = new ListQuery(seller, types, statuses, marketplaces, pageSize, since, until);
        return null;
    }

    private static IResult GetReportDocument(HttpContext http, SpEmulatorState state, string reportDocumentId)
    {
        var options = state.Options.SpReports;
        if (Admit(http, state, "getReportDocument", options.GetReportDocumentRate, options.GetReportDocumentBurst, out var token) is { } refused)
        {
            return refused;
        }

        var now = state.TimeProvider.GetUtcNow();
        if (!state.Reports.TryGetDocument(reportDocumentId, token.Seller, out var report) || !report.DocumentReady(now))
        {
            return SpEndpoints.Errors(404, "NotFound", "The report document was not found.", $"No report document {reportDocumentId} of this seller.");
        }

        var compressed = report.Outcome == ReportOutcome.Done;
        var encoding = compressed && http.Request.Query["enableContentEncodingUrlHeader"].ToString().Equals("true", StringComparison.OrdinalIgnoreCase) ? "gzip" : null;
        var date = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var expires = (int)Math.Ceiling(options.DocumentUrlLifetime.TotalSeconds);
        var signature = state.Reports.Sign(reportDocumentId, date, expires, encoding);
        var url = new StringBuilder($"{http.Request.Scheme}://{http.Request.Host}{DocumentsPath}/{Uri.EscapeDataString(reportDocumentId)}")
            .Append(CultureInfo.InvariantCulture, $"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}&X-Amz-SignedHeaders=host&X-Amz-Expires={expires}");
        if (encoding is not null)
        {
            url.Append("&response-content-encoding=gzip");
        }

        url.Append("&X-Amz-Signature=").Append(signature);
        var answer = new JsonObject { ["reportDocumentId"] = reportDocumentId, ["url"] = url.ToString() };
        if (compressed)
        {
            answer["compressionAlgorithm"] = "GZIP";
        }

        return Results.Json(answer);
    }

    // The documents' host answers as S3 does a pre-signed URL: every x-amz-* header must be signed (an access token
    // sent along is refused), the signature must match, and the URL must not have expired.
    private static IResult Download(HttpContext http, SpEmulatorState state, string reportDocumentId)
    {
        var reports = state.Reports;
        if (http.Request.Headers.ContainsKey("x-amz-access-token"))
        {
            reports.CountRefusedDownload(withAccessToken: true);
            return S3Error(403, "AccessDenied", "There were headers present in the request which were not signed", ("HeadersNotSigned", "x-amz-access-token"));
        }

        var q = http.Request.Query;
        var date = q["X-Amz-Date"].ToString();
        var encoding = q["response-content-encoding"].ToString() is { Length: > 0 } e ? e : null;
        if (!int.TryParse(q["X-Amz-Expires"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !DateTimeOffset.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || q["X-Amz-Signature"].ToString() is not { Length: > 0 } given)
        {
            reports.CountRefusedDownload(withAccessToken: false);
            return S3Error(403, "AccessDenied", "Query-string authentication requires the X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters");
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(reports.Sign(reportDocumentId, date, expires, encoding))))
        {
            reports.CountRefusedDownload(withAccessToken: false);
            return S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
        }

        var now = state.TimeProvider.GetUtcNow();
        var expiresAt = signedAt.AddSeconds(expires);
        if (now > expiresAt)
        {
            reports.CountRefusedDownload(withAccessToken: false);
            return S3Error(403, "AccessDenied", "Request has expired", ("X-Amz-Expires", expires.ToString(CultureInfo.InvariantCulture)), ("Expires", Iso(expiresAt)), ("ServerTime", Iso(now)));
        }

        if (!reports.TryGetDocument(reportDocumentId, out var report))
        {
            return S3Error(404, "NoSuchKey", "The specified key does not exist.", ("Key", reportDocumentId));
        }

        reports.CountDownload();
        http.Response.Headers["x-amz-request-id"] = RandomNumberGenerator.GetHexString(16);
        if (report.Outcome != ReportOutcome.Done)
        {
            return Results.Bytes(reports.Content(reportDocumentId), "application/json");
        }

        // The document's bytes are gzip whatever the header says: Content-Encoding is identity unless the URL asked
        // for gzip (enableContentEncodingUrlHeader), when an HTTP client may decompress it on its own.
        http.Response.Headers.ContentEncoding = encoding ?? "identity";
        return Results.Bytes(reports.Content(reportDocumentId), "text/tab-separated-values; charset=UTF-8");
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static IResult S3Error(int status, string code, string message, params (string Name, string Value)[] extra)
    {
        var error = new XElement("Error", new XElement("Code", code), new XElement("Message", message));
        foreach (var (name, value) in extra)
        {
            error.Add(new XElement(name, value));
        }

        error.Add(new XElement("RequestId", RandomNumberGenerator.GetHexString(16)));
        return Results.Text(new XDocument(new XDeclaration("1.0", "UTF-8", null), error).Declaration + error.ToString(SaveOptions.DisableFormatting), "application/xml", Encoding.UTF8, status);
    }

    private static IEnumerable<string> Values(StringValues values) =>
        values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool TryDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    // A page token names its seller by a hash: it carries no refresh token.
    private static string Hash(string seller) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seller)), 0, 8);

    private sealed record ListQuery(string Seller, string[] Types, string[] Statuses, string[] Marketplaces, int PageSize, DateTimeOffset Since, DateTimeOffset Until)
    {
        public string Write(int offset) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["s"] = Seller,
            ["t"] = new JsonArray([.. Types.Select(t => (JsonNode)t)]),
            ["p"] = new JsonArray([.. Statuses.Select(t => (JsonNode)t)]),
            ["m"] = new JsonArray([.. Marketplaces.Select(t => (JsonNode)t)]),
            ["n"] = PageSize,
            ["a"] = Since.UtcTicks,
            ["b"] = Until.UtcTicks,
            ["o"] = offset,
        }));

        public static bool TryRead(string text, out ListQuery query, out int offset)
        {
            query = null!;
            offset = 0;
            try
            {
                var node = JsonNode.Parse(Convert.FromBase64String(text))!;
                string[] Strings(string name) => [.. node[name]!.AsArray().Select(v => v!.GetValue<string>())];
                query = new ListQuery(
                    node["s"]!.GetValue<string>(),
                    Strings("t"),
                    Strings("p"),
                    Strings("m"),
                    node["n"]!.GetValue<int>(),
                    new DateTimeOffset(node["a"]!.GetValue<long>(), TimeSpan.Zero),
                    new DateTimeOffset(node["b"]!.GetValue<long>(), TimeSpan.Zero));
                offset = node["o"]!.GetValue<int>();
                return true;
            }
            catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
            {
                return false;
            }
        }
    }
}
