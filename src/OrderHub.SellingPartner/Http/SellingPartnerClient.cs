using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Diagnostics;
using OrderHub.Http;
using OrderHub.RateLimits;
using OrderHub.SellingPartner.Auth;
using OrderHub.SellingPartner.Wire;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using Refit;

namespace OrderHub.SellingPartner.Http;

/// <summary>
/// The Selling Partner API as one source calls it: the Refit interface (<see cref="ISellingPartnerApi"/>) over one
/// resilience pipeline (Microsoft.Extensions.Http.Resilience, Polly): retry (429 when the caller waits, 5xx, transport
/// failures, one token refresh) around the rate limiter (the source's shared bucket, waiting or failing fast per call)
/// around the attempt timeout; then the handlers of each attempt: the access token, the bucket's feedback, the guard
/// (no redirects, the body cap, attempt telemetry). Callers see OrderHub's exceptions only.
/// </summary>
internal sealed partial class SellingPartnerClient : IDisposable
{
    private static readonly string UserAgent = BuildUserAgent();
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(SellingPartnerJsonContext.Default.Options)) { Buffered = true };

    private readonly HttpClient _http;
    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public SellingPartnerClient(UpstreamClient upstream, SellingPartnerOrderSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        var chain = new ResilienceHandler(BuildPipeline())
        {
            InnerHandler = new AccessTokenHandler
            {
                InnerHandler = new RateLimitFeedbackHandler(1 - options.PacingMargin, logger)
                {
                    InnerHandler = new UpstreamGuardHandler { InnerHandler = upstream.AsInnermostHandler() },
                },
            },
        };
        _http = new HttpClient(chain) { BaseAddress = options.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        Api = RestService.For<ISellingPartnerApi>(_http, Settings);
    }

    /// <summary>Gets the Refit client; call it through <see cref="SendAsync"/>.</summary>
    public ISellingPartnerApi Api { get; }

    /// <summary>Describes a call: its token source, bucket and throttle mode, with a fresh budget.</summary>
    public SellingPartnerCall Call(IAccessTokenSource tokens, IQuotaLimiter limiter, ThrottleMode mode, OrderErrorContext context, string operation, TimeSpan? maxPermitWait = null) => new()
    {
        Upstream = "The Selling Partner API",
        Operation = operation,
        Context = context,
        RequestIdHeader = SellingPartnerDefaults.RequestIdHeader,
        MaxResponseBytes = _options.MaxResponseBytes,
        Budget = new CallBudget(_options.CallTimeout, _timeProvider),
        Clock = _timeProvider,
        Tokens = tokens,
        Limiter = limiter,
        ThrottleMode = mode,
        MaxPermitWait = maxPermitWait,
    };

    /// <summary>Sends a call under one client span and returns its final answer, whatever its status.</summary>
    /// <exception cref="OrderSourceUnavailableException">The API could not be reached, or timed out, on every attempt; or the shared bucket's store cannot be used.</exception>
    /// <exception cref="OrderSourceThrottledException">No permit was free within what the call may wait.</exception>
    public Task<SellingPartnerResponse> SendAsync(SellingPartnerCall call, Func<ISellingPartnerApi, SellingPartnerCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken) =>
        OrderHubTelemetry.TraceCallAsync(call.SourceName, call.Operation, () => SendCoreAsync(call, send, cancellationToken), response => (response.StatusCode, response.RequestId));

    public void Dispose() => _http.Dispose();

    private async Task<SellingPartnerResponse> SendCoreAsync(SellingPartnerCall call, Func<ISellingPartnerApi, SellingPartnerCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        // The token is made ready before the permit: a refresh between the permit and the send would delay a burst
        // past the server's refill, and a refresh that fails would waste the permit.
        await call.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await send(Api, call, cancellationToken).ConfigureAwait(false);
            var body = UpstreamGuardHandler.BodyOf(response);
            return new SellingPartnerResponse(response.StatusCode, body, UpstreamHttp.Header(response, SellingPartnerDefaults.RequestIdHeader), UpstreamHttp.RetryAfter(response))
            {
                TokenRejected = call.TokenRejected,
            };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(UpstreamHttp.Unwrap(e), call) is { } translated)
        {
            throw translated;
        }
    }

    private static Exception? Translate(Exception e, SellingPartnerCall call) => e switch
    {
        OrderHubException known => known,
        RateLimiterRejectedException rejected => new OrderSourceThrottledException(
            call.ThrottleMode == ThrottleMode.FailFast
                ? $"The {call.SourceName} rate limit has no permit free now and the call was set to fail fast."
                : call.MaxPermitWait is { } accepted && rejected.RetryAfter > accepted
                    ? $"The {call.SourceName} rate limit has no permit free within the {accepted.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s this call may wait."
                    : $"The {call.SourceName} rate limit's queue is full.",
            rejected.RetryAfter,
            call.Context),
        QuotaStoreUnavailableException store => new OrderSourceUnavailableException(store.Message, call.Context, store),
        _ when UpstreamHttp.IsTransportFailure(e) => new OrderSourceUnavailableException(
            call.Budget.IsSpent
                ? string.Create(CultureInfo.InvariantCulture, $"The Selling Partner API did not answer within the call's budget of {call.Budget.Total.TotalSeconds:0.#} s (CallTimeout; {(e is TimeoutRejectedException ? "every attempt timed out" : "the connection failed")}).")
                : $"The Selling Partner API could not be reached ({(e is TimeoutRejectedException ? "every attempt timed out" : "the connection failed")}).",
            call.Context,
            e)
        {
            TimedOut = e is TimeoutRejectedException,
        },
        _ => null,
    };

    private static SellingPartnerCall CallOf(ResilienceContext context) => UpstreamPipeline.CallOf<SellingPartnerCall>(context);

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var maxRetries = _options.MaxRetryAttempts;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = _timeProvider,
            Name = "OrderHub.SellingPartner",
            InstanceName = _options.SourceName,
        };

        // One more attempt than configured is allowed only for the retry after a token refresh.
        builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = maxRetries + 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromMinutes(1),
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, args.AttemptNumber, maxRetries)),
            DelayGenerator = static args => ValueTask.FromResult(
                CallOf(args.Context).TokenRejected ? TimeSpan.Zero : args.Outcome.Result is { } answer ? UpstreamHttp.RetryAfter(answer) : null),
            OnRetry = args =>
            {
                var call = CallOf(args.Context);
                var reason = args.Outcome.Result is { } result
                    ? (call.TokenRejected ? "token_rejected" : ReasonOf(result.StatusCode))
                    : args.Outcome.Exception is TimeoutRejectedException ? "timeout" : "transport_error";
                OrderHubTelemetry.RecordRetry(call.SourceName, call.Operation, reason);
                var requestId = args.Outcome.Result is { } answered ? UpstreamHttp.Header(answered, SellingPartnerDefaults.RequestIdHeader) : null;
                if (call.TokenRejected)
                {
                    LogTokenRejected(_logger, call.SourceName, requestId);
                }

                LogRetry(_logger, call.SourceName, call.Operation, call.Context.OrderId, args.AttemptNumber + 1, reason, requestId, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        });

        // The permit: the call's own bucket, waited for (within the call's limit) or refused at once; the wait is not
        // part of the call's budget, and is measured.
        builder.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => AcquirePermitAsync(args.Context) });

        // Each attempt is bounded, by the attempt timeout or by what is left of the call's budget.
        builder.AddAttemptTimeout(_options.AttemptTimeout);

        // Polly's own metrics (meter "Polly": attempts, retries, durations), under this source's name.
        builder.ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance });
        return builder.Build();
    }

    private async ValueTask<System.Threading.RateLimiting.RateLimitLease> AcquirePermitAsync(ResilienceContext context)
    {
        var call = CallOf(context);
        var started = _timeProvider.GetTimestamp();
        var lease = await call.Limiter.AcquireAsync(call.ThrottleMode == ThrottleMode.FailFast ? TimeSpan.Zero : call.MaxPermitWait, context.CancellationToken).ConfigureAwait(false);
        var waited = _timeProvider.GetElapsedTime(started);
        call.Budget.Exclude(waited);
        OrderHubTelemetry.RecordPermitWait(call.SourceName, call.Operation, waited);
        if (lease.IsAcquired && call.Budget.IsSpent)
        {
            lease.Dispose();
            throw new TimeoutRejectedException("The call's budget is spent.");
        }

        return lease;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, int attemptNumber, int maxRetries)
    {
        var call = CallOf(context);
        if (call.Budget.IsSpent)
        {
            return false;
        }

        if (!call.TokenRejected)
        {
            // Retries spent on a token refresh count too: one call never takes more than 1 + MaxRetryAttempts + 1 permits.
            var retriesUsed = attemptNumber - (call.TokenRefreshed ? 1 : 0);
            if (retriesUsed >= maxRetries)
            {
                return false;
            }
        }

        if (outcome.Exception is { } exception)
        {
            return UpstreamHttp.IsTransportFailure(exception) && !context.CancellationToken.IsCancellationRequested;
        }

        if (call.TokenRejected)
        {
            // The token was revoked or expired early and has been forgotten: one retry fetches a new one. It is one of
            // the call's retries, not a second round of them.
            var first = !call.TokenRefreshed;
            call.TokenRefreshed = true;
            return first;
        }

        return outcome.Result!.StatusCode switch
        {
            // Fail-fast callers asked not to wait: a 429 goes straight back to them.
            HttpStatusCode.TooManyRequests => call.ThrottleMode == ThrottleMode.Wait,
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
            _ => false,
        };
    }

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "throttled",
        _ when (int)status >= 500 => "server_error",
        _ => "other",
    };

    private static string BuildUserAgent()
    {
        var version = typeof(SellingPartnerClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"OrderHub/{(plus > 0 ? version[..plus] : version)} (Language=.NET; Platform={Environment.OSVersion.Platform})";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Source} {Operation} for order {OrderId} (attempt {Attempt}) after {Reason} (request {RequestId}), in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string source, string operation, string? orderId, int attempt, string reason, string? requestId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Selling Partner API rejected the access token of {Source} (request {RequestId}); refreshing it once.")]
    private static partial void LogTokenRejected(ILogger logger, string source, string? requestId);
}
