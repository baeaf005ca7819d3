namespace OrderHub.Http;

/// <summary>
/// How long one call (every attempt and retry delay of it) may take, not counting time spent waiting for a
/// rate-limit permit: that wait is by design and bounded by the limiter, while the budget bounds an upstream that
/// accepts connections and never answers.
/// </summary>
internal sealed class CallBudget
{
    private readonly TimeProvider _timeProvider;
    private readonly long _started;
    private long _excludedTicks;

    /// <summary>Initializes a new instance of the <see cref="CallBudget"/> class, starting now.</summary>
    /// <param name="total">The budget.</param>
    /// <param name="timeProvider">The clock.</param>
    public CallBudget(TimeSpan total, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Total = total;
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();
    }

    /// <summary>Gets the whole budget.</summary>
    public TimeSpan Total { get; }

    /// <summary>Gets what is left of the budget (zero when spent).</summary>
    public TimeSpan Remaining
    {
        get
        {
            var spent = _timeProvider.GetElapsedTime(_started) - TimeSpan.FromTicks(Interlocked.Read(ref _excludedTicks));
            return spent >= Total ? TimeSpan.Zero : Total - spent;
        }
    }

    /// <summary>Gets a value indicating whether the budget is spent.</summary>
    public bool IsSpent => Remaining <= TimeSpan.Zero;

    /// <summary>Takes a wait out of the budget's count (a rate-limit permit wait).</summary>
    /// <param name="waited">How long was waited.</param>
    public void Exclude(TimeSpan waited) => Interlocked.Add(ref _excludedTicks, waited.Ticks);
}
