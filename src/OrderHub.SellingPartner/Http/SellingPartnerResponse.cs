using System.Net;
using OrderHub.Http;

namespace OrderHub.SellingPartner.Http;

/// <summary>One Selling Partner API response, read whole: status, body and the headers OrderHub acts on.</summary>
internal sealed record SellingPartnerResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, TimeSpan? RetryAfter)
    : UpstreamResponse(StatusCode, Body, RequestId, RetryAfter);
