using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Reflection;

namespace OrderHub.Diagnostics;

/// <summary>
/// OrderHub's traces and metrics, under one name (<c>OrderHub</c>) for an OpenTelemetry pipeline to subscribe to:
/// a span per upstream call, and counts and durations per source, operation and outcome. Tags hold names, statuses and
/// the upstream request id, never a credential, an order's content or personal data.
/// </summary>
internal static class OrderHubTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "OrderHub";

    private static readonly string? Version = typeof(OrderHubTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public static ActivitySource ActivitySource { get; } = new(Name, Version);

    public static Meter Meter { get; } = new(Name, Version);

    /// <summary>HTTP requests sent upstream (every attempt), by source, operation and outcome.</summary>
    public static Counter<long> Requests { get; } = Meter.CreateCounter<long>("orderhub.upstream.requests", "{request}", "HTTP requests sent upstream, each attempt counted.");

    /// <summary>How long each upstream request took, from send to the whole body read.</summary>
    public static Histogram<double> RequestDuration { get; } = Meter.CreateHistogram<double>("orderhub.upstream.request.duration", "s", "How long one upstream request took.");

    /// <summary>How long calls waited for a rate-limit permit.</summary>
    public static Histogram<double> PermitWait { get; } = Meter.CreateHistogram<double>("orderhub.ratelimit.wait", "s", "How long a call waited for a rate-limit permit.");

    /// <summary>429 answers received, by source and operation.</summary>
    public static Counter<long> Throttled { get; } = Meter.CreateCounter<long>("orderhub.upstream.throttled", "{response}", "429 (too many requests) answers received from upstreams.");

    /// <summary>Retries of upstream calls, by source, operation and what was retried.</summary>
    public static Counter<long> Retries { get; } = Meter.CreateCounter<long>("orderhub.upstream.retries", "{retry}", "Upstream attempts retried, by what came of the attempt before.");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Source, string Operation), IRateLimitStatus> Limits = new();

    // Read when a reader collects, from each registered limit's own view (no store is queried).
    private static readonly ObservableGauge<double> PermitsGauge = Meter.CreateObservableGauge(
        "orderhub.ratelimit.permits", () => Limits.Select(l => new Measurement<double>(l.Value.AvailablePermits, Tags(l.Key))), "{permit}", "Rate-limit permits free now, fractions included.");

    private static readonly ObservableGauge<int> WaitersGauge = Meter.CreateObservableGauge(
        "orderhub.ratelimit.waiters", () => Limits.Select(l => new Measurement<int>(l.Value.QueuedPermits, Tags(l.Key))), "{permit}", "Permits callers are waiting for.");

    /// <summary>Publishes a rate limit's free permits and waiters as gauges until the returned handle is disposed.</summary>
    public static IDisposable ObserveLimit(string sourceName, string operation, IRateLimitStatus limit)
    {
        _ = PermitsGauge;
        _ = WaitersGauge;
        Limits[(sourceName, operation)] = limit;
        return new Unregister(sourceName, operation, limit);
    }

    /// <summary>Records a retry of an attempt.</summary>
    public static void RecordRetry(string sourceName, string operation, string reason) =>
        Retries.Add(1, new TagList { { "orderhub.source", sourceName }, { "orderhub.operation", operation }, { "orderhub.retry.reason", reason } });

    private static TagList Tags((string Source, string Operation) key) =>
        new() { { "orderhub.source", key.Source }, { "orderhub.operation", key.Operation } };

    /// <summary>
    /// Runs one call (all its attempts) to an upstream operation under a client span, and ends the span with what came
    /// of it: the status and upstream request id, or the failure's type.
    /// </summary>
    public static async Task<T> TraceCallAsync<T>(string sourceName, string operation, Func<Task<T>> call, Func<T, (HttpStatusCode Status, string? RequestId)> outcome)
    {
        using var activity = ActivitySource.StartActivity(operation, ActivityKind.Client);
        activity?.SetTag("orderhub.source", sourceName);
        activity?.SetTag("orderhub.operation", operation);
        try
        {
            var result = await call().ConfigureAwait(false);
            var (status, requestId) = outcome(result);
            EndCall(activity, status, requestId, null);
            return result;
        }
        catch (Exception e)
        {
            EndCall(activity, (e as OrderHubException)?.StatusCode, (e as OrderHubException)?.RequestId, e);
            throw;
        }
    }

    /// <summary>Records one attempt: its outcome, status and duration.</summary>
    public static void RecordAttempt(string sourceName, string operation, HttpStatusCode? status, Exception? failure, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "orderhub.source", sourceName },
            { "orderhub.operation", operation },
            { "orderhub.outcome", Outcome(status, failure) },
        };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", (int)code);
        }

        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
        if (status == HttpStatusCode.TooManyRequests)
        {
            Throttled.Add(1, new TagList { { "orderhub.source", sourceName }, { "orderhub.operation", operation } });
        }
    }

    /// <summary>Records a wait for a permit.</summary>
    public static void RecordPermitWait(string sourceName, string operation, TimeSpan waited) =>
        PermitWait.Record(waited.TotalSeconds, new TagList { { "orderhub.source", sourceName }, { "orderhub.operation", operation } });

    private static void EndCall(Activity? activity, HttpStatusCode? status, string? requestId, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        if (status is { } code)
        {
            activity.SetTag("http.response.status_code", (int)code);
        }

        if (requestId is not null)
        {
            activity.SetTag("orderhub.upstream.request_id", requestId);
        }

        if (failure is not null || status is null || (int)status >= 400)
        {
            // The type of the failure only: messages may quote the upstream.
            activity.SetStatus(ActivityStatusCode.Error, failure?.GetType().Name ?? $"HTTP {(int?)status}");
        }
    }

    private static string Outcome(HttpStatusCode? status, Exception? failure) => status switch
    {
        null => failure is Polly.Timeout.TimeoutRejectedException or OperationCanceledException ? "timeout" : "transport_error",
        _ when failure is not null => "protocol_error", // answered, but refused: a redirect, a body over the cap
        HttpStatusCode.TooManyRequests => "throttled",
        var code when (int)code >= 500 => "server_error",
        var code when (int)code >= 400 => "client_error",
        _ => "success",
    };

    private sealed class Unregister(string sourceName, string operation, IRateLimitStatus limit) : IDisposable
    {
        public void Dispose() => Limits.TryRemove(new KeyValuePair<(string, string), IRateLimitStatus>((sourceName, operation), limit));
    }
}
