namespace OrderHub.Http;

/// <summary>
/// Where a source's exchanges end: one long-lived handler given once (its pooled connections are recycled, so DNS
/// changes are seen), or, under dependency injection, the handler chain <c>IHttpMessageHandlerFactory</c> hands out at
/// the moment of each exchange (user handlers included, rotated on the factory's schedule).
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    private readonly HttpMessageHandler? _fixed;
    private readonly bool _ownsFixed;
    private readonly Func<HttpMessageHandler>? _handlers;

    private UpstreamClient(HttpMessageHandler? handler, bool ownsHandler, Func<HttpMessageHandler>? handlers)
    {
        _fixed = handler;
        _ownsFixed = ownsHandler;
        _handlers = handlers;
    }

    /// <summary>One handler for the source's life.</summary>
    public static UpstreamClient Over(HttpMessageHandler handler, bool ownsHandler) => new(handler, ownsHandler, null);

    /// <summary>The handler chain the factory gives at each exchange; the first is checked now.</summary>
    /// <exception cref="ArgumentException">The chain follows redirects.</exception>
    public static UpstreamClient PerExchange(Func<HttpMessageHandler> handlers, string parameterName)
    {
        UpstreamHttp.EnsureRedirectsNotFollowed(handlers(), parameterName);
        return new(null, false, handlers);
    }

    /// <summary>
    /// Gets a handler that ends a handler chain here: each request goes to the handler of the moment. Disposing it
    /// disposes nothing of this client's.
    /// </summary>
    public HttpMessageHandler AsInnermostHandler() => new Forwarding(this);

    public void Dispose()
    {
        if (_ownsFixed)
        {
            _fixed?.Dispose();
        }
    }

    // An invoker, not a client: a retried request is the same message, sent again below the client that sent it once.
    private sealed class Forwarding(UpstreamClient owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var invoker = new HttpMessageInvoker(owner._fixed ?? owner._handlers!(), disposeHandler: false);
            return invoker.SendAsync(request, cancellationToken);
        }
    }
}
