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

    // The 2026-01-01 getOrder datasets: those without personal data are asked for always, the others only on request.
    public static readonly string[] IncludedData = ["PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"];
    public static readonly string[] PersonalIncludedData = ["BUYER", "RECIPIENT"];
}
