using System.Globalization;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Diagnostics;
using OrderHub.Http;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace OrderHub.Outposts.Http;

/// <summary>
/// Sends Outposts calls through the SigV4-signing client with the AWS SDKs' standard retry mode: throttling codes,
/// 500/502/503/504 and timeouts, exponential backoff with jitter, bounded. Retries sit outside the signer, so every
/// attempt is a new request, signed afresh. A call that must not repeat (CreateOrder) is retried only when the
/// failure proves it was not processed: a throttle, or a connection that was never made.
/// </summary>
internal sealed partial class OutpostsTransport
{
    private static readonly ResiliencePropertyKey<bool> MayRepeatKey = new("OrderHub.MayRepeat");
    private static readonly ResiliencePropertyKey<CallBudget> BudgetKey = new("OrderHub.CallBudget");
    private static readonly ResiliencePropertyKey<OutpostsCall> CallKey = new("OrderHub.Call");

    private readonly UpstreamClient _http;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<OutpostsResponse> _pipeline;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _callTimeout;
    private readonly long _maxResponseBytes;

    public OutpostsTransport(UpstreamClient signedHttp, OutpostsOrderSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _http = signedHttp;
        _logger = logger;
        _timeProvider = timeProvider;
        _callTimeout = options.CallTimeout;
        _maxResponseBytes = options.MaxResponseBytes;
        var builder = new ResiliencePipelineBuilder<OutpostsResponse> { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<OutpostsResponse>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = OutpostsDefaults.MaxRetryDelay,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    var call = args.Context.Properties.GetValue(CallKey, null!);
                    var source = call.Context.SourceName ?? OutpostsDefaults.SourceName;
                    var reason = args.Outcome.Result is { } result
                        ? (OutpostsErrors.IsThrottling(result) ? "throttled" : (int)result.StatusCode >= 500 ? "server_error" : "other")
                        : args.Outcome.Exception is TimeoutRejectedException ? "timeout" : "transport_error";
                    OrderHubTelemetry.RecordRetry(source, call.Operation, reason);
                    LogRetry(_logger, source, call.Operation, call.Context.OrderId, args.AttemptNumber + 1, args.Outcome.Result?.ErrorType ?? reason, args.Outcome.Result?.RequestId, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        // Polly's own metrics (meter "Polly": attempts, retries, durations), under this source's name.
        builder.Name = "OrderHub.Outposts";
        builder.InstanceName = options.SourceName;
        builder.ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance });
        _pipeline = builder.Build();
        _attemptTimeout = HttpExchange.AttemptTimeout(options.AttemptTimeout, timeProvider);
    }

    public Task<OutpostsResponse> SendAsync(OutpostsCall call, CancellationToken cancellationToken) =>
        OrderHubTelemetry.TraceCallAsync(
            call.Context.SourceName ?? OutpostsDefaults.SourceName,
            call.Operation,
            () => SendWithRetriesAsync(call, cancellationToken),
            response => (response.StatusCode, response.RequestId));

    private async Task<OutpostsResponse> SendWithRetriesAsync(OutpostsCall call, CancellationToken cancellationToken)
    {
        var budget = new CallBudget(_callTimeout, _timeProvider);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(MayRepeatKey, call.MayRepeat);
        context.Properties.Set(BudgetKey, budget);
        context.Properties.Set(CallKey, call);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<OutpostsResponse>(state.Self.AttemptAsync(state.Call, state.Budget, ctx.CancellationToken)),
                context,
                (Self: this, Call: call, Budget: budget)).ConfigureAwait(false);
        }
        catch (AmazonClientException e)
        {
            throw new OrderSourceAuthenticationException(
                "No AWS credentials could be found to sign the Outposts request: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the Credentials option.",
                call.Context,
                e);
        }
        catch (Exception e) when (HttpExchange.IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new OrderSourceUnavailableException(
                budget.IsSpent
                    ? string.Create(CultureInfo.InvariantCulture, $"AWS Outposts did not answer {call.Operation} within the call's budget of {budget.Total.TotalSeconds:0.#} s (CallTimeout).")
                    : call.MayRepeat
                    ? $"AWS Outposts could not be reached for {call.Operation}."
                    : $"AWS Outposts could not be reached for {call.Operation}, and it is not retried: the request may have been processed. Check with ListOrders before trying again.",
                call.Context,
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

    private async Task<OutpostsResponse> AttemptAsync(OutpostsCall call, CallBudget budget, CancellationToken cancellationToken)
    {
        if (budget.IsSpent)
        {
            throw new TimeoutRejectedException("The call's budget is spent.");
        }

        using var message = new HttpRequestMessage(call.Method, call.Uri) { Content = call.Content?.Invoke() };
        message.Headers.Accept.ParseAdd("application/json");
        var limits = new ExchangeLimits("AWS Outposts", _maxResponseBytes, call.Context, OutpostsDefaults.RequestIdHeader, budget.Remaining)
        {
            Operation = call.Operation,
            Clock = _timeProvider,
        };
        var (response, body) = await HttpExchange.SendAsync(_http.Next(), message, _attemptTimeout, limits, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var answer = new OutpostsResponse(
                response.StatusCode,
                body,
                HttpExchange.Header(response, OutpostsDefaults.RequestIdHeader),
                response.IsSuccessStatusCode ? null : OutpostsErrors.ParseErrorType(HttpExchange.Header(response, OutpostsDefaults.ErrorTypeHeader), body),
                HttpExchange.RetryAfter(response));
            if (OutpostsErrors.IsThrottling(answer))
            {
                LogThrottled(_logger, call.Context.SourceName ?? OutpostsDefaults.SourceName, call.Operation, call.Context.OrderId, answer.ErrorType, answer.RequestId);
            }

            return answer;
        }
    }

    private static bool ShouldRetry(Outcome<OutpostsResponse> outcome, ResilienceContext context)
    {
        if (context.Properties.TryGetValue(BudgetKey, out var budget) && budget.IsSpent)
        {
            return false;
        }

        var mayRepeat = context.Properties.GetValue(MayRepeatKey, false);
        if (outcome.Exception is { } exception)
        {
            return !context.CancellationToken.IsCancellationRequested
                && HttpExchange.IsTransportFailure(exception)
                && (mayRepeat || HttpExchange.ProvesNotSent(exception));
        }

        var response = outcome.Result!;
        return OutpostsErrors.IsThrottling(response) || (mayRepeat && OutpostsErrors.IsTransient(response));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Source} {Operation} for order {OrderId} (attempt {Attempt}) after {Reason} (request {RequestId}), in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string source, string operation, string? orderId, int attempt, string reason, string? requestId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {Operation} for order {OrderId} was throttled ({ErrorType}, request {RequestId}).")]
    private static partial void LogThrottled(ILogger logger, string source, string operation, string? orderId, string? errorType, string? requestId);
}
