namespace OrderHub.Emulator.SellingPartner;

/// <summary>
/// The server side of a Selling Partner usage plan (rate and burst), judged on each request's arrival time with the
/// generic cell rate algorithm: a request is let through unless it arrives earlier than its theoretical arrival time
/// less the burst tolerance. It shares no code with the client's limiter, so a client measured against it is measured
/// against an independent judge.
/// </summary>
internal sealed class UsagePlanQuota
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _emissionInterval;
    private readonly long _tolerance;
    private long _theoreticalArrival;

    /// <param name="requestsPerSecond">The plan's rate.</param>
    /// <param name="burst">The plan's burst.</param>
    /// <param name="timeProvider">The clock arrivals are read from.</param>
    /// <param name="jitterTolerance">How much earlier than the plan allows a request may be judged and still pass (zero: exact).</param>
    public UsagePlanQuota(double requestsPerSecond, int burst, TimeProvider timeProvider, TimeSpan jitterTolerance = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _timeProvider = timeProvider;
        _emissionInterval = (long)Math.Round(timeProvider.TimestampFrequency / requestsPerSecond);
        _tolerance = (_emissionInterval * (burst - 1)) + (long)(jitterTolerance.TotalSeconds * timeProvider.TimestampFrequency);
        _theoreticalArrival = timeProvider.GetTimestamp();
    }

    /// <summary>Lets a request through, or tells how long until one would be.</summary>
    /// <param name="retryAfter">When refused, how long until a request would be let through.</param>
    /// <returns><see langword="true"/> when the request is within the plan.</returns>
    public bool TryAdmit(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var earliest = _theoreticalArrival - _tolerance;
            if (now < earliest)
            {
                retryAfter = TimeSpan.FromSeconds((double)(earliest - now) / _timeProvider.TimestampFrequency);
                return false;
            }

            _theoreticalArrival = Math.Max(_theoreticalArrival, now) + _emissionInterval;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
