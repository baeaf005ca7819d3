using Refit;
using OrderHub.Http;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Http;

/// <summary>
/// The Selling Partner API operations OrderHub calls, as Refit declares them. Each answer is the raw
/// <see cref="HttpResponseMessage"/> (its body already read, up to the cap, by the handler chain): the payload is kept
/// byte for byte, read in one pass, and any status becomes OrderHub's own exception, never Refit's. The call
/// (<see cref="SellingPartnerCall"/>) travels in the request's options to the pipeline and the handlers.
/// </summary>
[Headers("Accept: application/json")]
internal interface ISellingPartnerApi
{
    /// <summary>Orders API v0 <c>getOrder</c>.</summary>
    [Get("/orders/v0/orders/{orderId}")]
    Task<HttpResponseMessage> GetOrderV0Async(string orderId, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Orders API 2026-01-01 <c>getOrder</c>, with the datasets asked for.</summary>
    [Get("/orders/2026-01-01/orders/{orderId}")]
    Task<HttpResponseMessage> GetOrder20260101Async(string orderId, [Query(CollectionFormat.Csv)] IEnumerable<string> includedData, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Orders API 2026-01-01 <c>searchOrders</c>: one page of the orders created or updated in a window.</summary>
    [Get("/orders/2026-01-01/orders")]
    Task<HttpResponseMessage> SearchOrdersAsync([Query] SearchOrdersParameters parameters, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Orders API v0 <c>getOrders</c>: one page of the orders created or updated in a window.</summary>
    [Get("/orders/v0/orders")]
    Task<HttpResponseMessage> GetOrdersAsync([Query] GetOrdersParameters parameters, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Reports API 2021-06-30 <c>createReport</c>: asks for a report of a window.</summary>
    [Post("/reports/2021-06-30/reports")]
    Task<HttpResponseMessage> CreateReportAsync([Body] CreateReportSpecification body, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Reports API 2021-06-30 <c>getReport</c>: a report's processing status.</summary>
    [Get("/reports/2021-06-30/reports/{reportId}")]
    Task<HttpResponseMessage> GetReportAsync(string reportId, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Reports API 2021-06-30 <c>getReports</c>: one page of the reports that match the filters.</summary>
    [Get("/reports/2021-06-30/reports")]
    Task<HttpResponseMessage> GetReportsAsync([Query] GetReportsParameters parameters, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Reports API 2021-06-30 <c>getReportDocument</c>: where a finished report's document can be downloaded, for 5 minutes.</summary>
    [Get("/reports/2021-06-30/documents/{reportDocumentId}")]
    Task<HttpResponseMessage> GetReportDocumentAsync(string reportDocumentId, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Notifications API v1 <c>getDestinations</c> (grantless).</summary>
    [Get("/notifications/v1/destinations")]
    Task<HttpResponseMessage> GetDestinationsAsync([Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Notifications API v1 <c>createDestination</c> (grantless).</summary>
    [Post("/notifications/v1/destinations")]
    Task<HttpResponseMessage> CreateDestinationAsync([Body] CreateDestinationRequest body, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Notifications API v1 <c>deleteDestination</c> (grantless).</summary>
    [Delete("/notifications/v1/destinations/{destinationId}")]
    Task<HttpResponseMessage> DeleteDestinationAsync(string destinationId, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Notifications API v1 <c>getSubscription</c>: the seller's subscription of a notification type.</summary>
    [Get("/notifications/v1/subscriptions/{notificationType}")]
    Task<HttpResponseMessage> GetSubscriptionAsync(string notificationType, [Query] string? payloadVersion, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Notifications API v1 <c>createSubscription</c>: the seller's subscription of a notification type to a destination.</summary>
    [Post("/notifications/v1/subscriptions/{notificationType}")]
    Task<HttpResponseMessage> CreateSubscriptionAsync(string notificationType, [Body] CreateSubscriptionRequest body, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Notifications API v1 <c>deleteSubscriptionById</c> (grantless).</summary>
    [Delete("/notifications/v1/subscriptions/{notificationType}/{subscriptionId}")]
    Task<HttpResponseMessage> DeleteSubscriptionByIdAsync(string notificationType, string subscriptionId, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);

    /// <summary>Tokens API <c>createRestrictedDataToken</c>.</summary>
    [Post("/tokens/2021-03-01/restrictedDataToken")]
    Task<HttpResponseMessage> CreateRestrictedDataTokenAsync([Body] CreateRestrictedDataTokenRequest body, [Property(UpstreamCall.OptionName)] SellingPartnerCall call, CancellationToken cancellationToken);
}

/// <summary>Login with Amazon's token endpoint (the client's base address is the endpoint itself).</summary>
internal interface ILoginWithAmazonApi
{
    /// <summary>The refresh-token grant, form-encoded.</summary>
    [Post("")]
    Task<HttpResponseMessage> RefreshAccessTokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, [Property(UpstreamCall.OptionName)] UpstreamCall call, CancellationToken cancellationToken);
}

/// <summary>The query of <c>searchOrders</c>; a member left null is not sent.</summary>
internal sealed class SearchOrdersParameters
{
    [AliasAs("createdAfter")]
    public string? CreatedAfter { get; init; }

    [AliasAs("createdBefore")]
    public string? CreatedBefore { get; init; }

    [AliasAs("lastUpdatedAfter")]
    public string? LastUpdatedAfter { get; init; }

    [AliasAs("lastUpdatedBefore")]
    public string? LastUpdatedBefore { get; init; }

    [AliasAs("marketplaceIds")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? MarketplaceIds { get; init; }

    [AliasAs("fulfillmentStatuses")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? FulfillmentStatuses { get; init; }

    [AliasAs("fulfilledBy")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? FulfilledBy { get; init; }

    [AliasAs("maxResultsPerPage")]
    public int? MaxResultsPerPage { get; init; }

    [AliasAs("includedData")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? IncludedData { get; init; }

    [AliasAs("paginationToken")]
    public string? PaginationToken { get; init; }
}

/// <summary>The query of v0 <c>getOrders</c>; a member left null is not sent.</summary>
internal sealed class GetOrdersParameters
{
    [AliasAs("MarketplaceIds")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? MarketplaceIds { get; init; }

    [AliasAs("CreatedAfter")]
    public string? CreatedAfter { get; init; }

    [AliasAs("CreatedBefore")]
    public string? CreatedBefore { get; init; }

    [AliasAs("LastUpdatedAfter")]
    public string? LastUpdatedAfter { get; init; }

    [AliasAs("LastUpdatedBefore")]
    public string? LastUpdatedBefore { get; init; }

    [AliasAs("OrderStatuses")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? OrderStatuses { get; init; }

    [AliasAs("FulfillmentChannels")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? FulfillmentChannels { get; init; }

    [AliasAs("MaxResultsPerPage")]
    public int? MaxResultsPerPage { get; init; }

    [AliasAs("NextToken")]
    public string? NextToken { get; init; }
}

/// <summary>The query of <c>getReports</c>; a member left null is not sent. A next page is asked for with <see cref="NextToken"/> alone, as the API requires.</summary>
internal sealed class GetReportsParameters
{
    [AliasAs("reportTypes")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? ReportTypes { get; init; }

    [AliasAs("processingStatuses")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? ProcessingStatuses { get; init; }

    [AliasAs("marketplaceIds")]
    [Query(CollectionFormat.Csv)]
    public IEnumerable<string>? MarketplaceIds { get; init; }

    [AliasAs("pageSize")]
    public int? PageSize { get; init; }

    [AliasAs("createdSince")]
    public string? CreatedSince { get; init; }

    [AliasAs("nextToken")]
    public string? NextToken { get; init; }
}
