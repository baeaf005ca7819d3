using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

// The Reports API 2021-06-30 shapes OrderHub sends and reads (camelCase on the wire). Times are kept as the strings
// sent: a report's window is compared as instants, read with the same rule as every Selling Partner timestamp.

internal sealed record CreateReportSpecification(
    [property: JsonPropertyName("reportType")] string ReportType,
    [property: JsonPropertyName("marketplaceIds")] IReadOnlyList<string> MarketplaceIds,
    [property: JsonPropertyName("dataStartTime")] string DataStartTime,
    [property: JsonPropertyName("dataEndTime")] string DataEndTime);

internal sealed record CreateReportResponse(
    [property: JsonPropertyName("reportId")] string? ReportId);

internal sealed record ReportWire(
    [property: JsonPropertyName("reportId")] string? ReportId,
    [property: JsonPropertyName("reportType")] string? ReportType,
    [property: JsonPropertyName("marketplaceIds")] IReadOnlyList<string>? MarketplaceIds,
    [property: JsonPropertyName("dataStartTime")] string? DataStartTime,
    [property: JsonPropertyName("dataEndTime")] string? DataEndTime,
    [property: JsonPropertyName("createdTime")] string? CreatedTime,
    [property: JsonPropertyName("processingStatus")] string? ProcessingStatus,
    [property: JsonPropertyName("processingStartTime")] string? ProcessingStartTime,
    [property: JsonPropertyName("reportDocumentId")] string? ReportDocumentId);

internal sealed record GetReportsResponse(
    [property: JsonPropertyName("reports")] IReadOnlyList<ReportWire?>? Reports,
    [property: JsonPropertyName("nextToken")] string? NextToken);

internal sealed record ReportDocumentWire(
    [property: JsonPropertyName("reportDocumentId")] string? ReportDocumentId,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("compressionAlgorithm")] string? CompressionAlgorithm);
