using Polly;
using Polly.Timeout;

namespace OrderHub.Http;

/// <summary>One HTTP attempt as every provider makes it: send, read the whole body, within an attempt timeout.</summary>
public static class HttpExchange
{
    /// <summary>Builds the per-attempt timeout (on the given clock) that <see cref="SendAsync"/> runs under.</summary>
    /// <param name="timeout">How long one attempt may take.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The timeout pipeline.</returns>
    public static ResiliencePipeline AttemptTimeout(TimeSpan timeout, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddTimeout(timeout).Build();

    /// <summary>
    /// Sends a request and reads its whole body. The timeout covers the exchange only, never any wait before it (a
    /// rate-limit permit may take long by design). The caller disposes the response.
    /// </summary>
    /// <param name="http">The client.</param>
    /// <param name="message">The request.</param>
    /// <param name="attemptTimeout">The pipeline from <see cref="AttemptTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The response and its body.</returns>
    /// <exception cref="TimeoutRejectedException">The attempt took longer than its timeout.</exception>
    public static async Task<(HttpResponseMessage Response, byte[] Body)> SendAsync(
        HttpClient http, HttpRequestMessage message, ResiliencePipeline attemptTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attemptTimeout);
        return await attemptTimeout.ExecuteAsync(
            static async (state, ct) =>
            {
                var response = await state.Http.SendAsync(state.Message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                try
                {
                    return (response, await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false));
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            },
            (Http: http, Message: message),
            cancellationToken).ConfigureAwait(false);
    }

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
