namespace OrderHub.Http;

/// <summary>
/// Where a source's exchanges get their <see cref="HttpClient"/>: one long-lived client over a handler given once (its
/// pooled connections are recycled, so DNS changes are seen), or, under dependency injection, a client per exchange
/// over the handler chain <c>IHttpMessageHandlerFactory</c> hands out at that moment (user handlers included, rotated
/// on the factory's schedule).
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    private readonly HttpClient? _fixed;
    private readonly Func<HttpMessageHandler>? _handlers;

    private UpstreamClient(HttpClient? client, Func<HttpMessageHandler>? handlers)
    {
        _fixed = client;
        _handlers = handlers;
    }

    /// <summary>One client over one handler for the source's life.</summary>
    public static UpstreamClient Over(HttpMessageHandler handler, bool ownsHandler) =>
        new(new HttpClient(handler, ownsHandler) { Timeout = Timeout.InfiniteTimeSpan }, null);

    /// <summary>A client per exchange over the handler chain the factory gives at that moment; the first is checked now.</summary>
    /// <exception cref="ArgumentException">The chain follows redirects.</exception>
    public static UpstreamClient PerExchange(Func<HttpMessageHandler> handlers, string parameterName)
    {
        HttpExchange.EnsureRedirectsNotFollowed(handlers(), parameterName);
        return new(null, handlers);
    }

    /// <summary>Gets the client for the next exchange.</summary>
    public HttpClient Next() =>
        _fixed ?? new HttpClient(_handlers!(), disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose() => _fixed?.Dispose();
}
