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
        : this(sourceName, operation, expectedWait, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PermitWaitEventArgs"/> class.</summary>
    /// <param name="sourceName">The source.</param>
    /// <param name="operation">The upstream operation.</param>
    /// <param name="expectedWait">About how long the permit takes to come.</param>
    /// <param name="sharedThrough">What the quota is shared through (<c>Redis at redis1:6379</c>, <c>the rate-limit file ...</c>), or <see langword="null"/> when only this process spends it.</param>
    public PermitWaitEventArgs(string sourceName, string operation, TimeSpan expectedWait, string? sharedThrough)
    {
        SourceName = sourceName;
        Operation = operation;
        ExpectedWait = expectedWait;
        SharedThrough = sharedThrough;
    }

    /// <summary>Gets the source's name.</summary>
    public string SourceName { get; }

    /// <summary>Gets the upstream operation (<c>getOrder</c>, <c>searchOrders</c>).</summary>
    public string Operation { get; }

    /// <summary>Gets about how long the permit takes to come.</summary>
    public TimeSpan ExpectedWait { get; }

    /// <summary>
    /// Gets what the quota is shared through, so that other processes and machines with the same credentials spend it
    /// too (a file path or Redis endpoints, never a password); <see langword="null"/> when only this process spends it.
    /// </summary>
    public string? SharedThrough { get; }

    /// <summary>
    /// Returns the wait in words: <c>waiting for sp-eu searchOrders permit (shared through Redis at redis1:6379), about
    /// 2 m 50 s</c>, or <c>(this process only)</c> for a quota no other process spends.
    /// </summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() =>
        $"waiting for {SourceName} {Operation} permit ({(SharedThrough is null ? "this process only" : "shared through " + SharedThrough)}), about {Describe(ExpectedWait)}";

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
