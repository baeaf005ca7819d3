using System.Net;

namespace OrderHub.Http;

/// <summary>
/// What a provider's retry predicate says of an answer: not retried, or retried and why (the reason tags the retry
/// metric and the log, with the upstream's own error code where it names one). An extra retry is one a call earns
/// beyond <see cref="UpstreamClientOptions.MaxRetryAttempts"/> by having fixed the cause (a refreshed token): it is
/// taken at once, and at most as many times as the protocol allows.
/// </summary>
/// <param name="Reason">The reason (<c>throttled</c>, <c>server_error</c>...), or <see langword="null"/> when the answer is not retried.</param>
/// <param name="Detail">The upstream's error code, logged instead of the reason, or <see langword="null"/>.</param>
/// <param name="IsExtra">Whether the retry is an extra one.</param>
internal readonly record struct UpstreamRetry(string? Reason, string? Detail = null, bool IsExtra = false)
{
    /// <summary>Gets the decision not to retry.</summary>
    public static UpstreamRetry No => default;

    /// <summary>Gets a value indicating whether the answer is retried.</summary>
    public bool Retries => Reason is not null;

    /// <summary>The upstream asked to slow down.</summary>
    /// <param name="detail">The upstream's error code, or <see langword="null"/>.</param>
    /// <returns>The decision.</returns>
    public static UpstreamRetry Throttled(string? detail = null) => new("throttled", detail);

    /// <summary>The upstream failed in a way that may pass.</summary>
    /// <param name="status">The status: a 5xx is a server error, anything else another failure.</param>
    /// <param name="detail">The upstream's error code, or <see langword="null"/>.</param>
    /// <returns>The decision.</returns>
    public static UpstreamRetry Failed(HttpStatusCode status, string? detail = null) => new((int)status >= 500 ? "server_error" : "other", detail);

    /// <summary>The call fixed what the answer refused, and earns one more attempt at once.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The decision.</returns>
    public static UpstreamRetry Extra(string reason) => new(reason, null, true);
}
