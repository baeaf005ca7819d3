using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderHub.Testing;

/// <summary>
/// Listens to OrderHub's spans and measurements (source and meter "OrderHub") and keeps those of one source name, so
/// tests running in parallel in the same process do not see each other's.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener = new();

    public TelemetryCapture(string sourceName)
    {
        SourceName = sourceName;
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "OrderHub",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("orderhub.source"), SourceName))
                {
                    _activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "OrderHub")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        _meterListener.Start();
    }

    /// <summary>Gets the source name whose telemetry is kept.</summary>
    public string SourceName { get; }

    /// <summary>Gets the spans that ended, in the order they ended.</summary>
    public IReadOnlyCollection<Activity> Activities => _activities;

    /// <summary>Gets the measurements, by instrument name, with their tags.</summary>
    public IReadOnlyCollection<(string Instrument, KeyValuePair<string, object?>[] Tags)> Measurements => _measurements;

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = tags.ToArray();
        if (copy.Any(t => t.Key == "orderhub.source" && Equals(t.Value, SourceName)))
        {
            _measurements.Enqueue((instrument.Name, copy));
        }
    }
}
