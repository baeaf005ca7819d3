using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Diagnostics;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace OrderHub.Http;

/// <summary>
/// Builds the handler chain of an upstream client, the same for every provider: one resilience pipeline
/// (Microsoft.Extensions.Http.Resilience over Polly: the retry, the provider's call strategies such as a rate limiter,
/// the attempt timeout bounded by the call's budget), then the provider's handlers of each attempt, the guard (no
/// redirects, the body cap, attempt telemetry), the provider's network handlers (a signer) and the transport.
/// Stateless: everything it builds belongs to the client it builds for.
/// </summary>
internal static partial class UpstreamClientBuilder
{
    // Polly treats a zero timeout as none: what is left of a call's budget is at least a millisecond.
    private static readonly TimeSpan MinimumAttemptTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>Builds the chain, outermost first.</summary>
    /// <typeparam name="TCall">The provider's call.</typeparam>
    /// <typeparam name="TResponse">The provider's answer.</typeparam>
    /// <param name="protocol">The upstream.</param>
    /// <param name="options">The source's upstream settings (its name is the pipeline's instance, for Polly's telemetry).</param>
    /// <param name="context">The source's transport, clock and logger.</param>
    /// <param name="attemptHandlers">The provider's handlers of each attempt, above the guard, outermost first.</param>
    /// <param name="network">Wraps the transport below the guard (a signer), or <see langword="null"/>.</param>
    /// <returns>The outermost handler; disposing it disposes the chain, never the transport's handlers.</returns>
    public static HttpMessageHandler BuildChain<TCall, TResponse>(
        UpstreamProtocol<TCall, TResponse> protocol,
        UpstreamClientOptions options,
        UpstreamContext context,
        IReadOnlyList<DelegatingHandler> attemptHandlers,
        Func<HttpMessageHandler, HttpMessageHandler>? network)
        where TCall : UpstreamCall
        where TResponse : UpstreamResponse
    {
        var transport = context.Transport.AsInnermostHandler();
        HttpMessageHandler inner = new UpstreamGuardHandler { InnerHandler = network is null ? transport : network(transport) };
        for (var i = attemptHandlers.Count - 1; i >= 0; i--)
        {
            attemptHandlers[i].InnerHandler = inner;
            inner = attemptHandlers[i];
        }

        return new ResilienceHandler(BuildPipeline(protocol, options, context.Clock)) { InnerHandler = inner };
    }

    /// <summary>Gets the call of the request a pipeline runs for.</summary>
    /// <typeparam name="T">The provider's call type.</typeparam>
    /// <param name="context">The pipeline's context, which <c>ResilienceHandler</c> gives the request.</param>
    /// <returns>The call.</returns>
    public static T CallOf<T>(ResilienceContext context)
        where T : UpstreamCall =>
        UpstreamCall.Of<T>(context.GetRequestMessage() ?? throw new InvalidOperationException("The pipeline runs without its request."));

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline<TCall, TResponse>(UpstreamProtocol<TCall, TResponse> protocol, UpstreamClientOptions options, TimeProvider clock)
        where TCall : UpstreamCall
        where TResponse : UpstreamResponse
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = clock,
            Name = protocol.PipelineName,
            InstanceName = options.SourceName,
        };

        var maxRetries = options.MaxRetryAttempts;
        if (maxRetries + protocol.ExtraRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = maxRetries + protocol.ExtraRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = protocol.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(protocol, args.Outcome, CallOf<TCall>(args.Context), args.AttemptNumber, maxRetries, args.Context.CancellationToken)),
                DelayGenerator = static args => ValueTask.FromResult(
                    CallOf<UpstreamCall>(args.Context).Retry.IsExtra ? TimeSpan.Zero : args.Outcome.Result is { } answer ? UpstreamHttp.RetryAfter(answer) : null),
                OnRetry = args =>
                {
                    var call = CallOf<TCall>(args.Context);
                    var answer = args.Outcome.Result is { } result ? protocol.Read(result) : null;
                    var reason = call.Retry.Reason ?? "other";
                    OrderHubTelemetry.RecordRetry(call.SourceName, call.Operation, reason);
                    protocol.OnRetry?.Invoke(call, answer);
                    LogRetry(call.Logger, call.SourceName, call.Operation, call.Context.OrderId, args.AttemptNumber + 1, call.Retry.Detail ?? reason, answer?.RequestId, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        protocol.AddCallStrategies?.Invoke(builder);

        // Each attempt is bounded, by the attempt timeout or by what is left of the call's budget.
        var attemptTimeout = options.AttemptTimeout;
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Timeout = attemptTimeout,
            TimeoutGenerator = args =>
            {
                var remaining = CallOf<UpstreamCall>(args.Context).Budget.Remaining;
                return ValueTask.FromResult(remaining < attemptTimeout ? (remaining > MinimumAttemptTimeout ? remaining : MinimumAttemptTimeout) : attemptTimeout);
            },
        });

        // Polly's own metrics (meter "Polly": attempts, retries, durations), under this source's name.
        builder.ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance });
        return builder.Build();
    }

    // The answer's retry is the provider's; a transport failure's is the same for every provider. Nothing is retried
    // once the call's budget is spent, and an extra retry does not count against MaxRetryAttempts.
    private static bool ShouldRetry<TCall, TResponse>(UpstreamProtocol<TCall, TResponse> protocol, Outcome<HttpResponseMessage> outcome, TCall call, int attemptNumber, int maxRetries, CancellationToken cancellationToken)
        where TCall : UpstreamCall
        where TResponse : UpstreamResponse
    {
        var retry = outcome.Result is { } answer
            ? protocol.ShouldRetry(protocol.Read(answer), call)
            : outcome.Exception is { } exception && UpstreamHttp.IsTransportFailure(exception) && !cancellationToken.IsCancellationRequested && (call.MayRepeat || UpstreamHttp.ProvesNotSent(exception))
                ? new UpstreamRetry(exception is TimeoutRejectedException ? "timeout" : "transport_error")
                : UpstreamRetry.No;
        call.Retry = UpstreamRetry.No;
        if (!retry.Retries || call.Budget.IsSpent)
        {
            return false;
        }

        if (retry.IsExtra)
        {
            if (call.ExtraRetriesTaken >= protocol.ExtraRetries)
            {
                return false;
            }

            call.ExtraRetriesTaken++;
        }
        else if (attemptNumber - call.ExtraRetriesTaken >= maxRetries)
        {
            // Extra retries taken count too: one call never takes more than 1 + MaxRetryAttempts + ExtraRetries attempts.
            return false;
        }

        call.Retry = retry;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Source} {Operation} for order {OrderId} (attempt {Attempt}) after {Reason} (request {RequestId}), in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string source, string operation, string? orderId, int attempt, string reason, string? requestId, TimeSpan delay);
}
