using System.Globalization;

namespace OrderHub.Diagnostics;

/// <summary>A call about to wait for a rate-limit permit (<see cref="OrderHubDiagnostics.PermitWaiting"/>).</summary>
public sealed class PermitWaitEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="PermitWaitEventArgs"/> class.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation.</param>
    /// <param name="expectedWait">About how long the permit takes to come.</param>
    public PermitWaitEventArgs(string sourceName, string operation, TimeSpan expectedWait)
    {
        SourceName = sourceName;
        Operation = operation;
        ExpectedWait = expectedWait;
    }

    /// <summary>Gets the source's name.</summary>
    public string SourceName { get; }

    /// <summary>Gets the upstream operation (<c>getOrder</c>, <c>searchOrders</c>).</summary>
    public string Operation { get; }

    /// <summary>Gets about how long the permit takes to come.</summary>
    public TimeSpan ExpectedWait { get; }

    /// <summary>Returns the wait in words: <c>waiting for sp-eu searchOrders permit, about 2 m 50 s</c>.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"waiting for {SourceName} {Operation} permit, about {Describe(ExpectedWait)}";

    /// <summary>A wait in words: seconds under a minute, else minutes and seconds, else hours and minutes.</summary>
    /// <param name="wait">The wait.</param>
    /// <returns><c>5 s</c>, <c>2 m 50 s</c>, <c>1 h 5 m</c>.</returns>
    public static string Describe(TimeSpan wait)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, wait.TotalSeconds));
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds} s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} m {seconds % 60} s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600} h {seconds % 3600 / 60} m"),
        };
    }
}
