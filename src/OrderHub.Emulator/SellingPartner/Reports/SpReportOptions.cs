namespace OrderHub.Emulator.SellingPartner.Reports;

/// <summary>
/// How the emulator's Reports API behaves: how long a report takes, how often one fails, how long a document's URL
/// lives, and each operation's usage plan per seller (Amazon's by default, as the Reports API model documents them).
/// </summary>
public sealed class SpReportOptions
{
    /// <summary>
    /// Gets or sets how long a report takes from <c>createReport</c> to its final status: <c>IN_QUEUE</c> for the first
    /// half, <c>IN_PROGRESS</c> for the second, then <c>DONE</c>, <c>CANCELLED</c> (no data) or <c>FATAL</c>. Zero
    /// finishes it at once. The default is 5 seconds.
    /// </summary>
    public TimeSpan ProcessingDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the share of reports (0 to 1) that end <c>FATAL</c>, drawn from the emulator's seed in the order the
    /// reports are created, so a run is repeatable. The default is 0.
    /// </summary>
    public double FatalRate { get; set; }

    /// <summary>Gets or sets how long a document's pre-signed URL works. The default is 5 minutes, as documented.</summary>
    public TimeSpan DocumentUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets <c>createReport</c>'s rate per seller. The default is 0.0167 requests per second, as Amazon's.</summary>
    public double CreateReportRate { get; set; } = 0.0167;

    /// <summary>Gets or sets <c>createReport</c>'s burst per seller. The default is 15, as Amazon's.</summary>
    public int CreateReportBurst { get; set; } = 15;

    /// <summary>Gets or sets <c>getReport</c>'s rate per seller. The default is 2 requests per second, as Amazon's.</summary>
    public double GetReportRate { get; set; } = 2;

    /// <summary>Gets or sets <c>getReport</c>'s burst per seller. The default is 15, as Amazon's.</summary>
    public int GetReportBurst { get; set; } = 15;

    /// <summary>Gets or sets <c>getReports</c>' rate per seller. The default is 0.0222 requests per second, as Amazon's.</summary>
    public double GetReportsRate { get; set; } = 0.0222;

    /// <summary>Gets or sets <c>getReports</c>' burst per seller. The default is 10, as Amazon's.</summary>
    public int GetReportsBurst { get; set; } = 10;

    /// <summary>Gets or sets <c>getReportDocument</c>'s rate per seller. The default is 0.0167 requests per second, as Amazon's.</summary>
    public double GetReportDocumentRate { get; set; } = 0.0167;

    /// <summary>Gets or sets <c>getReportDocument</c>'s burst per seller. The default is 15, as Amazon's.</summary>
    public int GetReportDocumentBurst { get; set; } = 15;

    /// <summary>Gets or sets <c>cancelReport</c>'s rate per seller. The default is 0.0222 requests per second, as Amazon's.</summary>
    public double CancelReportRate { get; set; } = 0.0222;

    /// <summary>Gets or sets <c>cancelReport</c>'s burst per seller. The default is 10, as Amazon's.</summary>
    public int CancelReportBurst { get; set; } = 10;

    /// <summary>Multiplies every rate above by one factor, as a benchmark that compresses time does with every plan.</summary>
    /// <param name="factor">The factor, more than zero.</param>
    public void ScaleRates(double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        CreateReportRate *= factor;
        GetReportRate *= factor;
        GetReportsRate *= factor;
        GetReportDocumentRate *= factor;
        CancelReportRate *= factor;
    }

    /// <summary>Refuses a setting the emulator cannot run with, naming it.</summary>
    internal void Validate()
    {
        if (ProcessingDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("SpReports.ProcessingDelay cannot be negative.");
        }

        if (FatalRate is < 0 or > 1 || double.IsNaN(FatalRate))
        {
            throw new ArgumentException("SpReports.FatalRate is a share of reports, from 0 to 1.");
        }

        if (DocumentUrlLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException("SpReports.DocumentUrlLifetime must be a positive span, such as 5 minutes.");
        }

        foreach (var (name, rate, burst) in new[]
        {
            ("createReport", CreateReportRate, CreateReportBurst), ("getReport", GetReportRate, GetReportBurst), ("getReports", GetReportsRate, GetReportsBurst),
            ("getReportDocument", GetReportDocumentRate, GetReportDocumentBurst), ("cancelReport", CancelReportRate, CancelReportBurst),
        })
        {
            if (!(rate > 0) || burst < 1)
            {
                throw new ArgumentException($"SpReports: {name}'s rate must be more than 0 and its burst at least 1.");
            }
        }
    }
}
