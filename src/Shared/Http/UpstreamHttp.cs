using System.Net;
using System.Reflection;
using Polly.Timeout;

namespace OrderHub.Http;

/// <summary>
/// What every provider's HTTP plumbing shares: the handler OrderHub creates (no redirects), the check of a handler
/// given by a caller, what counts as a transport failure, and reading the headers OrderHub acts on.
/// </summary>
internal static class UpstreamHttp
{
    /// <summary>
    /// Gets the <c>User-Agent</c> an upstream that asks for one is sent: OrderHub, its version (the assembly's
    /// informational version without its build metadata), the language and the platform.
    /// </summary>
    public static string UserAgent { get; } = BuildUserAgent();

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

    /// <summary>Finds the failure a Refit client wrapped (it wraps what the handler chain threw).</summary>
    /// <param name="exception">The exception Refit threw.</param>
    /// <returns>The handler chain's own exception, or <paramref name="exception"/>.</returns>
    public static Exception Unwrap(Exception exception) =>
        exception is Refit.ApiException or Refit.ApiRequestException && exception.InnerException is { } inner ? inner : exception;

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

    private static string BuildUserAgent()
    {
        var version = typeof(UpstreamHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"OrderHub/{(plus > 0 ? version[..plus] : version)} (Language=.NET; Platform={Environment.OSVersion.Platform})";
    }
}
