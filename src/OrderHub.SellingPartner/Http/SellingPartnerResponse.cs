using System.Net;

namespace OrderHub.SellingPartner.Http;

/// <summary>One Selling Partner API response, read whole: status, body and the headers OrderHub acts on.</summary>
internal sealed record SellingPartnerResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, TimeSpan? RetryAfter)
{
    /// <summary>Gets a value indicating whether the API refused the token as invalid or expired (the token has been forgotten).</summary>
    public bool TokenRejected { get; init; }

    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public string Excerpt() => OrderSourceProtocolException.ExcerptOf(Body);
}
