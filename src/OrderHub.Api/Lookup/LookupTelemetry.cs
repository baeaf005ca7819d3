using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderHub.Diagnostics;

namespace OrderHub.Api.Lookup;

/// <summary>The lookup API's store hits and misses, under the meter every OrderHub part uses (<c>OrderHub</c>).</summary>
internal static class LookupTelemetry
{
    /// <summary>Lookups by what the store had: <c>hit</c> (served from it), <c>stale</c> (older than the allowed age), <c>miss</c>, <c>bypass</c> (personal data or a refresh).</summary>
    private static readonly Counter<long> Store = OrderHubDiagnostics.Meter.CreateCounter<long>("orderhub.lookup.store", "{lookup}", "Lookups by what the store had: hit, stale, miss, or bypass (personal data or a refresh).");

    public static void Record(string source, string outcome) =>
        Store.Add(1, new TagList { { "orderhub.source", source }, { "orderhub.lookup.outcome", outcome } });
}
