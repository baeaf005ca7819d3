namespace OrderHub.Http;

/// <summary>
/// What one upstream call carries through its handler chain (in <see cref="HttpRequestMessage.Options"/>): where
/// errors are described and counted, the body cap, and the call's budget. Each provider adds what its own handlers
/// need (the token source and bucket of a Selling Partner call).
/// </summary>
internal class UpstreamCall
{
    /// <summary>The name of the request option the call travels in (Refit's <c>[Property]</c> key too).</summary>
    public const string OptionName = "OrderHub.UpstreamCall";

    /// <summary>Gets the request option the call travels in.</summary>
    public static HttpRequestOptionsKey<UpstreamCall> Key { get; } = new(OptionName);

    /// <summary>Gets the upstream's name for messages (for example "The Selling Partner API").</summary>
    public required string Upstream { get; init; }

    /// <summary>Gets the operation, for telemetry and logs (for example <c>getOrder</c>).</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the source and order, for errors.</summary>
    public required OrderErrorContext Context { get; init; }

    /// <summary>Gets the header carrying the upstream request id.</summary>
    public required string RequestIdHeader { get; init; }

    /// <summary>Gets the most bytes of body read.</summary>
    public required long MaxResponseBytes { get; init; }

    /// <summary>Gets the call's budget (every attempt and delay, not the permit waits).</summary>
    public required CallBudget Budget { get; init; }

    /// <summary>Gets the clock attempts are timed on.</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>Gets the source's name for telemetry.</summary>
    public string SourceName => Context.SourceName ?? Upstream;

    /// <summary>Gets the call a request carries.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The call.</returns>
    /// <exception cref="InvalidOperationException">The request was not sent through an OrderHub client.</exception>
    public static UpstreamCall Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var call) ? call : throw new InvalidOperationException("The request carries no OrderHub call.");

    /// <summary>Gets the call a request carries, as a provider's own kind.</summary>
    /// <typeparam name="T">The provider's call type.</typeparam>
    /// <param name="request">The request.</param>
    /// <returns>The call.</returns>
    public static T Of<T>(HttpRequestMessage request)
        where T : UpstreamCall => (T)Of(request);
}
