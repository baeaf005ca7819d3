using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.Extensions.Logging;
using OrderHub.Http;
using OrderHub.Outposts.Wire;
using Refit;

namespace OrderHub.Outposts.Http;

/// <summary>
/// AWS Outposts as one source calls it: the Refit interface (<see cref="IOutpostsApi"/>) over the upstream client
/// skeleton, with the AWS SDKs' standard retry mode as the retry predicate (throttling codes, 500, 502, 503, 504 and
/// transport failures, exponential backoff with jitter, bounded; a call that must not repeat, CreateOrder, only when the
/// failure proves it was not processed); below the guard, AWSSDK.Core's SigV4 signer, so every attempt is signed afresh.
/// </summary>
internal sealed partial class OutpostsClient(OutpostsOrderSourceOptions options, Uri serviceUrl, AWSCredentials credentials, RegionEndpoint region, UpstreamContext context)
    : UpstreamClient<IOutpostsApi, UpstreamCall, OutpostsResponse>(
        Protocol,
        options,
        serviceUrl,
        context,
        [],
        network => new FreshSignatureHandler { InnerHandler = new SigV4SigningHandler(credentials, region, OutpostsDefaults.SigningName, network) })
{
    private static readonly UpstreamProtocol<UpstreamCall, OutpostsResponse> Protocol = new()
    {
        Upstream = "AWS Outposts",
        PipelineName = "OrderHub.Outposts",
        RequestIdHeader = OutpostsDefaults.RequestIdHeader,
        Settings = new(new SystemTextJsonContentSerializer(OutpostsJsonContext.Default.Options)) { Buffered = true },
        MaxRetryDelay = OutpostsDefaults.MaxRetryDelay,
        Read = Read,
        ShouldRetry = ShouldRetry,
        Translate = static (e, call) => e is AmazonClientException
            ? new OrderSourceAuthenticationException(
                "No AWS credentials could be found to sign the Outposts request: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the Credentials option.",
                call.Context,
                e)
            : null,
        NotRepeatedAdvice = "Check with ListOrders before trying again.",
    };

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

    private static UpstreamRetry ShouldRetry(OutpostsResponse answer, UpstreamCall call)
    {
        if (OutpostsErrors.IsThrottling(answer))
        {
            LogThrottled(call.Logger, call.SourceName, call.Operation, call.Context.OrderId, answer.ErrorType, answer.RequestId);
            return UpstreamRetry.Throttled(answer.ErrorType);
        }

        return call.MayRepeat && OutpostsErrors.IsTransient(answer) ? UpstreamRetry.Failed(answer.StatusCode, answer.ErrorType) : UpstreamRetry.No;
    }

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
