using Polly;
using Refit;

namespace OrderHub.Http;

/// <summary>
/// What one upstream is to the client skeleton (<see cref="UpstreamClient{TApi, TCall, TResponse}"/>), beyond its
/// operations (the Refit interface) and its handlers: its names, how an answer is read, the retry predicate, and the
/// failures of its own that become OrderHub's exceptions. One instance per upstream, stateless, shared by every source.
/// </summary>
/// <typeparam name="TCall">The provider's call.</typeparam>
/// <typeparam name="TResponse">The provider's answer.</typeparam>
internal sealed class UpstreamProtocol<TCall, TResponse>
    where TCall : UpstreamCall
    where TResponse : UpstreamResponse
{
    /// <summary>Gets the upstream's name for messages (for example "The Selling Partner API").</summary>
    public required string Upstream { get; init; }

    /// <summary>Gets the resilience pipeline's name (Polly's telemetry), for example <c>OrderHub.SellingPartner</c>.</summary>
    public required string PipelineName { get; init; }

    /// <summary>Gets the header carrying the upstream request id.</summary>
    public required string RequestIdHeader { get; init; }

    /// <summary>Gets how an answer that came through the guard is read (<see cref="UpstreamResponse.Of"/> and what the provider parses).</summary>
    public required Func<HttpResponseMessage, TResponse> Read { get; init; }

    /// <summary>
    /// Gets the retry predicate of an answer. Transport failures are the skeleton's: retried when the call may repeat,
    /// or when the failure proves the request was never sent. Neither is retried once the call's budget is spent.
    /// </summary>
    public required Func<TResponse, TCall, UpstreamRetry> ShouldRetry { get; init; }

    /// <summary>Gets the Refit settings (the serializer of request bodies).</summary>
    public RefitSettings Settings { get; init; } = new();

    /// <summary>Gets the <c>User-Agent</c> sent, or <see langword="null"/> for none.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Gets the longest retry delay the backoff reaches.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets how many extra retries (<see cref="UpstreamRetry.Extra"/>) one call may take.</summary>
    public int ExtraRetries { get; init; }

    /// <summary>Gets what is made ready before the call's first attempt (and before any permit), or <see langword="null"/>.</summary>
    public Func<TCall, CancellationToken, ValueTask>? PrepareAsync { get; init; }

    /// <summary>Gets the strategies between the retry and the attempt timeout (a rate limiter), or <see langword="null"/>.</summary>
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>>? AddCallStrategies { get; init; }

    /// <summary>Gets what is done as an answer is retried, beyond the retry's metric and log, or <see langword="null"/>.</summary>
    public Action<TCall, TResponse?>? OnRetry { get; init; }

    /// <summary>Gets the translation of the upstream's own failures into OrderHub's exceptions (<see langword="null"/> for a failure it does not know), or <see langword="null"/>.</summary>
    public Func<Exception, TCall, Exception?>? Translate { get; init; }

    /// <summary>
    /// Gets what is added to the message of a failed call that must not repeat and may have been processed (how to
    /// find out), or <see langword="null"/>.
    /// </summary>
    public string? NotRepeatedAdvice { get; init; }
}
