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
}
