namespace OrderHub.RateLimits;

/// <summary>Where OrderHub keeps its rate-limit buckets; bound from <c>OrderHub:RateLimits</c>.</summary>
public sealed class RateLimitsOptions
{
    /// <summary>The configuration section: <c>OrderHub:RateLimits</c>.</summary>
    public const string SectionName = "OrderHub:RateLimits";

    /// <summary>
    /// Gets or sets where the buckets live. The default (<see langword="null"/>) is <see cref="RateLimitStoreKind.Redis"/>
    /// when <see cref="Redis"/> is set, otherwise <see cref="RateLimitStoreKind.Machine"/>.
    /// </summary>
    public RateLimitStoreKind? Store { get; set; }

    /// <summary>Gets or sets the machine-wide file; the default is <see cref="LocalFileQuotaStore.DefaultPath"/>.</summary>
    public string? File { get; set; }

    /// <summary>Gets or sets the StackExchange.Redis configuration string (for example <c>redis1:6379,password=...</c>).</summary>
    public string? Redis { get; set; }

    /// <summary>
    /// Gets or sets the Redis password, given apart from <see cref="Redis"/> so that it may hold any character (a
    /// comma cannot be written in a configuration string); it wins over a password there, and is never logged.
    /// </summary>
    public string? RedisPassword { get; set; }

    /// <summary>Gets or sets the prefix of bucket keys in Redis; the default is <c>orderhub:quota:</c>.</summary>
    public string? RedisKeyPrefix { get; set; }

    /// <summary>
    /// Gets or sets how long a call that may wait keeps trying a store that cannot be reached before it fails with the
    /// store's error; nothing is sent meanwhile. A call that may not wait (fail fast, or a wait budget) fails at once.
    /// The default is 2 minutes.
    /// </summary>
    public TimeSpan OutageTolerance { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets the store kind these options choose.</summary>
    /// <returns>The kind.</returns>
    public RateLimitStoreKind ResolveStore() => Store ?? (string.IsNullOrWhiteSpace(Redis) ? RateLimitStoreKind.Machine : RateLimitStoreKind.Redis);
}

/// <summary>Where rate-limit buckets live.</summary>
public enum RateLimitStoreKind
{
    /// <summary>A file every OrderHub process of the user on this machine shares (the default).</summary>
    Machine,

    /// <summary>Redis, shared by processes on any number of machines.</summary>
    Redis,

    /// <summary>This process only.</summary>
    Process,
}
