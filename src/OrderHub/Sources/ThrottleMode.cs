namespace OrderHub;

/// <summary>What a call does when its source's rate limit has no permit free.</summary>
public enum ThrottleMode
{
    /// <summary>Wait for a permit (cancellable at any moment). The default.</summary>
    Wait = 0,

    /// <summary>Fail at once with <see cref="OrderSourceThrottledException"/> and its <c>RetryAfter</c>.</summary>
    FailFast,
}
