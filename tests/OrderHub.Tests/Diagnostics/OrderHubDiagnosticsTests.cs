using System.Diagnostics.Metrics;
using OrderHub.Diagnostics;
using Shouldly;
using Xunit;

namespace OrderHub.Tests.Diagnostics;

public sealed class OrderHubDiagnosticsTests
{
    [Fact]
    public void EveryHistogramInSeconds_AdvisesBucketBoundariesInSeconds()
    {
        // Touch the instruments so that they exist, then list what the meter publishes.
        OrderHubDiagnostics.RecordUpstreamAttempt("diagnostics-test", "getOrder", "success", 200, TimeSpan.FromMilliseconds(3));
        OrderHubDiagnostics.RecordPermitWait("diagnostics-test", "getOrder", TimeSpan.FromSeconds(2));
        var histograms = new List<Histogram<double>>();
        using (var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument is Histogram<double> { Meter.Name: OrderHubDiagnostics.Name, Unit: "s" } histogram)
                {
                    histograms.Add(histogram);
                }
            },
        })
        {
            listener.Start();
        }

        histograms.Select(h => h.Name).ShouldContain("orderhub.upstream.request.duration");
        histograms.Select(h => h.Name).ShouldContain("orderhub.ratelimit.wait");
        foreach (var histogram in histograms)
        {
            var boundaries = histogram.Advice.ShouldNotBeNull(histogram.Name).HistogramBucketBoundaries.ShouldNotBeNull(histogram.Name);
            boundaries[0].ShouldBe(0.005, histogram.Name);
            boundaries.ShouldContain(300, "a 3-minute permit wait falls in a bucket of its own, not in the overflow");
            boundaries.ShouldBeInOrder(SortDirection.Ascending, histogram.Name);
        }
    }
}
