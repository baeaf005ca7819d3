namespace OrderHub.Http;

/// <summary>
/// Where a source's exchanges end: one long-lived handler given once (its pooled connections are recycled, so DNS
/// changes are seen), or, under dependency injection, the handler chain <c>IHttpMessageHandlerFactory</c> hands out at
/// the moment of each exchange (user handlers included, rotated on the factory's schedule).
/// </summary>
internal sealed class UpstreamTransport : IDisposable
{
    private readonly HttpMessageHandler? _fixed;
    private readonly bool _ownsFixed;
    private readonly Func<HttpMessageHandler>? _handlers;

    private UpstreamTransport(HttpMessageHandler? handler, bool ownsHandler, Func<HttpMessageHandler>? handlers)
    {
        _fixed = handler;
        _ownsFixed = ownsHandler;
        _handlers = handlers;
    }

    /// <summary>
    /// One handler for the source's life: the caller's, which must not follow redirects and is never disposed here, or,
    /// when none is given, one OrderHub creates (<see cref="UpstreamHttp.CreateHandler"/>) and owns.
    /// </summary>
    /// <param name="handler">The caller's handler, or <see langword="null"/>.</param>
    /// <param name="parameterName">The argument it was given as, for the exception.</param>
    /// <exception cref="ArgumentException">The handler follows redirects.</exception>
    public static UpstreamTransport Given(HttpMessageHandler? handler, string parameterName)
    {
        if (handler is null)
        {
            return Over(UpstreamHttp.CreateHandler(), ownsHandler: true);
        }

        UpstreamHttp.EnsureRedirectsNotFollowed(handler, parameterName);
        return Over(handler, ownsHandler: false);
    }

    /// <summary>One handler for the source's life, disposed with the transport when it owns it.</summary>
    /// <param name="handler">The handler.</param>
    /// <param name="ownsHandler">Whether disposing the transport disposes the handler.</param>
    /// <returns>The transport.</returns>
    public static UpstreamTransport Over(HttpMessageHandler handler, bool ownsHandler) => new(handler, ownsHandler, null);

    /// <summary>The handler chain the factory gives at each exchange; the first is checked now.</summary>
    /// <exception cref="ArgumentException">The chain follows redirects.</exception>
    public static UpstreamTransport PerExchange(Func<HttpMessageHandler> handlers, string parameterName)
    {
        UpstreamHttp.EnsureRedirectsNotFollowed(handlers(), parameterName);
        return new(null, false, handlers);
    }

    /// <summary>
    /// Gets a handler that ends a handler chain here: each request goes to the handler of the moment. Disposing it
    /// disposes nothing of this transport's.
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
    private sealed class Forwarding(UpstreamTransport owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            using var invoker = new HttpMessageInvoker(owner._fixed ?? owner._handlers!(), disposeHandler: false);
            return invoker.SendAsync(request, cancellationToken);
        }
    }
}
