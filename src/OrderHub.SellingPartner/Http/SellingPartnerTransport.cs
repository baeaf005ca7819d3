using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Diagnostics;
using OrderHub.Http;
using OrderHub.SellingPartner.Wire;
using OrderHub.Throttling;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace OrderHub.SellingPartner.Http;

/// <summary>
/// Sends Selling Partner API calls: one rate-limit permit per attempt, the access token in <c>x-amz-access-token</c>,
/// the announced rate adopted, the bucket emptied on a 429, bounded retries with backoff and jitter (Polly), and one
/// token refresh when the API says the token is invalid or expired.
/// </summary>
internal sealed partial class SellingPartnerTransport
{
    private static readonly ResiliencePropertyKey<ThrottleMode> ThrottleModeKey = new("OrderHub.ThrottleMode");
    private static readonly ResiliencePropertyKey<CallBudget> BudgetKey = new("OrderHub.CallBudget");
    private static readonly ResiliencePropertyKey<bool> TokenRefreshedKey = new("OrderHub.TokenRefreshed");
    private static readonly ResiliencePropertyKey<SellingPartnerRequest> RequestKey = new("OrderHub.Request");
    private static readonly string UserAgent = BuildUserAgent();

    private readonly UpstreamClient _http;
    private readonly ILogger _logger;
    private readonly double _pacing;
    private readonly ResiliencePipeline<SellingPartnerResponse> _pipeline;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _callTimeout;
    private readonly long _maxResponseBytes;

    public SellingPartnerTransport(UpstreamClient http, SellingPartnerOrderSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _http = http;
        _logger = logger;
        _timeProvider = timeProvider;
        _callTimeout = options.CallTimeout;
        _maxResponseBytes = options.MaxResponseBytes;
        _pacing = 1 - options.PacingMargin;
        var maxRetries = options.MaxRetryAttempts;
        var builder = new ResiliencePipelineBuilder<SellingPartnerResponse> { TimeProvider = timeProvider };
        // One more attempt than configured is allowed only for the retry after a token refresh.
        builder.AddRetry(new RetryStrategyOptions<SellingPartnerResponse>
        {
            MaxRetryAttempts = maxRetries + 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromMinutes(1),
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, args.AttemptNumber, maxRetries)),
            DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result is { TokenRejected: true } ? TimeSpan.Zero : args.Outcome.Result?.RetryAfter),
            OnRetry = args =>
            {
                var request = args.Context.Properties.GetValue(RequestKey, null!);
                var source = request.Context.SourceName ?? SellingPartnerDefaults.SourceName;
                var reason = args.Outcome.Result is { } result
                    ? (result.TokenRejected ? "token_rejected" : ReasonOf(result.StatusCode))
                    : args.Outcome.Exception is TimeoutRejectedException ? "timeout" : "transport_error";
                OrderHubTelemetry.RecordRetry(source, request.Operation, reason);
                if (args.Outcome.Result is { TokenRejected: true } rejected)
                {
                    LogTokenRejected(_logger, source, rejected.RequestId);
                }

                LogRetry(_logger, source, request.Operation, request.Context.OrderId, args.AttemptNumber + 1, reason, args.Outcome.Result?.RequestId, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        });

        // Polly's own metrics (meter "Polly": attempts, retries, durations), under this source's name.
        builder.Name = "OrderHub.SellingPartner";
        builder.InstanceName = options.SourceName;
        builder.ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance });
        _pipeline = builder.Build();

        _attemptTimeout = HttpExchange.AttemptTimeout(options.AttemptTimeout, timeProvider);
    }

    /// <summary>Sends a call, retrying what is transient; returns the final response whatever its status.</summary>
    /// <exception cref="OrderSourceUnavailableException">The API could not be reached, or timed out, on every attempt.</exception>
    /// <exception cref="OrderSourceThrottledException">No permit was free and the call was set to fail fast.</exception>
    public async Task<SellingPartnerResponse> SendAsync(SellingPartnerRequest request, CancellationToken cancellationToken)
    {
        var budget = new CallBudget(_callTimeout, _timeProvider);
        return await OrderHubTelemetry.TraceCallAsync(
            request.Context.SourceName ?? SellingPartnerDefaults.SourceName,
            request.Operation,
            () => SendWithRetriesAsync(request, budget, cancellationToken),
            response => (response.StatusCode, response.RequestId)).ConfigureAwait(false);
    }

    private async Task<SellingPartnerResponse> SendWithRetriesAsync(SellingPartnerRequest request, CallBudget budget, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ThrottleModeKey, request.ThrottleMode);
        context.Properties.Set(BudgetKey, budget);
        context.Properties.Set(RequestKey, request);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<SellingPartnerResponse>(state.Self.AttemptAsync(state.Request, state.Budget, ctx.CancellationToken)),
                context,
                (Self: this, Request: request, Budget: budget)).ConfigureAwait(false);
        }
        catch (Exception e) when (HttpExchange.IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new OrderSourceUnavailableException(
                budget.IsSpent
                    ? string.Create(CultureInfo.InvariantCulture, $"The Selling Partner API did not answer within the call's budget of {budget.Total.TotalSeconds:0.#} s (CallTimeout; {DescribeTransportFailure(e)}).")
                    : $"The Selling Partner API could not be reached ({DescribeTransportFailure(e)}).",
                request.Context,
                e)
            {
                TimedOut = e is Polly.Timeout.TimeoutRejectedException,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<SellingPartnerResponse> AttemptAsync(SellingPartnerRequest request, CallBudget budget, CancellationToken cancellationToken)
    {
        // The token is made ready before the permit (a refresh between the permit and the send would delay a burst past
        // the server's refill, and a refresh that fails would waste the permit), then taken again after it: after a
        // long queue the one fetched before may be near its expiry, and the cache hands out a fresh one.
        await request.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var waitStarted = _timeProvider.GetTimestamp();
        using var lease = await RateLimitGate.AcquireAsync(request.Limiter, request.ThrottleMode, request.MaxPermitWait, request.Context, cancellationToken).ConfigureAwait(false);
        var waited = _timeProvider.GetElapsedTime(waitStarted);
        budget.Exclude(waited);
        OrderHubTelemetry.RecordPermitWait(request.Context.SourceName ?? SellingPartnerDefaults.SourceName, request.Operation, waited);
        if (budget.IsSpent)
        {
            throw new TimeoutRejectedException("The call's budget is spent.");
        }

        var token = await request.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        using var message = new HttpRequestMessage(request.Method, request.Uri) { Content = request.Content?.Invoke() };
        message.Headers.TryAddWithoutValidation(SellingPartnerDefaults.AccessTokenHeader, token);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.Accept.ParseAdd("application/json");

        var limits = new ExchangeLimits("The Selling Partner API", _maxResponseBytes, request.Context, SellingPartnerDefaults.RequestIdHeader, budget.Remaining)
        {
            Operation = request.Operation,
            Clock = _timeProvider,
        };
        var (response, body) = await HttpExchange.SendAsync(_http.Next(), message, _attemptTimeout, limits, cancellationToken).ConfigureAwait(false);
        using var disposeResponse = response;

        await AdoptAnnouncedRateAsync(response, request.Limiter, _pacing, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            LogThrottled(_logger, request.Context.SourceName ?? SellingPartnerDefaults.SourceName, request.Operation, request.Context.OrderId, HttpExchange.Header(response, SellingPartnerDefaults.RequestIdHeader));
            await request.Limiter.DrainAsync(cancellationToken).ConfigureAwait(false);
        }

        var tokenRejected = response.StatusCode == HttpStatusCode.Forbidden && IsTokenRejection(body);
        if (tokenRejected)
        {
            request.Tokens.Invalidate(token);
        }

        return new SellingPartnerResponse(
            response.StatusCode,
            body,
            HttpExchange.Header(response, SellingPartnerDefaults.RequestIdHeader),
            HttpExchange.RetryAfter(response))
        {
            TokenRejected = tokenRejected,
        };
    }

    private static bool ShouldRetry(Outcome<SellingPartnerResponse> outcome, ResilienceContext context, int attemptNumber, int maxRetries)
    {
        if (context.Properties.TryGetValue(BudgetKey, out var budget) && budget.IsSpent)
        {
            return false;
        }

        if (outcome.Result is not { TokenRejected: true })
        {
            // Retries spent on a token refresh count too: one call never takes more than 1 + MaxRetryAttempts + 1 permits.
            var retriesUsed = attemptNumber - (context.Properties.GetValue(TokenRefreshedKey, false) ? 1 : 0);
            if (retriesUsed >= maxRetries)
            {
                return false;
            }
        }

        if (outcome.Exception is { } exception)
        {
            return HttpExchange.IsTransportFailure(exception) && !context.CancellationToken.IsCancellationRequested;
        }

        if (outcome.Result!.TokenRejected)
        {
            // The token was revoked or expired early and has been forgotten: one retry fetches a new one. It is one of
            // the call's retries, not a second round of them.
            var first = !context.Properties.GetValue(TokenRefreshedKey, false);
            context.Properties.Set(TokenRefreshedKey, true);
            return first;
        }

        return outcome.Result.StatusCode switch
        {
            // Fail-fast callers asked not to wait: a 429 goes straight back to them.
            HttpStatusCode.TooManyRequests => context.Properties.GetValue(ThrottleModeKey, ThrottleMode.Wait) == ThrottleMode.Wait,
            HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
            _ => false,
        };
    }

    private static string DescribeTransportFailure(Exception exception) => exception switch
    {
        TimeoutRejectedException => "every attempt timed out",
        _ => "the connection failed",
    };

    private static async ValueTask AdoptAnnouncedRateAsync(HttpResponseMessage response, IQuotaLimiter limiter, double pacing, CancellationToken cancellationToken)
    {
        if (response.Headers.TryGetValues(SellingPartnerDefaults.RateLimitHeader, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
            && rate > 0
            && !double.IsInfinity(rate)
            && Math.Abs((rate * pacing) - limiter.PermitsPerSecond) > 1e-9)
        {
            await limiter.AdoptRateAsync(rate * pacing, cancellationToken).ConfigureAwait(false);
        }
    }

    // LWA tokens that expired or were revoked come back as 403 with a message naming the token.
    private static bool IsTokenRejection(byte[] body)
    {
        try
        {
            var errors = JsonSerializer.Deserialize(body, SellingPartnerJsonContext.Default.SpErrorList)?.Errors;
            return errors?.Any(e =>
                string.Equals(e.Code, "InvalidToken", StringComparison.OrdinalIgnoreCase)
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

    private static string BuildUserAgent()
    {
        var version = typeof(SellingPartnerTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"OrderHub/{(plus > 0 ? version[..plus] : version)} (Language=.NET; Platform={Environment.OSVersion.Platform})";
    }

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "throttled",
        _ when (int)status >= 500 => "server_error",
        _ => "other",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Source} {Operation} for order {OrderId} (attempt {Attempt}) after {Reason} (request {RequestId}), in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string source, string operation, string? orderId, int attempt, string reason, string? requestId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {Operation} for order {OrderId} was throttled (429, request {RequestId}); the rate-limit bucket is emptied, for every process that shares it.")]
    private static partial void LogThrottled(ILogger logger, string source, string operation, string? orderId, string? requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Selling Partner API rejected the access token of {Source} (request {RequestId}); refreshing it once.")]
    private static partial void LogTokenRejected(ILogger logger, string source, string? requestId);
}
