using Microsoft.Extensions.Logging;

namespace OrderHub.Http;

/// <summary>
/// What one upstream call carries through its handler chain (in <see cref="HttpRequestMessage.Options"/>): what it is
/// (the operation, the source and order for errors, whether it may be sent again), and, from the client that sends it
/// (<see cref="Start"/>), where errors are described, the body cap, the call's budget, its clock and its logger. Each
/// provider adds what its own handlers need (the token source and bucket of a Selling Partner call).
/// </summary>
internal class UpstreamCall
{
    /// <summary>The name of the request option the call travels in (Refit's <c>[Property]</c> key too).</summary>
    public const string OptionName = "OrderHub.UpstreamCall";

    /// <summary>Gets the request option the call travels in.</summary>
    public static HttpRequestOptionsKey<UpstreamCall> Key { get; } = new(OptionName);

    /// <summary>Gets the operation, for telemetry and logs (for example <c>getOrder</c>).</summary>
    public required string Operation { get; init; }

    /// <summary>Gets the source and order, for errors.</summary>
    public required OrderErrorContext Context { get; init; }

    /// <summary>
    /// Gets a value indicating whether the call may be sent again after it may have reached the server; a call that
    /// must not repeat (one that creates something) is retried only when the upstream proves it did not process it.
    /// </summary>
    public bool MayRepeat { get; init; } = true;

    /// <summary>Gets the upstream's name for messages (for example "The Selling Partner API").</summary>
    public string Upstream { get; private set; } = string.Empty;

    /// <summary>Gets the header carrying the upstream request id.</summary>
    public string RequestIdHeader { get; private set; } = string.Empty;

    /// <summary>Gets the most bytes of body read.</summary>
    public long MaxResponseBytes { get; private set; }

    /// <summary>Gets the call's budget (every attempt and delay, not the permit waits).</summary>
    public CallBudget Budget { get; private set; } = null!;

    /// <summary>Gets the clock attempts are timed on.</summary>
    public TimeProvider Clock { get; private set; } = TimeProvider.System;

    /// <summary>Gets where the call's retries and throttling are logged.</summary>
    public ILogger Logger { get; private set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Gets or sets how many retries beyond <see cref="UpstreamClientOptions.MaxRetryAttempts"/> the call has taken (<see cref="UpstreamRetry.Extra"/>).</summary>
    public int ExtraRetriesTaken { get; set; }

    /// <summary>Gets or sets the retry decided for the last attempt, which its delay and its log follow.</summary>
    public UpstreamRetry Retry { get; set; }

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

    /// <summary>Gives the call what its client knows, and a fresh budget, as the client starts sending it.</summary>
    /// <param name="upstream">The upstream's name for messages.</param>
    /// <param name="requestIdHeader">The header carrying the upstream request id.</param>
    /// <param name="options">The source's upstream settings: the body cap and the call's budget.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="logger">The logger.</param>
    public void Start(string upstream, string requestIdHeader, UpstreamClientOptions options, TimeProvider clock, ILogger logger)
    {
        Upstream = upstream;
        RequestIdHeader = requestIdHeader;
        MaxResponseBytes = options.MaxResponseBytes;
        Budget = new CallBudget(options.CallTimeout, clock);
        Clock = clock;
        Logger = logger;
        ExtraRetriesTaken = 0;
        Retry = UpstreamRetry.No;
    }
}
