namespace OrderHub.SellingPartner.Reports;

/// <summary>A downloaded report document is not an order report. Never leaves the adapter: it becomes a protocol error with the request id.</summary>
internal sealed class ReportDocumentException(string what) : Exception($"The report document could not be read: {what}.")
{
    public string What { get; } = what;
}
