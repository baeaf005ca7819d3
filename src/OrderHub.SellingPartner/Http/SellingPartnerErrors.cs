using System.Net;
using System.Text.Json;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Http;

/// <summary>Turns a Selling Partner API error response (its <c>errors</c> array and status) into OrderHub's exceptions.</summary>
internal static class SellingPartnerErrors
{
    public static OrderHubException ToException(SellingPartnerResponse response, OrderErrorContext context, string operation, TimeSpan? defaultRetryAfter)
    {
        SpError? first = null;
        try
        {
            first = JsonSerializer.Deserialize(response.Body, SellingPartnerJsonContext.Default.SpErrorList)?.Errors?.FirstOrDefault();
        }
        catch (JsonException)
        {
            // An error without a readable body is still classified by its status.
        }

        context = context with { StatusCode = response.StatusCode, RequestId = response.RequestId, ErrorCode = first?.Code };
        var detail = first is null ? $"HTTP {(int)response.StatusCode}" : $"{first.Code}: {first.Message}";
        var subject = context.OrderId is null ? operation : $"{operation} for {context.OrderId}";

        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest => new InvalidOrderRequestException($"The Selling Partner API rejected {subject} as invalid ({detail}).", context),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new OrderSourceAuthenticationException($"The Selling Partner API denied {subject} ({detail}).", context),
            HttpStatusCode.NotFound => new OrderNotFoundException($"The Selling Partner API has no result for {subject} ({detail}).", context),
            HttpStatusCode.TooManyRequests => new OrderSourceThrottledException(
                $"The Selling Partner API throttled {subject} ({detail}).", response.RetryAfter ?? defaultRetryAfter, context),
            >= HttpStatusCode.InternalServerError => new OrderSourceUnavailableException($"The Selling Partner API failed {subject} ({detail}).", context),
            _ => new OrderSourceProtocolException($"The Selling Partner API answered {subject} with an unexpected HTTP {(int)response.StatusCode}.", response.Excerpt(), context),
        };
    }

    public static OrderSourceProtocolException Malformed(SellingPartnerResponse response, OrderErrorContext context, string what, Exception? inner = null) =>
        new($"The Selling Partner API's response could not be understood: {what}.", response.Excerpt(), context with { StatusCode = response.StatusCode, RequestId = response.RequestId }, inner);

    /// <summary>
    /// Tells whether an error body says a token is invalid or expired: an error whose message or details name a token
    /// and call it expired or invalid, or (with <paramref name="orCode"/>) whose code is that one.
    /// </summary>
    /// <param name="body">The error body.</param>
    /// <param name="orCode">An error code that says so too, or <see langword="null"/>.</param>
    /// <returns>Whether the body says so; <see langword="false"/> for a body that is not the documented JSON.</returns>
    public static bool SaysTokenIsBad(byte[] body, string? orCode = null)
    {
        try
        {
            return JsonSerializer.Deserialize(body, SellingPartnerJsonContext.Default.SpErrorList)?.Errors?.Any(e =>
                (orCode is not null && string.Equals(e.Code, orCode, StringComparison.OrdinalIgnoreCase))
                || MentionsBadToken(e.Message) || MentionsBadToken(e.Details)) == true;
        }
        catch (JsonException)
        {
            return false;
        }

        static bool MentionsBadToken(string? text) =>
            text is not null
            && text.Contains("token", StringComparison.OrdinalIgnoreCase)
            && (text.Contains("expired", StringComparison.OrdinalIgnoreCase) || text.Contains("invalid", StringComparison.OrdinalIgnoreCase));
    }
}
