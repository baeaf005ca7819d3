using System.Net;

namespace OrderHub.Outposts.Http;

/// <summary>One Outposts response, read whole, with the error type parsed as the AWS SDKs parse it for rest-json.</summary>
internal sealed record OutpostsResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, string? ErrorType, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public string Excerpt() => OrderSourceProtocolException.ExcerptOf(Body);
}

/// <summary>One Outposts call as its pipeline and handlers see it.</summary>
internal sealed class OutpostsCall : OrderHub.Http.UpstreamCall
{
    /// <summary>Gets a value indicating whether the call may be sent again after it may have reached the server (false for CreateOrder).</summary>
    public required bool MayRepeat { get; init; }
}
