namespace OrderHub.SellingPartner;

/// <summary>The Selling Partner adapter's defaults, stated once.</summary>
internal static class SellingPartnerDefaults
{
    public const string SourceName = "sp-api";
    public const double GetOrderPermitsPerSecond = 0.5;
    public const int GetOrderBurst = 30;
    public const double SearchOrdersPermitsPerSecond = 0.0056;
    public const int SearchOrdersBurst = 20;
    public const double GetOrdersPermitsPerSecond = 0.0167;
    public const int GetOrdersBurst = 20;
    public const string SearchOrdersOperation = "searchOrders";
    public const string GetOrdersOperation = "getOrders";
    public const string GetOrdersPathTemplate = "/orders/v0/orders";
    public const int MaxMarketplacesPerQuery = 50;
    public const int MaxOrdersPerPage = 100;
    public static readonly TimeSpan ChangeFeedSettleDelay = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan PageTokenLifetime = TimeSpan.FromHours(24);

    // searchOrders' fulfillmentStatuses and fulfilledBy values, and their v0 getOrders equivalents.
    public static readonly string[] FulfillmentStatuses = ["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"];
    public static readonly string[] FulfilledBy = ["MERCHANT", "AMAZON"];
    public const double RestrictedDataTokenPermitsPerSecond = 1;
    public const int RestrictedDataTokenBurst = 10;
    public const int MaxRetryAttempts = 5;
    public const double PacingMargin = 0.005;
    public static readonly TimeSpan BurstLatencyAllowance = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(1);
    public const string LwaRequestIdHeader = "x-amzn-RequestId";

    // Tokens are refreshed this long before they expire (or a tenth of their life, if that is shorter).
    public static readonly TimeSpan TokenRefreshMargin = TimeSpan.FromSeconds(60);

    public const string AccessTokenHeader = "x-amz-access-token";
    public const string RequestIdHeader = "x-amzn-RequestId";
    public const string RateLimitHeader = "x-amzn-RateLimit-Limit";
    public const string GetOrderOperation = "getOrder";
    public const string RestrictedDataTokenOperation = "createRestrictedDataToken";
    public const string LwaOperation = "refreshAccessToken";
    public const string GetOrderPathTemplate = "/orders/v0/orders/{orderId}";
    public const string GetOrder20260101Operation = "getOrder@2026-01-01";

    // The Reports API 2021-06-30: each operation's documented plan, and the order reports' limits.
    public const string CreateReportOperation = "createReport";
    public const string GetReportOperation = "getReport";
    public const string GetReportsOperation = "getReports";
    public const string GetReportDocumentOperation = "getReportDocument";

    // The Notifications API v1: each operation 1 request per second, burst 5, as documented.
    public const string GetDestinationsOperation = "getDestinations";
    public const string CreateDestinationOperation = "createDestination";
    public const string DeleteDestinationOperation = "deleteDestination";
    public const string GetSubscriptionOperation = "getSubscription";
    public const string CreateSubscriptionOperation = "createSubscription";
    public const string DeleteSubscriptionByIdOperation = "deleteSubscriptionById";
    public const double NotificationsPermitsPerSecond = 1;
    public const int NotificationsBurst = 5;

    /// <summary>The scope of the grantless token the Notifications API's destination operations take.</summary>
    public const string NotificationsScope = "sellingpartnerapi::notifications";
    public const double CreateReportPermitsPerSecond = 0.0167;
    public const int CreateReportBurst = 15;
    public const double GetReportPermitsPerSecond = 2;
    public const int GetReportBurst = 15;
    public const double GetReportDocumentPermitsPerSecond = 0.0167;
    public const int GetReportDocumentBurst = 15;
    public const double GetReportsPermitsPerSecond = 0.0222;
    public const int GetReportsBurst = 10;
    public const int MaxReportMarketplaces = 25;
    public const int MaxReportFilterMarketplaces = 10;
    public const int ReportsPageSize = 100;

    // getReports pages read to find a finished report of a window (each page is one call at 0.0222 per second).
    public const int MaxReportListPages = 5;

    // How many times a document's URL is asked for when the document host refuses the one given (it lasts 5 minutes).
    public const int ReportDocumentUrlAttempts = 3;
    public static readonly TimeSpan MaxReportWindow = TimeSpan.FromDays(30);
    public static readonly TimeSpan ReportRegularHistory = TimeSpan.FromDays(730);
    public static readonly TimeSpan ReportRetention = TimeSpan.FromDays(30);
    public static readonly TimeSpan ReportDataLag = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan ReportPollInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan ReportMaxPollInterval = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan FailedReportRetryDelay = TimeSpan.FromMinutes(10);

    // The 2026-01-01 getOrder datasets: those without personal data are asked for always, the others only on request.
    public static readonly string[] IncludedData = ["PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"];
    public static readonly string[] PersonalIncludedData = ["BUYER", "RECIPIENT"];
}
