using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using OrderHub.Diagnostics;
using OrderHub.Http;
using OrderHub.RateLimits;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Wire;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace OrderHub.SellingPartner.Http;

/// <summary>
/// The Selling Partner API as one source calls it: the Refit interface (<see cref="ISellingPartnerApi"/>) over the
/// upstream client skeleton, with the Selling Partner's retry predicate (429 when the caller waits, 500, 502, 503, 504,
/// and one extra retry after a refused token), its rate limiter between the retry and the attempt timeout (the source's
/// shared bucket, waited for or refused per call), and its handlers of each attempt: the access token and the bucket's
/// feedback. Callers see OrderHub's exceptions only.
/// </summary>
internal sealed partial class SellingPartnerClient(SellingPartnerOrderSourceOptions options, UpstreamContext context)
    : UpstreamClient<ISellingPartnerApi, SellingPartnerCall, SellingPartnerResponse>(
        Protocol,
        options,
        options.BaseAddress,
        context,
        [new AccessTokenHandler(), new RateLimitFeedbackHandler(1 - options.PacingMargin, context.Logger)])
{
    private static readonly UpstreamProtocol<SellingPartnerCall, SellingPartnerResponse> Protocol = new()
    {
        Upstream = "The Selling Partner API",
        PipelineName = "OrderHub.SellingPartner",
        RequestIdHeader = SellingPartnerDefaults.RequestIdHeader,
        Settings = new(new SystemTextJsonContentSerializer(SellingPartnerJsonContext.Default.Options)) { Buffered = true },
        UserAgent = UpstreamHttp.UserAgent,
        Read = response => new(response.StatusCode, UpstreamGuardHandler.BodyOf(response), UpstreamHttp.Header(response, SellingPartnerDefaults.RequestIdHeader), UpstreamHttp.RetryAfter(response)),
        ShouldRetry = ShouldRetry,

        // The one retry a refreshed token earns, beyond MaxRetryAttempts.
        ExtraRetries = 1,

        // The token is made ready before the permit: a refresh between the permit and the send would delay a burst
        // past the server's refill, and a refresh that fails would waste the permit.
        PrepareAsync = static async (call, cancellationToken) => await call.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false),

        // The permit: the call's own bucket, waited for (within the call's limit) or refused at once; the wait is not
        // part of the call's budget, and is measured.
        AddCallStrategies = static builder => builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = static args => AcquirePermitAsync(args.Context) }),
        OnRetry = static (call, answer) =>
        {
            if (call.TokenRejected)
            {
                LogTokenRejected(call.Logger, call.SourceName, answer?.RequestId);
            }
        },
        Translate = Translate,
    };

    /// <summary>Describes a call: its token source, bucket and throttle mode, and whether it may be sent again after it may have been processed (not a call that creates something).</summary>
    public SellingPartnerCall Call(IAccessTokenSource tokens, IQuotaLimiter limiter, ThrottleMode mode, OrderErrorContext context, string operation, TimeSpan? maxPermitWait = null, bool mayRepeat = true) => new()
    {
        Operation = operation,
        MayRepeat = mayRepeat,
        Context = context,
        Tokens = tokens,
        Limiter = limiter,
        ThrottleMode = mode,
        MaxPermitWait = maxPermitWait,
    };

    private static UpstreamRetry ShouldRetry(SellingPartnerResponse answer, SellingPartnerCall call) => answer.StatusCode switch
    {
        // The token was revoked or expired early and has been forgotten: one retry fetches a new one.
        _ when call.TokenRejected => UpstreamRetry.Extra("token_rejected"),

        // Fail-fast callers asked not to wait: a 429 goes straight back to them.
        HttpStatusCode.TooManyRequests => call.ThrottleMode == ThrottleMode.Wait ? UpstreamRetry.Throttled() : UpstreamRetry.No,
        HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => UpstreamRetry.Failed(answer.StatusCode),
        _ => UpstreamRetry.No,
    };

    private static Exception? Translate(Exception e, SellingPartnerCall call) => e switch
    {
        RateLimiterRejectedException rejected => new OrderSourceThrottledException(
            call.ThrottleMode == ThrottleMode.FailFast
                ? $"The {call.SourceName} rate limit has no permit free now and the call was set to fail fast."
                : call.MaxPermitWait is { } accepted && rejected.RetryAfter > accepted
                    ? $"The {call.SourceName} rate limit has no permit free within the {accepted.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s this call may wait."
                    : $"The {call.SourceName} rate limit's queue is full.",
            rejected.RetryAfter,
            call.Context),
        QuotaStoreUnavailableException store => new OrderSourceUnavailableException(store.Message, call.Context, store),
        _ => null,
    };

    private static async ValueTask<System.Threading.RateLimiting.RateLimitLease> AcquirePermitAsync(ResilienceContext context)
    {
        var call = UpstreamClientBuilder.CallOf<SellingPartnerCall>(context);
        var started = call.Clock.GetTimestamp();
        var lease = await call.Limiter.AcquireAsync(
            call.ThrottleMode == ThrottleMode.FailFast ? TimeSpan.Zero : call.MaxPermitWait,
            wait =>
            {
                if (wait >= NoticeablePermitWait)
                {
                    LogPermitWait(call.Logger, call.SourceName, call.Operation, wait, call.Limiter.SharedThrough ?? "this process only");
                }

                OrderHubTelemetry.PermitWaiting(call.SourceName, call.Operation, wait, call.Limiter.SharedThrough);
            },
            context.CancellationToken).ConfigureAwait(false);
        var waited = call.Clock.GetElapsedTime(started);
        call.Budget.Exclude(waited);
        OrderHubTelemetry.RecordPermitWait(call.SourceName, call.Operation, waited);
        if (lease.IsAcquired && call.Budget.IsSpent)
        {
            lease.Dispose();
            throw new TimeoutRejectedException("The call's budget is spent.");
        }

        return lease;
    }

    /// <summary>A permit's wait long enough to be logged: shorter ones are the pacing's ordinary rhythm.</summary>
    private static readonly TimeSpan NoticeablePermitWait = TimeSpan.FromSeconds(2);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} waits about {Wait} for a {Operation} permit (quota shared through {SharedThrough}).")]
    private static partial void LogPermitWait(ILogger logger, string source, string operation, TimeSpan wait, string sharedThrough);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Selling Partner API rejected the access token of {Source} (request {RequestId}); refreshing it once.")]
    private static partial void LogTokenRejected(ILogger logger, string source, string? requestId);
}
