using OrderHub.Http;
using OrderHub.Outposts.Wire;
using Refit;

namespace OrderHub.Outposts.Http;

/// <summary>
/// The AWS Outposts operations OrderHub calls (rest-json, API version 2019-12-03), as Refit declares them. Each answer
/// is the raw <see cref="HttpResponseMessage"/>, its body already read up to the cap; the call
/// (<see cref="UpstreamCall"/>) travels in the request's options to the pipeline, and every attempt is signed afresh
/// by the SigV4 handler at the end of the chain.
/// </summary>
[Headers("Accept: application/json")]
internal interface IOutpostsApi
{
    /// <summary><c>GetOrder</c>.</summary>
    [Get("/orders/{orderId}")]
    Task<HttpResponseMessage> GetOrderAsync(string orderId, [Property(UpstreamCall.OptionName)] UpstreamCall call, CancellationToken cancellationToken);

    /// <summary><c>CreateOrder</c>.</summary>
    [Post("/orders")]
    Task<HttpResponseMessage> CreateOrderAsync([Body] CreateOrderInput input, [Property(UpstreamCall.OptionName)] UpstreamCall call, CancellationToken cancellationToken);

    /// <summary><c>ListOrders</c>: one page.</summary>
    [Get("/list-orders")]
    Task<HttpResponseMessage> ListOrdersAsync(
        [AliasAs("OutpostIdentifierFilter")] string? outpostIdentifierFilter,
        [AliasAs("NextToken")] string? nextToken,
        [AliasAs("MaxResults")] int? maxResults,
        [Property(UpstreamCall.OptionName)] UpstreamCall call,
        CancellationToken cancellationToken);

    /// <summary><c>CancelOrder</c>.</summary>
    [Post("/orders/{orderId}/cancel")]
    Task<HttpResponseMessage> CancelOrderAsync(string orderId, [Property(UpstreamCall.OptionName)] UpstreamCall call, CancellationToken cancellationToken);
}
