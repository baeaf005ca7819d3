using System.Globalization;
using System.Text.Json.Nodes;

namespace OrderHub.Emulator.SellingPartner.Reports;

/// <summary>How a report ends once processed: decided when it is created, revealed at its processing end.</summary>
internal enum ReportOutcome
{
    /// <summary>A document with the rows.</summary>
    Done,

    /// <summary>No order in the window: <c>CANCELLED</c>, as Amazon answers an empty window.</summary>
    NoData,

    /// <summary>A failure: <c>FATAL</c>.</summary>
    Fatal,
}

/// <summary>One report a seller asked for, with the orders it holds (those of its window when it was created).</summary>
internal sealed class EmulatedReport
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _cancelledAt;

    public required string ReportId { get; init; }

    /// <summary>Gets the refresh token of the seller it belongs to.</summary>
    public required string Seller { get; init; }

    public required string ReportType { get; init; }

    public required IReadOnlyList<string> MarketplaceIds { get; init; }

    public required DateTimeOffset DataStartTime { get; init; }

    public required DateTimeOffset DataEndTime { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public required DateTimeOffset ProcessingStartTime { get; init; }

    public required DateTimeOffset ProcessingEndTime { get; init; }

    public required ReportOutcome Outcome { get; init; }

    /// <summary>Gets the orders it holds, in purchase (or update) order.</summary>
    public required IReadOnlyList<SpOrderRecord> Orders { get; init; }

    /// <summary>Gets its document's id: the rows when it is done, the error when it failed; none when cancelled.</summary>
    public string? DocumentId { get; init; }

    /// <summary>Gets its processing status at a time.</summary>
    /// <param name="now">The time.</param>
    /// <returns><c>IN_QUEUE</c>, <c>IN_PROGRESS</c>, <c>DONE</c>, <c>CANCELLED</c> or <c>FATAL</c>.</returns>
    public string StatusAt(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_cancelledAt is not null)
            {
                return "CANCELLED";
            }
        }

        return now < ProcessingStartTime ? "IN_QUEUE"
            : now < ProcessingEndTime ? "IN_PROGRESS"
            : Outcome switch
            {
                ReportOutcome.Done => "DONE",
                ReportOutcome.NoData => "CANCELLED",
                _ => "FATAL",
            };
    }

    /// <summary>Cancels it, as only a report still in the queue can be.</summary>
    /// <param name="now">The time of the request.</param>
    /// <returns>Whether it was in the queue (and is now cancelled).</returns>
    public bool TryCancel(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_cancelledAt is not null || now >= ProcessingStartTime)
            {
                return false;
            }

            _cancelledAt = now;
            return true;
        }
    }

    /// <summary>Gets whether its document can be fetched at a time (done or failed, with a document).</summary>
    /// <param name="now">The time.</param>
    /// <returns>Whether the document is ready.</returns>
    public bool DocumentReady(DateTimeOffset now) => DocumentId is not null && StatusAt(now) is "DONE" or "FATAL";

    /// <summary>The Reports API <c>Report</c> at a time.</summary>
    /// <param name="now">The time.</param>
    /// <returns>A fresh object.</returns>
    public JsonObject ToJson(DateTimeOffset now)
    {
        var status = StatusAt(now);
        DateTimeOffset? cancelledAt;
        lock (_lock)
        {
            cancelledAt = _cancelledAt;
        }

        var report = new JsonObject
        {
            ["reportId"] = ReportId,
            ["reportType"] = ReportType,
            ["dataStartTime"] = Stamp(DataStartTime),
            ["dataEndTime"] = Stamp(DataEndTime),
            ["marketplaceIds"] = new JsonArray([.. MarketplaceIds.Select(m => (JsonNode)m)]),
            ["createdTime"] = Stamp(CreatedTime),
            ["processingStatus"] = status,
        };
        if (cancelledAt is { } cancelled)
        {
            report["processingEndTime"] = Stamp(cancelled);
            return report;
        }

        if (status != "IN_QUEUE")
        {
            report["processingStartTime"] = Stamp(ProcessingStartTime);
        }

        if (status is "DONE" or "CANCELLED" or "FATAL")
        {
            report["processingEndTime"] = Stamp(ProcessingEndTime);
        }

        if (DocumentReady(now))
        {
            report["reportDocumentId"] = DocumentId;
        }

        return report;
    }

    // As the API writes its times: UTC with milliseconds.
    public static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
