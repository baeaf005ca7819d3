using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderHub.Diagnostics;

namespace OrderHub.Events;

/// <summary>Webhook delivery's metrics, under the name every OrderHub part uses: subscription names and outcomes only, never a URL.</summary>
internal static class WebhookTelemetry
{
    private static Meter Meter => OrderHubDiagnostics.Meter;

    private static Counter<long> Attempts { get; } = Meter.CreateCounter<long>("orderhub.webhook.attempts", "{attempt}", "Webhook requests sent, by subscription and outcome (delivered, failed).");

    private static Histogram<double> Lag { get; } = OrderHubDiagnostics.CreateSecondsHistogram("orderhub.webhook.lag", "From a change's commit to its webhook answered 2xx, by subscription.");

    public static void RecordAttempt(string subscription, bool delivered) =>
        Attempts.Add(1, new TagList { { "orderhub.webhook.subscription", subscription }, { "orderhub.webhook.outcome", delivered ? "delivered" : "failed" } });

    public static void RecordDelivered(string subscription, TimeSpan lag) =>
        Lag.Record(Math.Max(0, lag.TotalSeconds), new TagList { { "orderhub.webhook.subscription", subscription } });
}
