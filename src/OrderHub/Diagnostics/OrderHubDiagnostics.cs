using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace OrderHub.Diagnostics;

/// <summary>
/// OrderHub's one activity source and one meter (both named <c>OrderHub</c>), and the instruments of upstream calls
/// that every provider records into: defined once per process, in the core, so the sync, the API and every provider
/// (OrderHub's own or a third party's) report under one name into one set of instruments. Tags hold names, statuses
/// and upstream request ids, never a credential, an order id, an order's content or personal data.
/// </summary>
public static class OrderHubDiagnostics
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "OrderHub";

    private const string SourceTag = "orderhub.source";
    private const string OperationTag = "orderhub.operation";

    private static readonly string? Version = typeof(OrderHubDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Source, string Operation), IRateLimitStatus> Limits = new();

    /// <summary>Gets the activity source every OrderHub span starts from.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    /// <summary>Gets the meter every OrderHub instrument belongs to.</summary>
    public static Meter Meter { get; } = new(Name, Version);

    private static Counter<long> Requests { get; } = Meter.CreateCounter<long>("orderhub.upstream.requests", "{request}", "HTTP requests sent upstream, each attempt counted.");

    /// <summary>
    /// Gets the bucket boundaries, in seconds, every OrderHub histogram of a duration advises: OpenTelemetry's
    /// boundaries for HTTP durations (5 ms to 10 s), then 30 s to 30 minutes for waits on a quota (a <c>searchOrders</c>
    /// permit comes every 3 minutes). Without them an exporter would use its defaults, made for milliseconds.
    /// </summary>
    public static IReadOnlyList<double> SecondsBucketBoundaries { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300, 600, 1800];

    /// <summary>Creates a histogram of a duration in seconds on <see cref="Meter"/>, advising <see cref="SecondsBucketBoundaries"/>: for a part of OrderHub, or a provider of your own.</summary>
    /// <param name="name">The instrument's name (<c>orderhub.</c>...).</param>
    /// <param name="description">What it measures.</param>
    /// <returns>The histogram, with unit <c>s</c>.</returns>
    public static Histogram<double> CreateSecondsHistogram(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBucketBoundaries });

    private static Histogram<double> RequestDuration { get; } = CreateSecondsHistogram("orderhub.upstream.request.duration", "How long one upstream request took.");

    private static Histogram<double> PermitWait { get; } = CreateSecondsHistogram("orderhub.ratelimit.wait", "How long a call waited for a rate-limit permit.");

    private static Counter<long> Throttled { get; } = Meter.CreateCounter<long>("orderhub.upstream.throttled", "{response}", "429 (too many requests) answers received from upstreams.");

    private static Counter<long> Retries { get; } = Meter.CreateCounter<long>("orderhub.upstream.retries", "{retry}", "Upstream attempts retried, by what came of the attempt before.");

    // Read when a reader collects, from each registered limit's own view (no store is queried).
    private static ObservableGauge<double> PermitsGauge { get; } = Meter.CreateObservableGauge(
        "orderhub.ratelimit.permits", () => Limits.Select(l => new Measurement<double>(l.Value.AvailablePermits, Tags(l.Key.Source, l.Key.Operation))), "{permit}", "Rate-limit permits free now, fractions included.");

    private static ObservableGauge<int> WaitersGauge { get; } = Meter.CreateObservableGauge(
        "orderhub.ratelimit.waiters", () => Limits.Select(l => new Measurement<int>(l.Value.QueuedPermits, Tags(l.Key.Source, l.Key.Operation))), "{permit}", "Permits callers are waiting for.");

    /// <summary>Records one HTTP attempt sent upstream: its outcome, status and duration.</summary>
    /// <param name="sourceName">The source that sent it.</param>
    /// <param name="operation">The upstream operation (<c>getOrder</c>, <c>GetOrder</c>).</param>
    /// <param name="outcome">What came of it: <c>success</c>, <c>throttled</c>, <c>client_error</c>, <c>server_error</c>, <c>protocol_error</c>, <c>timeout</c> or <c>transport_error</c>.</param>
    /// <param name="statusCode">The HTTP status, when an answer came.</param>
    /// <param name="duration">From send to the whole body read.</param>
    public static void RecordUpstreamAttempt(string sourceName, string operation, string outcome, int? statusCode, TimeSpan duration)
    {
        var tags = new TagList { { SourceTag, sourceName }, { OperationTag, operation }, { "orderhub.outcome", outcome } };
        if (statusCode is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
        if (statusCode == 429)
        {
            Throttled.Add(1, Tags(sourceName, operation));
        }
    }

    /// <summary>Records a retry of an upstream attempt.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation.</param>
    /// <param name="reason">What came of the attempt retried: <c>throttled</c>, <c>server_error</c>, <c>token_rejected</c>, <c>timeout</c> or <c>transport_error</c>.</param>
    public static void RecordUpstreamRetry(string sourceName, string operation, string reason)
    {
        var tags = Tags(sourceName, operation);
        tags.Add("orderhub.retry.reason", reason);
        Retries.Add(1, tags);
    }

    /// <summary>Records how long a call waited for a rate-limit permit.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation.</param>
    /// <param name="waited">The wait.</param>
    public static void RecordPermitWait(string sourceName, string operation, TimeSpan waited) =>
        PermitWait.Record(waited.TotalSeconds, Tags(sourceName, operation));

    /// <summary>
    /// Raised when a call is about to wait for a rate-limit permit, with the source, the operation and about how long:
    /// for a progress line (the CLI prints the waits of a couple of seconds or more) or a log of your own. Names and a
    /// duration only; raised on the waiting call's thread, so a handler returns at once.
    /// </summary>
    public static event EventHandler<PermitWaitEventArgs>? PermitWaiting;

    /// <summary>Raises <see cref="PermitWaiting"/>: a provider's plumbing calls it before a permit's wait.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation.</param>
    /// <param name="expectedWait">About how long the permit takes to come.</param>
    public static void RaisePermitWaiting(string sourceName, string operation, TimeSpan expectedWait) =>
        RaisePermitWaiting(sourceName, operation, expectedWait, null);

    /// <summary>Raises <see cref="PermitWaiting"/>, saying what the quota is shared through.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation.</param>
    /// <param name="expectedWait">About how long the permit takes to come.</param>
    /// <param name="sharedThrough">What the quota is shared through, or <see langword="null"/> when only this process spends it.</param>
    public static void RaisePermitWaiting(string sourceName, string operation, TimeSpan expectedWait, string? sharedThrough) =>
        PermitWaiting?.Invoke(null, new PermitWaitEventArgs(sourceName, operation, expectedWait, sharedThrough));

    /// <summary>Publishes a rate limit's free permits and waiters as gauges until the returned handle is disposed.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation the limit paces.</param>
    /// <param name="limit">The limit's read-only view.</param>
    /// <returns>A handle that withdraws the limit from the gauges.</returns>
    public static IDisposable ObserveRateLimit(string sourceName, string operation, IRateLimitStatus limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        _ = PermitsGauge;
        _ = WaitersGauge;
        Limits[(sourceName, operation)] = limit;
        return new Withdrawal(sourceName, operation, limit);
    }

    /// <summary>Starts the client span of one upstream call (all its attempts), when anyone listens.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation, which names the span.</param>
    /// <returns>The span, or <see langword="null"/> when nobody listens.</returns>
    public static Activity? StartUpstreamCall(string sourceName, string operation)
    {
        var activity = ActivitySource.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag(SourceTag, sourceName);
        activity?.SetTag(OperationTag, operation);
        return activity;
    }

    /// <summary>Ends an upstream call's span with what came of it: the status and upstream request id, or the failure's type (never its message, which may quote the upstream).</summary>
    /// <param name="activity">The span from <see cref="StartUpstreamCall"/>.</param>
    /// <param name="statusCode">The last answer's HTTP status, if any.</param>
    /// <param name="requestId">The upstream's request id, if any.</param>
    /// <param name="failure">The call's failure, if it failed.</param>
    public static void EndUpstreamCall(Activity? activity, int? statusCode, string? requestId, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        if (statusCode is { } code)
        {
            activity.SetTag("http.response.status_code", code);
        }

        if (requestId is not null)
        {
            activity.SetTag("orderhub.upstream.request_id", requestId);
        }

        if (failure is not null || statusCode is null or >= 400)
        {
            activity.SetStatus(ActivityStatusCode.Error, failure?.GetType().Name ?? $"HTTP {statusCode}");
        }

        activity.Dispose();
    }

    private static TagList Tags(string sourceName, string operation) => new() { { SourceTag, sourceName }, { OperationTag, operation } };

    private sealed class Withdrawal(string sourceName, string operation, IRateLimitStatus limit) : IDisposable
    {
        public void Dispose() => Limits.TryRemove(new KeyValuePair<(string, string), IRateLimitStatus>((sourceName, operation), limit));
    }
}
