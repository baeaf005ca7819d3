using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Diagnostics;
using OrderHub.Http;
using OrderHub.Outposts.Wire;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using Refit;

namespace OrderHub.Outposts.Http;

/// <summary>
/// AWS Outposts as one source calls it: the Refit interface (<see cref="IOutpostsApi"/>) over one resilience pipeline
/// (Microsoft.Extensions.Http.Resilience, Polly) with the AWS SDKs' standard retry mode (throttling codes, 500, 502,
/// 503, 504 and transport failures, exponential backoff with jitter, bounded; a call that must not repeat, CreateOrder,
/// only when the failure proves it was not processed) around the attempt timeout; then the guard (no redirects, the
/// body cap, attempt telemetry) and, innermost, AWSSDK.Core's SigV4 signer, so every attempt is signed afresh.
/// </summary>
internal sealed partial class OutpostsClient : IDisposable
{
    private static readonly RefitSettings Settings = new(new SystemTextJsonContentSerializer(OutpostsJsonContext.Default.Options)) { Buffered = true };

    private readonly HttpClient _http;
    private readonly OutpostsOrderSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public OutpostsClient(UpstreamClient upstream, Uri serviceUrl, AWSCredentials credentials, RegionEndpoint region, OutpostsOrderSourceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        var chain = new ResilienceHandler(BuildPipeline())
        {
            InnerHandler = new UpstreamGuardHandler
            {
                InnerHandler = new FreshSignatureHandler
                {
                    InnerHandler = new SigV4SigningHandler(credentials, region, OutpostsDefaults.SigningName, upstream.AsInnermostHandler()),
                },
            },
        };
        _http = new HttpClient(chain) { BaseAddress = serviceUrl, Timeout = Timeout.InfiniteTimeSpan };
        Api = RestService.For<IOutpostsApi>(_http, Settings);
    }

    /// <summary>Gets the Refit client; call it through <see cref="SendAsync"/>.</summary>
    public IOutpostsApi Api { get; }

    /// <summary>Describes a call, with a fresh budget.</summary>
    public OutpostsCall Call(string operation, OrderErrorContext context, bool mayRepeat) => new()
    {
        Upstream = "AWS Outposts",
        Operation = operation,
        Context = context,
        RequestIdHeader = OutpostsDefaults.RequestIdHeader,
        MaxResponseBytes = _options.MaxResponseBytes,
        Budget = new CallBudget(_options.CallTimeout, _timeProvider),
        Clock = _timeProvider,
        MayRepeat = mayRepeat,
    };

    /// <summary>Sends a call under one client span and returns its final answer, whatever its status.</summary>
    /// <exception cref="OrderSourceUnavailableException">The service could not be reached, or timed out, within the retries allowed.</exception>
    /// <exception cref="OrderSourceAuthenticationException">No AWS credentials could be found to sign the request.</exception>
    public Task<OutpostsResponse> SendAsync(OutpostsCall call, Func<IOutpostsApi, OutpostsCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken) =>
        OrderHubTelemetry.TraceCallAsync(call.SourceName, call.Operation, () => SendCoreAsync(call, send, cancellationToken), response => (response.StatusCode, response.RequestId));

    public void Dispose() => _http.Dispose();

    private async Task<OutpostsResponse> SendCoreAsync(OutpostsCall call, Func<IOutpostsApi, OutpostsCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send(Api, call, cancellationToken).ConfigureAwait(false);
            return Read(response);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(UpstreamHttp.Unwrap(e), call) is { } translated)
        {
            throw translated;
        }
    }

    private static OutpostsResponse Read(HttpResponseMessage response)
    {
        var body = UpstreamGuardHandler.BodyOf(response);
        return new OutpostsResponse(
            response.StatusCode,
            body,
            UpstreamHttp.Header(response, OutpostsDefaults.RequestIdHeader),
            response.IsSuccessStatusCode ? null : OutpostsErrors.ParseErrorType(UpstreamHttp.Header(response, OutpostsDefaults.ErrorTypeHeader), body),
            UpstreamHttp.RetryAfter(response));
    }

    private static Exception? Translate(Exception e, OutpostsCall call) => e switch
    {
        OrderHubException known => known,
        AmazonClientException => new OrderSourceAuthenticationException(
            "No AWS credentials could be found to sign the Outposts request: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the Credentials option.",
            call.Context,
            e),
        _ when UpstreamHttp.IsTransportFailure(e) => new OrderSourceUnavailableException(
            call.Budget.IsSpent
                ? string.Create(CultureInfo.InvariantCulture, $"AWS Outposts did not answer {call.Operation} within the call's budget of {call.Budget.Total.TotalSeconds:0.#} s (CallTimeout).")
                : call.MayRepeat
                ? $"AWS Outposts could not be reached for {call.Operation}."
                : $"AWS Outposts could not be reached for {call.Operation}, and it is not retried: the request may have been processed. Check with ListOrders before trying again.",
            call.Context,
            e)
        {
            TimedOut = e is TimeoutRejectedException,
        },
        _ => null,
    };

    private static OutpostsCall CallOf(ResilienceContext context) => UpstreamPipeline.CallOf<OutpostsCall>(context);

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = _timeProvider,
            Name = "OrderHub.Outposts",
            InstanceName = _options.SourceName,
        };
        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = OutpostsDefaults.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result is { } answer ? UpstreamHttp.RetryAfter(answer) : null),
                OnRetry = args =>
                {
                    var call = CallOf(args.Context);
                    var answer = args.Outcome.Result is { } result ? Read(result) : null;
                    var reason = answer is null
                        ? (args.Outcome.Exception is TimeoutRejectedException ? "timeout" : "transport_error")
                        : OutpostsErrors.IsThrottling(answer) ? "throttled" : (int)answer.StatusCode >= 500 ? "server_error" : "other";
                    OrderHubTelemetry.RecordRetry(call.SourceName, call.Operation, reason);
                    LogRetry(_logger, call.SourceName, call.Operation, call.Context.OrderId, args.AttemptNumber + 1, answer?.ErrorType ?? reason, answer?.RequestId, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddAttemptTimeout(_options.AttemptTimeout);

        // Polly's own metrics (meter "Polly": attempts, retries, durations), under this source's name.
        builder.ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance });
        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var call = CallOf(context);
        if (outcome.Result is { } result)
        {
            var answer = Read(result);
            if (OutpostsErrors.IsThrottling(answer))
            {
                LogThrottled(_logger, call.SourceName, call.Operation, call.Context.OrderId, answer.ErrorType, answer.RequestId);
            }

            return !call.Budget.IsSpent && (OutpostsErrors.IsThrottling(answer) || (call.MayRepeat && OutpostsErrors.IsTransient(answer)));
        }

        if (call.Budget.IsSpent || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var exception = outcome.Exception!;
        return UpstreamHttp.IsTransportFailure(exception) && (call.MayRepeat || UpstreamHttp.ProvesNotSent(exception));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Source} {Operation} for order {OrderId} (attempt {Attempt}) after {Reason} (request {RequestId}), in {Delay}.")]
    private static partial void LogRetry(ILogger logger, string source, string operation, string? orderId, int attempt, string reason, string? requestId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {Operation} for order {OrderId} was throttled ({ErrorType}, request {RequestId}).")]
    private static partial void LogThrottled(ILogger logger, string source, string operation, string? orderId, string? errorType, string? requestId);

    /// <summary>
    /// Takes the last attempt's signature off a retried request, so the signer signs it afresh rather than twice, and the
    /// trace headers put on that attempt below the signer (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>): each
    /// attempt gets its own there (OpenTelemetry's HTTP instrumentation adds them to the message again), so a signature
    /// over the last attempt's would not match what is sent.
    /// </summary>
    private sealed class FreshSignatureHandler : DelegatingHandler
    {
        private static readonly string[] SignatureHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            foreach (var header in SignatureHeaders.Concat(System.Diagnostics.DistributedContextPropagator.Current.Fields))
            {
                request.Headers.Remove(header);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
