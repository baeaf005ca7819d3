using System.Globalization;

namespace OrderHub.RateLimits;

/// <summary>A bucket as the client knows it: its partition and the shape it has when the store does not hold it yet.</summary>
public sealed record QuotaDefinition
{
    /// <summary>Initializes a new instance of the <see cref="QuotaDefinition"/> class.</summary>
    /// <param name="partition">What the upstream meters, for example <c>sp-api|&lt;credential hash&gt;|na|getOrder</c>; never a secret.</param>
    /// <param name="permitsPerSecond">The rate a new bucket starts with; positive and finite.</param>
    /// <param name="burst">How many permits the bucket holds when full; at least 1.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public QuotaDefinition(string partition, double permitsPerSecond, int burst)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partition);
        TokenBucketState.CheckRate(permitsPerSecond, nameof(permitsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        Partition = partition;
        PermitsPerSecond = permitsPerSecond;
        Burst = burst;
    }

    /// <summary>Gets the partition: what the upstream meters, safe to log.</summary>
    public string Partition { get; }

    /// <summary>Gets the rate a new bucket starts with (a bucket keeps the rate adopted since).</summary>
    public double PermitsPerSecond { get; }

    /// <summary>Gets how many permits the bucket holds when full.</summary>
    public int Burst { get; }

    /// <summary>
    /// Gets how long the refill pauses when a full bucket hands out its first permit, as the upstream's own bucket
    /// starts refilling only once the request has reached it. The default is zero.
    /// </summary>
    public TimeSpan RefillDelayAfterBurst { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Partition} ({PermitsPerSecond:0.####}/s, burst {Burst})");
}
