using System.Net;

namespace OrderHub.Diagnostics;

/// <summary>
/// What a provider's HTTP plumbing tells OrderHub's telemetry, in its own terms (HTTP statuses, Polly's timeouts):
/// stateless, it classifies and forwards; the activity source, the meter and the instruments exist once per process,
/// in <see cref="OrderHubDiagnostics"/>.
/// </summary>
internal static class OrderHubTelemetry
{
    /// <summary>Publishes a rate limit's free permits and waiters as gauges until the returned handle is disposed.</summary>
    public static IDisposable ObserveLimit(string sourceName, string operation, IRateLimitStatus limit) =>
        OrderHubDiagnostics.ObserveRateLimit(sourceName, operation, limit);

    /// <summary>Records a retry of an attempt.</summary>
    public static void RecordRetry(string sourceName, string operation, string reason) =>
        OrderHubDiagnostics.RecordUpstreamRetry(sourceName, operation, reason);

    /// <summary>Says that a call is about to wait for a permit.</summary>
    public static void PermitWaiting(string sourceName, string operation, TimeSpan expectedWait, string? sharedThrough) =>
        OrderHubDiagnostics.RaisePermitWaiting(sourceName, operation, expectedWait, sharedThrough);

    /// <summary>Records a wait for a permit.</summary>
    public static void RecordPermitWait(string sourceName, string operation, TimeSpan waited) =>
        OrderHubDiagnostics.RecordPermitWait(sourceName, operation, waited);

    /// <summary>Records one attempt: its outcome, status and duration.</summary>
    public static void RecordAttempt(string sourceName, string operation, HttpStatusCode? status, Exception? failure, TimeSpan duration) =>
        OrderHubDiagnostics.RecordUpstreamAttempt(sourceName, operation, Outcome(status, failure), (int?)status, duration);

    /// <summary>
    /// Runs one call (all its attempts) to an upstream operation under a client span, and ends the span with what came
    /// of it: the status and upstream request id, or the failure's type.
    /// </summary>
    public static async Task<T> TraceCallAsync<T>(string sourceName, string operation, Func<Task<T>> call, Func<T, (HttpStatusCode Status, string? RequestId)> outcome)
    {
        var activity = OrderHubDiagnostics.StartUpstreamCall(sourceName, operation);
        try
        {
            var result = await call().ConfigureAwait(false);
            var (status, requestId) = outcome(result);
            OrderHubDiagnostics.EndUpstreamCall(activity, (int)status, requestId, null);
            return result;
        }
        catch (Exception e)
        {
            OrderHubDiagnostics.EndUpstreamCall(activity, (int?)(e as OrderHubException)?.StatusCode, (e as OrderHubException)?.RequestId, e);
            throw;
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
}
