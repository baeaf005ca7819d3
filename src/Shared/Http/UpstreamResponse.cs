using System.Net;

namespace OrderHub.Http;

/// <summary>One upstream answer, read whole by the guard: status, body and the headers OrderHub acts on. A provider's own answer adds what it parses.</summary>
/// <param name="StatusCode">The status.</param>
/// <param name="Body">The body, up to the cap.</param>
/// <param name="RequestId">The upstream request id, or <see langword="null"/>.</param>
/// <param name="RetryAfter">The delay <c>Retry-After</c> asks for, or <see langword="null"/>.</param>
internal record UpstreamResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId, TimeSpan? RetryAfter)
{
    /// <summary>Reads what every answer carries.</summary>
    /// <param name="response">A response that came through the guard.</param>
    /// <param name="requestIdHeader">The header carrying the upstream request id.</param>
    /// <returns>The answer.</returns>
    public static UpstreamResponse Of(HttpResponseMessage response, string requestIdHeader) =>
        new(response.StatusCode, UpstreamGuardHandler.BodyOf(response), UpstreamHttp.Header(response, requestIdHeader), UpstreamHttp.RetryAfter(response));

    /// <summary>Gets a value indicating whether the status is a 2xx.</summary>
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    /// <summary>Gets the start of the body, for a protocol error.</summary>
    /// <returns>The excerpt.</returns>
    public string Excerpt() => OrderSourceProtocolException.ExcerptOf(Body);
}
