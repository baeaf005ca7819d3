using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OrderHub.Http;
using OrderHub.Providers;
using OrderHub.RateLimits;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Reports;

/// <summary>
/// A seller's order history through the Reports API 2021-06-30: <c>createReport</c> for a window of at most 30 days
/// (<see cref="SellingPartnerOrderReports.ByOrderDate"/> within two years, <see cref="SellingPartnerOrderReports.ArchivedByOrderDate"/>
/// before), <c>getReport</c> for its state, <c>getReports</c> to find a finished one again, <c>getReportDocument</c> and
/// the document's pre-signed URL to read it. Each operation spends its own bucket, shared like getOrder's; the
/// document is downloaded without any OrderHub credential and read as it arrives.
/// </summary>
internal sealed partial class SellingPartnerReports
{
    private readonly SellingPartnerClient _client;
    private readonly IAccessTokenSource _tokens;
    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly ReportDocumentDownload _download;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ThrottleMode _throttleMode;
    private readonly string[] _marketplaceIds;

    public SellingPartnerReports(
        SellingPartnerClient client,
        IAccessTokenSource tokens,
        RateLimiterRegistry rateLimiters,
        string partition,
        SellingPartnerOrderSourceOptions options,
        UpstreamContext context,
        ThrottleMode throttleMode)
    {
        _client = client;
        _tokens = tokens;
        _options = options;
        _clock = context.Clock;
        _logger = context.Logger;
        _throttleMode = throttleMode;
        _download = new ReportDocumentDownload(context.Transport, context.Clock, options.AttemptTimeout);
        _marketplaceIds = [.. (options.MarketplaceIds ?? []).Distinct(StringComparer.Ordinal)];

        IQuotaLimiter Limiter(string operation, double rate, int burst) => rateLimiters.GetOrAdd(
            new QuotaDefinition($"{partition}|{operation}", rate * (1 - options.PacingMargin), burst) { RefillDelayAfterBurst = options.BurstLatencyAllowance });
        CreateLimiter = Limiter(SellingPartnerDefaults.CreateReportOperation, options.CreateReportPermitsPerSecond, options.CreateReportBurst);
        GetLimiter = Limiter(SellingPartnerDefaults.GetReportOperation, options.GetReportPermitsPerSecond, options.GetReportBurst);
        ListLimiter = Limiter(SellingPartnerDefaults.GetReportsOperation, options.GetReportsPermitsPerSecond, options.GetReportsBurst);
        DocumentLimiter = Limiter(SellingPartnerDefaults.GetReportDocumentOperation, options.GetReportDocumentPermitsPerSecond, options.GetReportDocumentBurst);
        Rules = new OrderBackfillRules
        {
            MaxWindow = SellingPartnerDefaults.MaxReportWindow,
            RegularHistory = SellingPartnerDefaults.ReportRegularHistory,
            MaxHistory = null,
            MaxJobsInFlight = options.CreateReportBurst,
            PollInterval = options.ReportPollInterval,
            MaxPollInterval = options.ReportMaxPollInterval,
            FailedRetryDelay = options.FailedReportRetryDelay,
            DataLag = SellingPartnerDefaults.ReportDataLag,
        };
    }

    public OrderBackfillRules Rules { get; }

    /// <summary>Gets the bucket of <c>createReport</c>.</summary>
    public IQuotaLimiter CreateLimiter { get; }

    /// <summary>Gets the bucket of <c>getReport</c>.</summary>
    public IQuotaLimiter GetLimiter { get; }

    /// <summary>Gets the bucket of <c>getReports</c>.</summary>
    public IQuotaLimiter ListLimiter { get; }

    /// <summary>Gets the bucket of <c>getReportDocument</c>.</summary>
    public IQuotaLimiter DocumentLimiter { get; }

    private string SourceName => _options.SourceName;

    /// <summary>Maps a report's <c>processingStatus</c>; an unknown word is <see cref="OrderBackfillJobState.Unknown"/>, never an error.</summary>
    public static OrderBackfillJobState StateOf(string? processingStatus) => processingStatus switch
    {
        "IN_QUEUE" => OrderBackfillJobState.Queued,
        "IN_PROGRESS" => OrderBackfillJobState.InProgress,
        "DONE" => OrderBackfillJobState.Done,
        "CANCELLED" => OrderBackfillJobState.Empty,
        "FATAL" => OrderBackfillJobState.Failed,
        _ => OrderBackfillJobState.Unknown,
    };

    /// <summary>The report type that covers a window, checked against the rules first.</summary>
    /// <exception cref="InvalidOrderRequestException">The window is empty, longer than 30 days, reaches into the future or across the two-year line, or no marketplace is configured.</exception>
    public string ReportTypeFor(OrderBackfillWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var context = new OrderErrorContext(SourceName);
        if (window.End <= window.Start)
        {
            throw Invalid($"The window {window} is empty: its start must be before its end.", context, nameof(window));
        }

        var length = window.End - window.Start;
        if (length > Rules.MaxWindow)
        {
            throw Invalid(
                string.Create(CultureInfo.InvariantCulture, $"The window {window} covers {length.TotalDays:0.##} days; an order report covers at most {Rules.MaxWindow.TotalDays:0} days. Split it into windows of at most {Rules.MaxWindow.TotalDays:0} days."),
                context,
                nameof(window));
        }

        var now = _clock.GetUtcNow();
        if (window.End > now)
        {
            throw Invalid($"The window {window} ends in the future (it is {Stamp(now)}): a report covers what has happened, up to now at the latest.", context, nameof(window));
        }

        if (_marketplaceIds.Length == 0)
        {
            throw Invalid(
                $"Source {SourceName} has no MarketplaceIds: createReport needs at least one marketplace the seller sells in (for example ATVPDKIKX0DER for amazon.com). Set MarketplaceIds in the source's options (OrderHub:Sources:{SourceName}:MarketplaceIds).",
                context,
                nameof(SellingPartnerOrderSourceOptions.MarketplaceIds));
        }

        var regularFrom = now - Rules.RegularHistory;
        if (window.Start >= regularFrom)
        {
            return SellingPartnerOrderReports.ByOrderDate;
        }

        if (window.End <= regularFrom)
        {
            return SellingPartnerOrderReports.ArchivedByOrderDate;
        }

        throw Invalid(
            $"The window {window} spans the two-year line at {Stamp(regularFrom)}: orders placed before it are in {SellingPartnerOrderReports.ArchivedByOrderDate}, later ones in {SellingPartnerOrderReports.ByOrderDate}. Split the window there.",
            context,
            nameof(window));
    }

    public async Task<OrderBackfillJob> RequestAsync(OrderBackfillWindow window, CancellationToken cancellationToken)
    {
        var reportType = ReportTypeFor(window);
        var context = new OrderErrorContext(SourceName);
        var body = new CreateReportSpecification(reportType, _marketplaceIds, Stamp(window.Start), Stamp(window.End));

        // A createReport that may have reached Amazon is not sent again: that would be a second report.
        var call = _client.Call(_tokens, CreateLimiter, _throttleMode, context, SellingPartnerDefaults.CreateReportOperation, mayRepeat: false);
        var response = await _client.SendAsync(call, (api, c, ct) => api.CreateReportAsync(body, c, ct), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.CreateReportOperation, CreateLimiter.ReplenishmentPeriod);
        }

        var created = Read(response, context, SellingPartnerJsonContext.Default.CreateReportResponse);
        if (string.IsNullOrEmpty(created?.ReportId))
        {
            throw SellingPartnerErrors.Malformed(response, context, "the createReport answer has no reportId");
        }

        return new OrderBackfillJob
        {
            JobId = created.ReportId,
            Window = window,
            State = OrderBackfillJobState.Queued,
            RequestId = response.RequestId,
        };
    }

    public async Task<OrderBackfillJob> GetAsync(OrderBackfillJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.JobId, nameof(job));
        var context = new OrderErrorContext(SourceName);
        var call = _client.Call(_tokens, GetLimiter, _throttleMode, context, SellingPartnerDefaults.GetReportOperation);
        var response = await _client.SendAsync(call, (api, c, ct) => api.GetReportAsync(job.JobId, c, ct), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.GetReportOperation, GetLimiter.ReplenishmentPeriod);
        }

        var report = Read(response, context, SellingPartnerJsonContext.Default.ReportWire)
            ?? throw SellingPartnerErrors.Malformed(response, context, "the getReport answer is not a report");
        if (report.ReportId is { } id && !string.Equals(id, job.JobId, StringComparison.Ordinal))
        {
            throw SellingPartnerErrors.Malformed(response, context, "the getReport answer is for another report");
        }

        return JobOf(report, job.Window, response);
    }

    public async Task<OrderBackfillJob?> FindFinishedAsync(OrderBackfillWindow window, CancellationToken cancellationToken)
    {
        var reportType = ReportTypeFor(window);
        var context = new OrderErrorContext(SourceName);
        var first = new GetReportsParameters
        {
            ReportTypes = [reportType],
            ProcessingStatuses = ["DONE", "CANCELLED"],
            MarketplaceIds = _marketplaceIds.Length <= SellingPartnerDefaults.MaxReportFilterMarketplaces ? _marketplaceIds : null,
            PageSize = SellingPartnerDefaults.ReportsPageSize,
            CreatedSince = Stamp(_clock.GetUtcNow() - SellingPartnerDefaults.ReportRetention),
        };
        var parameters = first;
        OrderBackfillJob? found = null;
        DateTimeOffset foundCreated = default;
        for (var page = 0; page < SellingPartnerDefaults.MaxReportListPages; page++)
        {
            var call = _client.Call(_tokens, ListLimiter, _throttleMode, context, SellingPartnerDefaults.GetReportsOperation);
            var query = parameters;
            var response = await _client.SendAsync(call, (api, c, ct) => api.GetReportsAsync(query, c, ct), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.GetReportsOperation, ListLimiter.ReplenishmentPeriod);
            }

            var list = Read(response, context, SellingPartnerJsonContext.Default.GetReportsResponse);
            if (list?.Reports is not { } reports)
            {
                throw SellingPartnerErrors.Malformed(response, context, "the getReports answer has no 'reports' array");
            }

            foreach (var report in reports)
            {
                // A finished report of exactly this window, type and marketplaces; a DONE one before a CANCELLED one,
                // the newest of each. A CANCELLED report counts only if it was processed (and found nothing): one
                // cancelled in the queue says nothing of the window.
                if (report is null || !Covers(report, reportType, window))
                {
                    continue;
                }

                var state = StateOf(report.ProcessingStatus);
                if ((state == OrderBackfillJobState.Empty && report.ProcessingStartTime is null) || state is not (OrderBackfillJobState.Done or OrderBackfillJobState.Empty))
                {
                    continue;
                }

                var created = Instant(report.CreatedTime) ?? DateTimeOffset.MinValue;
                var better = found is null
                    || (state == OrderBackfillJobState.Done && found.State != OrderBackfillJobState.Done)
                    || (state == found.State && created > foundCreated);
                if (better)
                {
                    found = JobOf(report, window, response);
                    foundCreated = created;
                }
            }

            if (found?.State == OrderBackfillJobState.Done || string.IsNullOrEmpty(list.NextToken))
            {
                break;
            }

            parameters = new GetReportsParameters { NextToken = list.NextToken };
        }

        return found;
    }

    /// <summary>Checks the job now, then reads its document as the caller asks for orders.</summary>
    public IAsyncEnumerable<Order> ReadAsync(OrderBackfillJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State != OrderBackfillJobState.Done || string.IsNullOrEmpty(job.DocumentId))
        {
            throw Invalid(
                $"Report {job.JobId} is {job.RawState ?? job.State.ToString()}{(job.DocumentId is null ? " without a document" : string.Empty)}: only a report that is done (DONE, with its reportDocumentId) can be read.",
                new OrderErrorContext(SourceName),
                nameof(job));
        }

        return ReadDocumentAsync(job, job.DocumentId, cancellationToken);
    }

    private async IAsyncEnumerable<Order> ReadDocumentAsync(OrderBackfillJob job, string documentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (response, document, requestId) = await OpenDocumentAsync(job, documentId, cancellationToken).ConfigureAwait(false);
        var context = new OrderErrorContext(SourceName) { RequestId = requestId };
        using (response)
        {
            var reader = new OrderReportReader(SourceName);
            IAsyncEnumerator<Order> orders;
            try
            {
                var body = await ReportDocumentDownload.OpenAsync(response, document.Gzip, cancellationToken).ConfigureAwait(false);
                orders = reader.ReadAsync(body, ReportDocumentDownload.EncodingOf(response), cancellationToken).GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception e) when (Broken(e))
            {
                throw DownloadBroken(job, reader, context, e);
            }

            await using (orders.ConfigureAwait(false))
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await orders.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (ReportDocumentException e)
                    {
                        throw new OrderSourceProtocolException($"The document of report {job.JobId} could not be read: {e.What}.", null, context, e);
                    }
                    catch (CsvHelper.CsvFormatException e)
                    {
                        // Its message leaves values out (IncludeValuesInExceptions is off), but is not repeated: the row number says where.
                        throw new OrderSourceProtocolException(
                            string.Create(CultureInfo.InvariantCulture, $"The document of report {job.JobId} is not a tab-separated flat file past row {reader.Summary.Rows} (a row longer than {OrderReportReader.MaxRowBytes} bytes, or malformed)."),
                            null,
                            context,
                            e);
                    }
                    catch (InvalidDataException e)
                    {
                        throw new OrderSourceProtocolException($"The document of report {job.JobId} is said to be gzip but is not valid gzip.", null, context, e);
                    }
                    catch (Exception e) when (Broken(e))
                    {
                        throw DownloadBroken(job, reader, context, e);
                    }

                    if (!more)
                    {
                        break;
                    }

                    yield return orders.Current;
                }
            }

            var summary = reader.Summary;
            if (summary.Skipped > 0 || summary.LeftOut.Count > 0)
            {
                LogRowsSkipped(_logger, SourceName, job.JobId, summary.Rows, summary.Orders, summary.SkippedWithoutOrderId, summary.SkippedMalformedDate, summary.FirstSkippedRow, summary.DescribeLeftOut());
            }
        }
    }

    // getReportDocument, then the download at once: the URL lasts 5 minutes. A URL the document host refuses (expired,
    // as after a long wait for a permit) is asked for again, a few times.
    private async Task<(HttpResponseMessage Response, (Uri Url, bool Gzip) Document, string? RequestId)> OpenDocumentAsync(OrderBackfillJob job, string documentId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (document, requestId) = await GetDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
            var context = new OrderErrorContext(SourceName) { RequestId = requestId };
            HttpResponseMessage response;
            try
            {
                response = await _download.SendAsync(document.Url, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException)
            {
                throw new OrderSourceUnavailableException(
                    $"The document of report {job.JobId} could not be downloaded from {document.Url.Host} ({(e is TimeoutException ? "no answer within the attempt timeout" : "the connection failed")}).",
                    context,
                    e)
                { TimedOut = e is TimeoutException };
            }

            var status = response.StatusCode;
            if ((int)status is >= 200 and < 300)
            {
                return (response, document, requestId);
            }

            var hostRequestId = UpstreamHttp.Header(response, ReportDocumentDownload.HostRequestIdHeader);
            var excerpt = await ReportDocumentDownload.ExcerptAsync(response, cancellationToken).ConfigureAwait(false);
            response.Dispose();
            context = context with { StatusCode = status };
            if (ReportDocumentDownload.IsRefusedUrl(status))
            {
                if (attempt < SellingPartnerDefaults.ReportDocumentUrlAttempts)
                {
                    LogUrlRefused(_logger, SourceName, job.JobId, (int)status, hostRequestId, attempt);
                    continue;
                }

                throw new OrderSourceUnavailableException(
                    string.Create(CultureInfo.InvariantCulture, $"The document host {document.Url.Host} refused the URL of report {job.JobId}'s document {attempt} times (HTTP {(int)status}, request {hostRequestId ?? "unnamed"}), each a new one from getReportDocument."),
                    context);
            }

            if ((int)status >= 500)
            {
                throw new OrderSourceUnavailableException(
                    string.Create(CultureInfo.InvariantCulture, $"The document host {document.Url.Host} failed the download of report {job.JobId} (HTTP {(int)status}, request {hostRequestId ?? "unnamed"})."),
                    context);
            }

            throw new OrderSourceProtocolException(
                string.Create(CultureInfo.InvariantCulture, $"The document host {document.Url.Host} answered the download of report {job.JobId} with HTTP {(int)status} (request {hostRequestId ?? "unnamed"}), not a document."),
                excerpt,
                context);
        }
    }

    private async Task<((Uri Url, bool Gzip) Document, string? RequestId)> GetDocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        var context = new OrderErrorContext(SourceName);
        var call = _client.Call(_tokens, DocumentLimiter, _throttleMode, context, SellingPartnerDefaults.GetReportDocumentOperation);
        var response = await _client.SendAsync(call, (api, c, ct) => api.GetReportDocumentAsync(documentId, c, ct), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.GetReportDocumentOperation, DocumentLimiter.ReplenishmentPeriod);
        }

        var document = Read(response, context, SellingPartnerJsonContext.Default.ReportDocumentWire);
        if (document?.Url is not { } text || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw SellingPartnerErrors.Malformed(response, context, "the getReportDocument answer has no absolute http or https 'url'");
        }

        var compression = document.CompressionAlgorithm;
        if (compression is not null && !string.Equals(compression, "GZIP", StringComparison.OrdinalIgnoreCase))
        {
            throw SellingPartnerErrors.Malformed(response, context, $"the document's compressionAlgorithm is '{compression}', where GZIP is the only one documented");
        }

        return ((url, compression is not null), response.RequestId);
    }

    private OrderBackfillJob JobOf(ReportWire report, OrderBackfillWindow window, SellingPartnerResponse response)
    {
        var state = StateOf(report.ProcessingStatus);
        if (state == OrderBackfillJobState.Done && string.IsNullOrEmpty(report.ReportDocumentId))
        {
            throw SellingPartnerErrors.Malformed(response, new OrderErrorContext(SourceName), "a DONE report has no reportDocumentId");
        }

        return new OrderBackfillJob
        {
            JobId = report.ReportId ?? throw SellingPartnerErrors.Malformed(response, new OrderErrorContext(SourceName), "a report has no reportId"),
            Window = window,
            State = state,
            RawState = report.ProcessingStatus,
            DocumentId = string.IsNullOrEmpty(report.ReportDocumentId) ? null : report.ReportDocumentId,
            RequestId = response.RequestId,
        };
    }

    // The window's ends compared as instants, to the millisecond the request sent them at; the marketplaces as a set.
    private bool Covers(ReportWire report, string reportType, OrderBackfillWindow window) =>
        string.Equals(report.ReportType, reportType, StringComparison.Ordinal)
        && Instant(report.DataStartTime) is { } start && ToMilliseconds(start) == ToMilliseconds(window.Start)
        && Instant(report.DataEndTime) is { } end && ToMilliseconds(end) == ToMilliseconds(window.End)
        && (report.MarketplaceIds is null || report.MarketplaceIds.ToHashSet(StringComparer.Ordinal).SetEquals(_marketplaceIds));

    private static long ToMilliseconds(DateTimeOffset instant) => instant.UtcTicks / TimeSpan.TicksPerMillisecond;

    private static DateTimeOffset? Instant(string? text) => ProviderTimestamp.TryParseIso8601(text, out var value) ? value : null;

    private static T? Read<T>(SellingPartnerResponse response, OrderErrorContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type);
        }
        catch (JsonException e)
        {
            throw SellingPartnerErrors.Malformed(response, context, $"the body is not the documented JSON (at {e.Path ?? "$"}, or it was cut short)", e);
        }
    }

    private static bool Broken(Exception e) => e is IOException or HttpRequestException;

    private static OrderSourceUnavailableException DownloadBroken(OrderBackfillJob job, OrderReportReader reader, OrderErrorContext context, Exception e) => new(
        string.Create(CultureInfo.InvariantCulture, $"The download of report {job.JobId} broke off after {reader.Summary.Rows} rows ({reader.Summary.Orders} orders); read the report again."),
        context,
        e);

    // UTC to the millisecond, as the Reports API writes its times.
    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static InvalidOrderRequestException Invalid(string message, OrderErrorContext context, string parameter) => new(message, context) { ParameterName = parameter };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} report {ReportId}: {Skipped} of {Rows} rows skipped ({WithoutOrderId} without amazon-order-id, {MalformedDate} with a malformed purchase-date or last-updated-date; the first is data row {FirstRow}), {Orders} orders read; values left out by column: {LeftOut}.")]
    private static partial void LogRowsSkippedCore(ILogger logger, string source, string reportId, long skipped, long rows, long withoutOrderId, long malformedDate, long? firstRow, long orders, string leftOut);

    private static void LogRowsSkipped(ILogger logger, string source, string reportId, long rows, long orders, long withoutOrderId, long malformedDate, long? firstRow, string leftOut) =>
        LogRowsSkippedCore(logger, source, reportId, withoutOrderId + malformedDate, rows, withoutOrderId, malformedDate, firstRow, orders, leftOut.Length == 0 ? "none" : leftOut);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} report {ReportId}: the document host refused its URL (HTTP {Status}, request {HostRequestId}) on attempt {Attempt}; asking getReportDocument for a new one.")]
    private static partial void LogUrlRefused(ILogger logger, string source, string reportId, int status, string? hostRequestId, int attempt);
}
