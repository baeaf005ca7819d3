namespace OrderHub.Emulator.Hosting;

/// <summary>Faults the emulator injects into order reads, each a share of requests (0 to 1), for testing resilience.</summary>
public sealed class FaultOptions
{
    /// <summary>Gets or sets the share answered 500 or 503.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Gets or sets the share answered 429 regardless of the quota (a throttling storm).</summary>
    public double ThrottleRate { get; set; }

    /// <summary>Gets or sets the share whose body is cut short: the connection closes part-way through it.</summary>
    public double TruncateRate { get; set; }

    /// <summary>Gets or sets the share whose connection is dropped with no response.</summary>
    public double DropRate { get; set; }

    /// <summary>Gets or sets the latency added to every order read.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Gets a value indicating whether any fault is set.</summary>
    internal bool Any => ServerErrorRate > 0 || ThrottleRate > 0 || TruncateRate > 0 || DropRate > 0 || Latency > TimeSpan.Zero;
}
