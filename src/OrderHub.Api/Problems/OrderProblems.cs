using Microsoft.AspNetCore.Http;

namespace OrderHub.Api.Problems;

/// <summary>OrderHub's errors as RFC 9457 <c>application/problem+json</c>, each with the upstream request id.</summary>
internal static class OrderProblems
{
    public static IResult From(OrderHubException error, HttpContext http)
    {
        var (status, title) = error switch
        {
            InvalidOrderRequestException => (StatusCodes.Status400BadRequest, "Invalid request"),
            OrderConflictException => (StatusCodes.Status409Conflict, "Conflict with the order's state"),
            OrderNotFoundException => (StatusCodes.Status404NotFound, "Order not found"),
            OrderSourceThrottledException => (StatusCodes.Status429TooManyRequests, "Upstream rate limit reached"),
            OrderSourceUnavailableException { TimedOut: true } => (StatusCodes.Status504GatewayTimeout, "Upstream timed out"),
            OrderSourceUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Upstream unavailable"),
            OrderSourceAuthenticationException => (StatusCodes.Status502BadGateway, "Upstream refused this service's credentials"),
            _ => (StatusCodes.Status502BadGateway, "Upstream response not understood"),
        };
        if (error is OrderSourceThrottledException { RetryAfter: { } retryAfter })
        {
            SetRetryAfter(http, retryAfter);
        }

        return Results.Problem(statusCode: status, title: title, detail: error.Message, extensions: new Dictionary<string, object?>
        {
            ["source"] = error.SourceName,
            ["orderId"] = error.OrderId,
            ["requestId"] = error.RequestId,
            ["upstreamStatus"] = (int?)error.StatusCode,
            ["upstreamErrorCode"] = error.ErrorCode,
        });
    }

    public static IResult Unauthorized() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "API key required",
        detail: $"Send a valid key in the {Security.ApiKeyAuthenticator.HeaderName} header.");

    public static IResult KeyInQuery() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "API key in the URL",
        detail: $"API keys are accepted only in the {Security.ApiKeyAuthenticator.HeaderName} header: URLs end up in logs and histories. Send the key in the header, and replace a key that was sent in a URL.");

    public static IResult RefreshNotAllowed() => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Refresh not allowed for this key",
        detail: "refresh=true reads upstream and spends the seller's quota: it needs a key with the refresh permission (AllowRefresh; a ':refresh' suffix in ORDERHUB_API_KEYS). Leave refresh out to be served from the store.",
        extensions: new Dictionary<string, object?> { ["permission"] = "refresh" });

    public static IResult RawNotAllowed() => Results.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "The raw payload is not allowed for this key",
        detail: "include=raw returns the provider's own payload, which can hold personal data: it needs a key allowed personal data (AllowPersonalData; a ':pii' suffix in ORDERHUB_API_KEYS). Leave include out for the unified order.",
        extensions: new Dictionary<string, object?> { ["permission"] = "pii" });

    public static IResult InvalidQuery(string parameter, string expected) => InvalidParameter(parameter, $"The query parameter '{parameter}' must be {expected}.");

    /// <summary>A query parameter not accepted: the <c>parameter</c> extension names it, the detail says what is accepted.</summary>
    public static IResult InvalidParameter(string parameter, string detail) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid request",
        detail: detail,
        extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static IResult QueryNotSupported() => Results.Problem(
        statusCode: StatusCodes.Status501NotImplemented,
        title: "Order queries not supported by this store",
        detail: "The service's order store does not answer queries (IOrderQuery): use the SQLite or PostgreSQL store to list and summarize orders. Orders can still be read one by one at /orders/{orderId}.");

    public static IResult ChangesNotSupported() => Results.Problem(
        statusCode: StatusCodes.Status501NotImplemented,
        title: "Changes not supported by this store",
        detail: "The service's order store keeps no change log (IOrderChangeLog): use the SQLite or PostgreSQL store to follow changes.");

    /// <summary>A change log position older than what the store keeps: the <c>prunedThrough</c> extension says from where reading is valid again.</summary>
    public static IResult ChangePositionExpired(OrderHub.Sync.OrderChangePositionExpiredException error) => Results.Problem(
        statusCode: StatusCodes.Status410Gone,
        title: "Change position no longer kept",
        detail: System.FormattableString.Invariant($"The store no longer keeps the changes that follow position {error.Position}: changes up to {error.PrunedThrough} were pruned. Start again from GET /orders, then read /changes?after={error.PrunedThrough} or a later position."),
        extensions: new Dictionary<string, object?> { ["position"] = error.Position, ["prunedThrough"] = error.PrunedThrough });

    public static IResult StoreUnavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Order store unavailable",
        detail: "The service's order store cannot be used right now; the service's log says why. Try again later.");

    /// <summary>What a request Kestrel rejected before reading it is answered with, by the status Kestrel chose.</summary>
    public static IResult RejectedByServer(int status)
    {
        var (title, detail) = status switch
        {
            StatusCodes.Status400BadRequest => ("Malformed request", "The request could not be read: its request line or a header is not valid HTTP/1.1 (a control character such as NUL, a raw non-ASCII byte, a malformed line). Percent-encode the path and send header values in ASCII."),
            StatusCodes.Status505HttpVersionNotsupported => ("HTTP version not supported", "The request's HTTP version is not served: send HTTP/1.1."),
            StatusCodes.Status408RequestTimeout => ("Request headers too slow", "The request line and headers did not arrive in time; the connection is closed."),
            StatusCodes.Status414UriTooLong => ("Request line too long", "The request line is longer than the server accepts."),
            StatusCodes.Status431RequestHeaderFieldsTooLarge => ("Request headers too large", "The request's headers are larger than the server accepts."),
            _ => (Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), "The server rejected the request before reading it."),
        };
        return Results.Problem(statusCode: status, title: title, detail: detail);
    }

    private static void SetRetryAfter(HttpContext http, TimeSpan retryAfter) =>
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
