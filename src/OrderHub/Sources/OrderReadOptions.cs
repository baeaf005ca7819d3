namespace OrderHub;

/// <summary>How to read an order.</summary>
public sealed record OrderReadOptions
{
    /// <summary>Gets the default options: no personal data, the source's own throttle mode.</summary>
    public static OrderReadOptions Default { get; } = new();

    /// <summary>
    /// Gets a value indicating whether to read personal data (buyer, shipping address, tax details) where the source
    /// needs an extra authorization step for it. The default is <see langword="false"/>.
    /// </summary>
    public bool IncludePersonalData { get; init; }

    /// <summary>Gets what to do when the source's rate limit has no permit free; <see langword="null"/> uses the source's option.</summary>
    public ThrottleMode? ThrottleMode { get; init; }

    /// <summary>
    /// Gets the longest a waiting call may wait for a rate-limit permit; a permit that would come later fails the call
    /// at once with <see cref="OrderSourceThrottledException"/> whose <see cref="OrderSourceThrottledException.RetryAfter"/>
    /// says when. Callers queued ahead count, however many arrive at once. <see langword="null"/> (the default) waits as
    /// long as it takes.
    /// </summary>
    public TimeSpan? MaxPermitWait { get; init; }
}
