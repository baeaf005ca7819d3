using Microsoft.AspNetCore.Server.Kestrel.Core;
using OrderHub.Api.Hosting;

namespace OrderHub.Api;

/// <summary>The lookup API's endpoints.</summary>
public static partial class OrderApi
{
    /// <summary>
    /// Answers the requests Kestrel rejects on this endpoint before any middleware runs (a NUL or a raw non-ASCII byte
    /// in the request line or a header, an unknown HTTP version such as <c>HTTP/9.9</c>, a request line or headers over
    /// the limits, headers that come too slowly) with <c>application/problem+json</c>, as every other error of the API,
    /// instead of Kestrel's empty 400 (or 505, 414, 431, 408). Kestrel still decides what is rejected and with which
    /// status; only its empty answer is given a body, written by the application's problem details service. For every
    /// endpoint: <c>builder.WebHost.ConfigureKestrel(k =&gt; k.ConfigureEndpointDefaults(l =&gt; l.UseOrderApiRejectionProblems()))</c>.
    /// </summary>
    /// <remarks>
    /// HTTP/1.x only: HTTP/2 resets a malformed stream, with no answer to shape. On an HTTPS endpoint, add it after
    /// <c>UseHttps()</c> (endpoint defaults run before the certificate is added, so there the answer stays empty).
    /// </remarks>
    /// <param name="listenOptions">The endpoint.</param>
    /// <returns>The endpoint.</returns>
    public static ListenOptions UseOrderApiRejectionProblems(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Use(RejectedRequestProblems.Middleware(listenOptions.ApplicationServices));
        return listenOptions;
    }
}
