using System.Net;

namespace OrderHub.Outposts.Http;

/// <summary>One Outposts response, read whole, with the error type parsed as the AWS SDKs parse it for rest-json.</summary>
internal sealed record OutpostsResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, string? ErrorType, TimeSpan? RetryAfter)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public string Excerpt() => OrderSourceProtocolException.ExcerptOf(Body);
}

/// <summary>One Outposts call.</summary>
/// <param name="Operation">The operation's name, for messages.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Uri">The full URI.</param>
/// <param name="Context">The source and order, for errors.</param>
/// <param name="MayRepeat">Whether the call may be sent again after it may have reached the server (false for CreateOrder).</param>
/// <param name="Content">Creates the body afresh for each attempt.</param>
internal sealed record OutpostsCall(string Operation, HttpMethod Method, Uri Uri, OrderErrorContext Context, bool MayRepeat, Func<HttpContent>? Content = null);
