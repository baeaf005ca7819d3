using System.Buffers;
using System.Net;
using OrderHub.Diagnostics;
using Polly;
using Polly.Timeout;

namespace OrderHub.Http;

/// <summary>
/// One HTTP attempt as every provider makes it: send, refuse redirects, read the body up to a cap, within an attempt
/// timeout. Credentials never leave the configured host: a redirect is an error, never followed.
/// </summary>
internal static class HttpExchange
{
    /// <summary>The most bytes read from one upstream response unless configured otherwise: 4 MiB.</summary>
    public const long DefaultMaxResponseBytes = 4L * 1024 * 1024;

    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("OrderHub.AttemptTimeout");
    private static readonly TimeSpan MinimumAttemptTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>Builds the per-attempt timeout (on the given clock) that <see cref="SendAsync"/> runs under.</summary>
    /// <param name="timeout">How long one attempt may take, unless <see cref="SendAsync"/> is given less.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The timeout pipeline.</returns>
    public static ResiliencePipeline AttemptTimeout(TimeSpan timeout, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(new TimeoutStrategyOptions
            {
                Timeout = timeout,
                // Polly treats a zero timeout as none: what is left of a call's budget is at least a millisecond.
                TimeoutGenerator = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(AttemptTimeoutKey, out var shorter) && shorter < timeout
                        ? (shorter > MinimumAttemptTimeout ? shorter : MinimumAttemptTimeout)
                        : timeout),
            })
            .Build();

    /// <summary>
    /// Creates the handler OrderHub's own clients send through: it never follows redirects (a credential header would
    /// go along to the new host) and recycles connections every 5 minutes so DNS changes are seen.
    /// </summary>
    /// <returns>A new handler; the caller owns it.</returns>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
    };

    /// <summary>
    /// Checks that a handler chain given by a caller does not follow redirects: walks the delegating handlers down to
    /// the primary one and refuses a <see cref="SocketsHttpHandler"/> or <see cref="HttpClientHandler"/> that would.
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <param name="parameterName">The argument's name, for the exception.</param>
    /// <exception cref="ArgumentException">The primary handler follows redirects.</exception>
    public static void EnsureRedirectsNotFollowed(HttpMessageHandler handler, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var current = handler;
        while (current is DelegatingHandler { InnerHandler: { } inner })
        {
            current = inner;
        }

        if (current is SocketsHttpHandler { AllowAutoRedirect: true } or HttpClientHandler { AllowAutoRedirect: true })
        {
            throw new ArgumentException(
                "The HTTP handler follows redirects, which would send credentials to another host. Set AllowAutoRedirect = false on it, or pass none and let OrderHub create one.",
                parameterName);
        }
    }

    /// <summary>
    /// Sends a request and reads its whole body, at most <see cref="ExchangeLimits.MaxResponseBytes"/> bytes. The timeout covers the
    /// exchange only, never any wait before it (a rate-limit permit may take long by design). A redirect (3xx), or a
    /// handler that followed one to another host, and a body over the cap are protocol errors: nothing is retried or
    /// followed. The caller disposes the response.
    /// </summary>
    /// <param name="http">The client.</param>
    /// <param name="message">The request.</param>
    /// <param name="attemptTimeout">The pipeline from <see cref="AttemptTimeout"/>.</param>
    /// <param name="limits">The attempt's timeout (at most the pipeline's), the body cap, and the error context.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The response and its body.</returns>
    /// <exception cref="TimeoutRejectedException">The attempt took longer than its timeout.</exception>
    /// <exception cref="OrderSourceProtocolException">A redirect, or a body larger than the cap.</exception>
    public static async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(
        HttpClient http, HttpRequestMessage message, ResiliencePipeline attemptTimeout, ExchangeLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptTimeout);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(limits);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        if (limits.AttemptTimeout is { } timeout)
        {
            context.Properties.Set(AttemptTimeoutKey, timeout);
        }

        // Every attempt is counted and timed, whatever comes of it (Diagnostics/OrderHubTelemetry).
        var sourceName = limits.Context.SourceName ?? limits.Upstream;
        var started = limits.Clock.GetTimestamp();
        try
        {
            var exchanged = await attemptTimeout.ExecuteAsync(
                static async (ctx, state) => await ExchangeAsync(state.Http, state.Message, state.Limits, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Http: http, Message: message, Limits: limits)).ConfigureAwait(false);
            OrderHubTelemetry.RecordAttempt(sourceName, limits.Operation, exchanged.Response.StatusCode, null, limits.Clock.GetElapsedTime(started));
            return exchanged;
        }
        catch (Exception e)
        {
            OrderHubTelemetry.RecordAttempt(sourceName, limits.Operation, (e as OrderHubException)?.StatusCode, e, limits.Clock.GetElapsedTime(started));
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async Task<(HttpResponseMessage Response, byte[] Body)> ExchangeAsync(HttpClient http, HttpRequestMessage message, ExchangeLimits limits, CancellationToken cancellationToken)
    {
        // A redirect-following handler rewrites the message's URI: remember where it was meant to go.
        var intended = message.RequestUri!.GetLeftPart(UriPartial.Authority);
        var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.RequestMessage?.RequestUri is { } final && !string.Equals(final.GetLeftPart(UriPartial.Authority), intended, StringComparison.OrdinalIgnoreCase))
            {
                throw new OrderSourceProtocolException(
                    $"{limits.Upstream} redirected the request to {final.Authority}, and the HTTP handler followed it. Configure the handler with AllowAutoRedirect = false.",
                    null,
                    ContextOf(limits, response));
            }

            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var target = response.Headers.Location is { } location
                    ? (location.IsAbsoluteUri ? location.Authority : message.RequestUri!.Authority)
                    : "no Location";
                throw new OrderSourceProtocolException(
                    $"{limits.Upstream} answered HTTP {(int)response.StatusCode} redirecting to {target}. Redirects are not followed, so that credentials go only to the configured host; check the endpoint.",
                    null,
                    ContextOf(limits, response));
            }

            return (response, await ReadBodyAsync(response, limits, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, ExchangeLimits limits, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } announced && announced > limits.MaxResponseBytes)
        {
            throw TooLarge(limits, response);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limits.MaxResponseBytes + 1, 64 * 1024));
            try
            {
                var length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (length > limits.MaxResponseBytes)
                        {
                            throw TooLarge(limits, response);
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limits.MaxResponseBytes + 1, (long)buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > limits.MaxResponseBytes)
                    {
                        throw TooLarge(limits, response);
                    }
                }

                return buffer.AsSpan(0, length).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static OrderSourceProtocolException TooLarge(ExchangeLimits limits, HttpResponseMessage response) => new(
        $"{limits.Upstream} sent a response larger than {limits.MaxResponseBytes} bytes, the most OrderHub reads (MaxResponseBytes).",
        null,
        ContextOf(limits, response));

    private static OrderErrorContext ContextOf(ExchangeLimits limits, HttpResponseMessage response) =>
        limits.Context with { StatusCode = response.StatusCode, RequestId = Header(response, limits.RequestIdHeader) };

    /// <summary>Tells whether an exception is a transport failure (connection, I/O, attempt timeout) rather than an answer.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> for a transport failure.</returns>
    public static bool IsTransportFailure(Exception exception) =>
        exception is HttpRequestException or IOException or TimeoutRejectedException;

    /// <summary>
    /// Tells whether a transport failure proves the request never reached the server (the connection was refused or
    /// the name did not resolve), so even a call that must not be repeated may be retried.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> when the request was certainly not sent.</returns>
    public static bool ProvesNotSent(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>Ends a base address with a slash, so relative paths resolve under its path instead of replacing its last segment.</summary>
    /// <param name="baseAddress">An absolute URI.</param>
    /// <returns>The same URI, ending in a slash.</returns>
    public static Uri WithTrailingSlash(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
    }

    /// <summary>Reads a response's first header value.</summary>
    /// <param name="response">The response.</param>
    /// <param name="name">The header.</param>
    /// <returns>Its first value, or <see langword="null"/>.</returns>
    public static string? Header(HttpResponseMessage response, string name)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }

    /// <summary>Reads <c>Retry-After</c> as a delay (seconds or a date).</summary>
    /// <param name="response">The response.</param>
    /// <returns>The delay, or <see langword="null"/> when absent.</returns>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } when response.Headers.Date is { } now => date - now > TimeSpan.Zero ? date - now : TimeSpan.Zero,
            _ => null,
        };
    }
}

/// <summary>What bounds one exchange, and how its errors are described.</summary>
/// <param name="Upstream">The upstream's name for messages (for example "The Selling Partner API").</param>
/// <param name="MaxResponseBytes">The most bytes of body read.</param>
/// <param name="Context">The source and order, for errors.</param>
/// <param name="RequestIdHeader">The header carrying the upstream request id.</param>
/// <param name="AttemptTimeout">A shorter timeout than the pipeline's for this attempt (what is left of a call's budget), or <see langword="null"/>.</param>
internal sealed record ExchangeLimits(string Upstream, long MaxResponseBytes, OrderErrorContext Context, string RequestIdHeader, TimeSpan? AttemptTimeout = null)
{
    /// <summary>Gets the upstream operation, for telemetry (for example <c>getOrder</c>).</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the clock the attempt is timed on.</summary>
    public required TimeProvider Clock { get; init; }
}
