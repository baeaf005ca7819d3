using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using OrderHub.Http;

namespace OrderHub.SellingPartner.Http;

/// <summary>
/// Puts the access token in <c>x-amz-access-token</c> on every attempt, after its permit (the token cache hands out a
/// fresh one if the wait took it near its expiry), and forgets a token the API refuses as invalid or expired.
/// </summary>
internal sealed class AccessTokenHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = UpstreamCall.Of<SellingPartnerCall>(request);
        call.TokenRejected = false;
        var token = await call.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Remove(SellingPartnerDefaults.AccessTokenHeader);
        request.Headers.TryAddWithoutValidation(SellingPartnerDefaults.AccessTokenHeader, token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

        // LWA tokens that expired or were revoked come back as 403 with a message naming the token.
        if (response.StatusCode == HttpStatusCode.Forbidden && SellingPartnerErrors.SaysTokenIsBad(UpstreamGuardHandler.BodyOf(response), orCode: "InvalidToken"))
        {
            call.Tokens.Invalidate(token);
            call.TokenRejected = true;
        }

        return response;
    }
}

/// <summary>
/// What each answer says of the quota, written to the bucket (and so to every process that shares it): the rate the
/// API announces in <c>x-amzn-RateLimit-Limit</c> is adopted (less the pacing margin), a 429 empties the bucket, and
/// every answer that passed the throttle is counted, which is how a burst smaller than the documented one is learned.
/// </summary>
internal sealed partial class RateLimitFeedbackHandler(double pacing, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = UpstreamCall.Of<SellingPartnerCall>(request);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(SellingPartnerDefaults.RateLimitHeader, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            && rate > 0
            && !double.IsInfinity(rate)
            && Math.Abs((rate * pacing) - call.Limiter.PermitsPerSecond) > 1e-9)
        {
            await call.Limiter.AdoptRateAsync(rate * pacing, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            LogThrottled(logger, call.SourceName, call.Operation, call.Context.OrderId, UpstreamHttp.Header(response, SellingPartnerDefaults.RequestIdHeader));
            await call.Limiter.DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        else if ((int)response.StatusCode < 500)
        {
            await call.Limiter.RecordAcceptedAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {Operation} for order {OrderId} was throttled (429, request {RequestId}); the rate-limit bucket is emptied, for every process that shares it.")]
    private static partial void LogThrottled(ILogger logger, string source, string operation, string? orderId, string? requestId);
}
