using System.Globalization;
using OrderHub.Diagnostics;
using Polly.Timeout;
using Refit;

namespace OrderHub.Http;

/// <summary>
/// One source's client of one upstream: its Refit interface over the chain <see cref="UpstreamClientBuilder"/>
/// builds, and the sending every provider shares: a fresh budget per call, one client span around all its attempts,
/// and every failure as OrderHub's own exception (transport failures said the same way for every upstream, the
/// upstream's own through <see cref="UpstreamProtocol{TCall, TResponse}.Translate"/>). A provider adds only its
/// operations, its protocol (the retry predicate) and its handlers.
/// </summary>
/// <typeparam name="TApi">The Refit interface.</typeparam>
/// <typeparam name="TCall">The provider's call.</typeparam>
/// <typeparam name="TResponse">The provider's answer.</typeparam>
internal class UpstreamClient<TApi, TCall, TResponse> : IDisposable
    where TApi : class
    where TCall : UpstreamCall
    where TResponse : UpstreamResponse
{
    private readonly UpstreamProtocol<TCall, TResponse> _protocol;
    private readonly UpstreamClientOptions _options;
    private readonly UpstreamContext _context;
    private readonly HttpClient _http;

    /// <summary>Initializes a new instance of the <see cref="UpstreamClient{TApi, TCall, TResponse}"/> class.</summary>
    /// <param name="protocol">The upstream.</param>
    /// <param name="options">The source's upstream settings.</param>
    /// <param name="baseAddress">Where the operations' paths are resolved.</param>
    /// <param name="context">The source's transport, clock and logger.</param>
    /// <param name="attemptHandlers">The provider's handlers of each attempt, above the guard, outermost first.</param>
    /// <param name="network">Wraps the transport below the guard (a signer), or <see langword="null"/>.</param>
    public UpstreamClient(
        UpstreamProtocol<TCall, TResponse> protocol,
        UpstreamClientOptions options,
        Uri baseAddress,
        UpstreamContext context,
        IReadOnlyList<DelegatingHandler> attemptHandlers,
        Func<HttpMessageHandler, HttpMessageHandler>? network = null)
    {
        _protocol = protocol;
        _options = options;
        _context = context;
        _http = new HttpClient(UpstreamClientBuilder.BuildChain(protocol, options, context, attemptHandlers, network))
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (protocol.UserAgent is { } userAgent)
        {
            _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        }

        Api = RestService.For<TApi>(_http, protocol.Settings);
    }

    /// <summary>Gets the Refit client; call it through <see cref="SendAsync"/>.</summary>
    public TApi Api { get; }

    /// <summary>Sends a call under one client span and returns its final answer, whatever its status.</summary>
    /// <param name="call">The call; it starts here, with a fresh budget.</param>
    /// <param name="send">Calls one operation of <see cref="Api"/> with the call.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="OrderSourceUnavailableException">The upstream could not be reached, or timed out, within the retries and the budget allowed.</exception>
    public Task<TResponse> SendAsync(TCall call, Func<TApi, TCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        call.Start(_protocol.Upstream, _protocol.RequestIdHeader, _options, _context.Clock, _context.Logger);
        return OrderHubTelemetry.TraceCallAsync(call.SourceName, call.Operation, () => SendCoreAsync(call, send, cancellationToken), response => (response.StatusCode, response.RequestId));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<TResponse> SendCoreAsync(TCall call, Func<TApi, TCall, CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        if (_protocol.PrepareAsync is { } prepare)
        {
            await prepare(call, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            using var response = await send(Api, call, cancellationToken).ConfigureAwait(false);
            return _protocol.Read(response);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Translate(UpstreamHttp.Unwrap(e), call) is { } translated)
        {
            throw translated;
        }
    }

    private Exception? Translate(Exception e, TCall call) => e switch
    {
        OrderHubException known => known,
        _ when _protocol.Translate?.Invoke(e, call) is { } own => own,
        _ when UpstreamHttp.IsTransportFailure(e) => new OrderSourceUnavailableException(Unreachable(e, call), call.Context, e)
        {
            TimedOut = e is TimeoutRejectedException,
        },
        _ => null,
    };

    private string Unreachable(Exception e, TCall call)
    {
        var how = e is TimeoutRejectedException ? "every attempt timed out" : "the connection failed";
        if (call.Budget.IsSpent)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{call.Upstream} did not answer {call.Operation} within the call's budget of {call.Budget.Total.TotalSeconds:0.#} s (CallTimeout; {how}).");
        }

        return call.MayRepeat
            ? $"{call.Upstream} could not be reached for {call.Operation} ({how})."
            : $"{call.Upstream} could not be reached for {call.Operation} ({how}), and it is not retried: the request may have been processed.{(_protocol.NotRepeatedAdvice is { } advice ? " " + advice : string.Empty)}";
    }
}
