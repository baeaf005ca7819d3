using System.ComponentModel.DataAnnotations;

namespace OrderHub.SellingPartner;

/// <summary>
/// How to reach and authenticate to the Selling Partner API. Secrets set here never appear in logs or
/// <see cref="ToString"/>. The settings every upstream shares (the source's name, <see cref="UpstreamClientOptions.Endpoint"/>,
/// retries, timeouts, the response cap) are <see cref="UpstreamClientOptions"/>'s; here the name defaults to
/// <c>sp-api</c> and the retries to 5, from 1 second.
/// </summary>
public sealed class SellingPartnerOrderSourceOptions : UpstreamClientOptions
{
    /// <summary>Initializes a new instance of the <see cref="SellingPartnerOrderSourceOptions"/> class.</summary>
    public SellingPartnerOrderSourceOptions()
        : base(SellingPartnerDefaults.SourceName, SellingPartnerDefaults.MaxRetryAttempts, SellingPartnerDefaults.RetryBaseDelay)
    {
    }

    /// <summary>Gets or sets the region. The default is <see cref="SellingPartnerRegion.NorthAmerica"/>.</summary>
    [EnumDataType(typeof(SellingPartnerRegion))]
    public SellingPartnerRegion Region { get; set; } = SellingPartnerRegion.NorthAmerica;

    /// <summary>Gets or sets a value indicating whether to call the region's sandbox host. The default is <see langword="false"/>.</summary>
    public bool Sandbox { get; set; }

    /// <summary>Gets or sets Login with Amazon's token endpoint. The default is <c>https://api.amazon.com/auth/o2/token</c>.</summary>
    [Required]
    public Uri LwaEndpoint { get; set; } = SellingPartnerEndpoints.LoginWithAmazon;

    /// <summary>Gets or sets the LWA client id of the application.</summary>
    [Required]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Gets or sets the LWA client secret of the application. Secret.</summary>
    [Required]
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Gets or sets the selling partner's LWA refresh token. Secret.</summary>
    [Required]
    public string RefreshToken { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the Orders API version orders are read through: <see cref="SellingPartnerOrdersApi.V0"/>
    /// (<c>v0</c>, deprecated by Amazon; calls must move by 27 March 2027) or
    /// <see cref="SellingPartnerOrdersApi.V20260101"/> (<c>2026-01-01</c>). Both give the same <see cref="Order"/>; the
    /// README lists what differs. The default is <c>2026-01-01</c>.
    /// </summary>
    [Required(ErrorMessage = "OrdersApiVersion is required; it is one of v0, 2026-01-01.")]
    public string OrdersApiVersion { get; set; } = SellingPartnerOrdersApi.V20260101;

    /// <summary>
    /// Gets or sets the datasets asked for with every 2026-01-01 getOrder besides the order itself. <c>BUYER</c> and
    /// <c>RECIPIENT</c> are added only for calls that include personal data. The default is every other dataset the
    /// API documents: PROCEEDS, EXPENSE, PROMOTION, CANCELLATION, FULFILLMENT, PACKAGES, TAX, PAYMENT, FULFILLMENT_ORDERS
    /// (<see langword="null"/> stands for it, so a configured list replaces it rather than adding to it).
    /// </summary>
    public IList<string>? IncludedData { get; set; }

    /// <summary>Gets or sets what a call does when no rate-limit permit is free; <see langword="null"/> uses <see cref="OrderHubOptions.ThrottleMode"/>. The default is <see langword="null"/>.</summary>
    public ThrottleMode? ThrottleMode { get; set; }

    /// <summary>Gets or sets getOrder's rate until the API announces another. The default is 0.5 requests per second.</summary>
    [Range(0.0001, 10_000)]
    public double GetOrderPermitsPerSecond { get; set; } = SellingPartnerDefaults.GetOrderPermitsPerSecond;

    /// <summary>Gets or sets getOrder's burst. The default is 30.</summary>
    [Range(1, 10_000)]
    public int GetOrderBurst { get; set; } = SellingPartnerDefaults.GetOrderBurst;

    /// <summary>Gets or sets the rate of the page requests that list changed orders (<c>searchOrders</c> on 2026-01-01). The default is 0.0056 per second (one page every three minutes), as documented.</summary>
    [Range(0.0001, 10_000)]
    public double SearchOrdersPermitsPerSecond { get; set; } = SellingPartnerDefaults.SearchOrdersPermitsPerSecond;

    /// <summary>Gets or sets the burst of <c>searchOrders</c>. The default is 20, as documented.</summary>
    [Range(1, 10_000)]
    public int SearchOrdersBurst { get; set; } = SellingPartnerDefaults.SearchOrdersBurst;

    /// <summary>Gets or sets the rate of <c>getOrders</c> (v0) page requests. The default is 0.0167 per second (one page a minute), as documented.</summary>
    [Range(0.0001, 10_000)]
    public double GetOrdersPermitsPerSecond { get; set; } = SellingPartnerDefaults.GetOrdersPermitsPerSecond;

    /// <summary>Gets or sets the burst of <c>getOrders</c> (v0). The default is 20, as documented.</summary>
    [Range(1, 10_000)]
    public int GetOrdersBurst { get; set; } = SellingPartnerDefaults.GetOrdersBurst;

    /// <summary>
    /// Gets or sets the marketplaces order reports are asked for (<c>createReport</c> requires at least one, and at
    /// most 25, each one the seller sells in: ATVPDKIKX0DER for amazon.com, A1PA6795UKMFR9 for amazon.de, ...). A
    /// backfill through reports (<see cref="IOrderBackfillSource"/>) is refused, before any request, while it is empty:
    /// the region's marketplaces are not assumed, since asking for one the seller does not sell in fails the report.
    /// The default is none.
    /// </summary>
    public IList<string> MarketplaceIds { get; set; } = [];

    /// <summary>Gets or sets the rate of <c>createReport</c>. The default is 0.0167 per second (one a minute), as documented.</summary>
    [Range(0.0001, 10_000)]
    public double CreateReportPermitsPerSecond { get; set; } = SellingPartnerDefaults.CreateReportPermitsPerSecond;

    /// <summary>Gets or sets the burst of <c>createReport</c>, which is also how many reports a backfill keeps in flight. The default is 15, as documented.</summary>
    [Range(1, 10_000)]
    public int CreateReportBurst { get; set; } = SellingPartnerDefaults.CreateReportBurst;

    /// <summary>Gets or sets the rate of <c>getReport</c>, with which a report's status is polled. The default is 2 per second, as documented.</summary>
    [Range(0.0001, 10_000)]
    public double GetReportPermitsPerSecond { get; set; } = SellingPartnerDefaults.GetReportPermitsPerSecond;

    /// <summary>Gets or sets the burst of <c>getReport</c>. The default is 15, as documented.</summary>
    [Range(1, 10_000)]
    public int GetReportBurst { get; set; } = SellingPartnerDefaults.GetReportBurst;

    /// <summary>Gets or sets the rate of <c>getReportDocument</c>. The default is 0.0167 per second (one a minute), as documented.</summary>
    [Range(0.0001, 10_000)]
    public double GetReportDocumentPermitsPerSecond { get; set; } = SellingPartnerDefaults.GetReportDocumentPermitsPerSecond;

    /// <summary>Gets or sets the burst of <c>getReportDocument</c>. The default is 15, as documented.</summary>
    [Range(1, 10_000)]
    public int GetReportDocumentBurst { get; set; } = SellingPartnerDefaults.GetReportDocumentBurst;

    /// <summary>Gets or sets the rate of <c>getReports</c>, with which a finished report of a window is found again. The default is 0.0222 per second (one every 45 s), as documented.</summary>
    [Range(0.0001, 10_000)]
    public double GetReportsPermitsPerSecond { get; set; } = SellingPartnerDefaults.GetReportsPermitsPerSecond;

    /// <summary>Gets or sets the burst of <c>getReports</c>. The default is 10, as documented.</summary>
    [Range(1, 10_000)]
    public int GetReportsBurst { get; set; } = SellingPartnerDefaults.GetReportsBurst;

    /// <summary>
    /// Gets or sets the first wait before a report's status is read again; later waits double up to
    /// <see cref="ReportMaxPollInterval"/>. Amazon does not document how long a report takes. The default is 15 seconds.
    /// </summary>
    public TimeSpan ReportPollInterval { get; set; } = SellingPartnerDefaults.ReportPollInterval;

    /// <summary>Gets or sets the longest wait between two reads of a report's status. The default is 2 minutes.</summary>
    public TimeSpan ReportMaxPollInterval { get; set; } = SellingPartnerDefaults.ReportMaxPollInterval;

    /// <summary>
    /// Gets or sets how long to wait before asking again for a window whose report failed (<c>FATAL</c>): some report
    /// types impose a cool-down after a failure, whose length Amazon does not document for order reports. The default
    /// is 10 minutes.
    /// </summary>
    public TimeSpan FailedReportRetryDelay { get; set; } = SellingPartnerDefaults.FailedReportRetryDelay;

    /// <summary>
    /// Gets or sets how much slower than the allowed rate the client paces itself, as a fraction. Requests paced at
    /// exactly the server's rate reach it with network jitter, which sometimes squeezes two closer than allowed and
    /// earns a 429; a small margin absorbs that jitter. The default is 0.005 (0.5 %): N calls beyond the burst take at
    /// most 0.5 % longer than the theoretical minimum.
    /// </summary>
    [Range(0.0, 0.5)]
    public double PacingMargin { get; set; } = SellingPartnerDefaults.PacingMargin;

    /// <summary>
    /// Gets or sets how long after a burst the client's bucket starts refilling: the server's starts when the burst's
    /// first request arrives, later than it was sent. It costs this much once per burst. The default is 50 ms.
    /// </summary>
    public TimeSpan BurstLatencyAllowance { get; set; } = SellingPartnerDefaults.BurstLatencyAllowance;

    /// <summary>Gets the base address calls go to: <see cref="UpstreamClientOptions.Endpoint"/>, or the region's host.</summary>
    /// <remarks>A trailing slash is added when missing, so an endpoint with a path (a proxy) keeps it.</remarks>
    public Uri BaseAddress => Endpoint is { } endpoint ? OrderHub.Http.UpstreamHttp.WithTrailingSlash(endpoint) : SellingPartnerEndpoints.For(Region, Sandbox);

    /// <inheritdoc />
    protected override IEnumerable<ValidationResult> ValidateProviderOptions(ValidationContext validationContext)
    {
        if (BurstLatencyAllowance < TimeSpan.Zero)
        {
            yield return new ValidationResult("BurstLatencyAllowance must not be negative.", [nameof(BurstLatencyAllowance)]);
        }

        if (!SellingPartnerOrdersApi.TryParse(OrdersApiVersion, out _))
        {
            yield return new ValidationResult(
                $"OrdersApiVersion must be one of {string.Join(", ", SellingPartnerOrdersApi.All)}.", [nameof(OrdersApiVersion)]);
        }

        if (IncludedData?.FirstOrDefault(d => !SellingPartnerDefaults.IncludedData.Concat(SellingPartnerDefaults.PersonalIncludedData).Contains(d, StringComparer.Ordinal)) is { } unknown)
        {
            yield return new ValidationResult(
                $"IncludedData has '{unknown}'; the datasets are {string.Join(", ", SellingPartnerDefaults.IncludedData.Concat(SellingPartnerDefaults.PersonalIncludedData))}.", [nameof(IncludedData)]);
        }

        if (MarketplaceIds is { } marketplaces)
        {
            if (marketplaces.Count > SellingPartnerDefaults.MaxReportMarketplaces)
            {
                yield return new ValidationResult(
                    $"MarketplaceIds lists {marketplaces.Count} marketplaces; a report covers at most {SellingPartnerDefaults.MaxReportMarketplaces}.", [nameof(MarketplaceIds)]);
            }

            if (marketplaces.FirstOrDefault(m => string.IsNullOrWhiteSpace(m) || !m.All(char.IsAsciiLetterOrDigit)) is { } bad)
            {
                yield return new ValidationResult(
                    $"MarketplaceIds has '{bad}'; a marketplace id is letters and digits only (for example ATVPDKIKX0DER).", [nameof(MarketplaceIds)]);
            }
        }

        if (ReportPollInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("ReportPollInterval must be positive.", [nameof(ReportPollInterval)]);
        }

        if (ReportMaxPollInterval < ReportPollInterval)
        {
            yield return new ValidationResult("ReportMaxPollInterval must not be shorter than ReportPollInterval.", [nameof(ReportMaxPollInterval)]);
        }

        if (FailedReportRetryDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("FailedReportRetryDelay must not be negative.", [nameof(FailedReportRetryDelay)]);
        }

        if (LwaEndpoint is { } lwa && !IsHttp(lwa))
        {
            yield return new ValidationResult("LwaEndpoint must be an absolute http or https URI such as https://api.amazon.com/auth/o2/token.", [nameof(LwaEndpoint)]);
        }
    }

    private static bool IsHttp(Uri url) => url.IsAbsoluteUri && url.Scheme is "http" or "https";

    /// <summary>Returns the region and endpoint; never a secret.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"SellingPartnerOrderSourceOptions {{ SourceName = {SourceName}, Region = {Region}, BaseAddress = {BaseAddress}, OrdersApiVersion = {OrdersApiVersion} }}";
}
