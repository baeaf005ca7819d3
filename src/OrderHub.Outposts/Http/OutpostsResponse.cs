using System.Net;
using OrderHub.Http;

namespace OrderHub.Outposts.Http;

/// <summary>One Outposts response, read whole, with the error type parsed as the AWS SDKs parse it for rest-json.</summary>
internal sealed record OutpostsResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, string? ErrorType, TimeSpan? RetryAfter)
    : UpstreamResponse(StatusCode, Body, RequestId, RetryAfter);
