namespace OrderHub.RateLimits;

/// <summary>
/// Learns the burst an upstream really grants from the requests it accepted, for a bucket whose documented burst may
/// be larger than the seller's plan (the plan is the upstream's to set, and a 429 does not say what it is).
/// </summary>
/// <remarks>
/// <para>
/// The upstream's bucket holds at most B permits and adds r each second, so any k requests it accepted within an
/// interval of length d prove B ≥ k − r·d. The estimate is the best such bound over the last accepted answers, rounded
/// up (B is whole). It never exceeds the real burst, however the answers interleave and whoever else spends the quota.
/// </para>
/// <para>
/// A 429 is what shows that the documented burst may be too large: from then on, the first estimate below it (and of
/// at least 2: one accepted request proves nothing about a burst) is adopted, and later ones only raise it (accepted
/// answers of the same burst may arrive after its first 429). The learned burst holds for the bucket's life (in a
/// shared store: until the store forgets the bucket, a day after it was last used). A 429 caused by someone else
/// spending the quota can make it smaller than the plan's: that costs burst, never a request over the quota.
/// </para>
/// </remarks>
internal sealed class GrantedBurstEstimator
{
    // One accepted request proves nothing about a burst: below this, a 429 teaches nothing.
    private const int SmallestLearnedBurst = 2;

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly long[] _acceptedAt;
    private readonly int _documentedBurst;
    private int _count;
    private int _next;
    private int? _learned;
    private bool _throttled;

    /// <summary>Initializes a new instance of the <see cref="GrantedBurstEstimator"/> class.</summary>
    /// <param name="documentedBurst">The documented burst: the most it ever learns.</param>
    /// <param name="timeProvider">The clock answers are timed on.</param>
    public GrantedBurstEstimator(int documentedBurst, TimeProvider timeProvider)
    {
        _documentedBurst = documentedBurst;
        _timeProvider = timeProvider;
        _acceptedAt = new long[documentedBurst];
    }

    /// <summary>Gets the burst learned so far, if a 429 showed the documented one is too large.</summary>
    public int? Learned
    {
        get
        {
            lock (_lock)
            {
                return _learned;
            }
        }
    }

    /// <summary>Records an answer that passed the upstream's throttle.</summary>
    /// <param name="permitsPerSecond">The bucket's rate now.</param>
    /// <returns>The burst to adopt, when the answers since a 429 prove a new one; otherwise <see langword="null"/>.</returns>
    public int? Accepted(double permitsPerSecond)
    {
        lock (_lock)
        {
            _acceptedAt[_next] = _timeProvider.GetTimestamp();
            _next = (_next + 1) % _acceptedAt.Length;
            _count = Math.Min(_count + 1, _acceptedAt.Length);
            return _throttled ? LearnLocked(permitsPerSecond) : null;
        }
    }

    /// <summary>Records a 429.</summary>
    /// <param name="permitsPerSecond">The bucket's rate now.</param>
    /// <returns>The burst to adopt, when the answers prove a smaller one than the documented; otherwise <see langword="null"/>.</returns>
    public int? Throttled(double permitsPerSecond)
    {
        lock (_lock)
        {
            _throttled = true;
            return LearnLocked(permitsPerSecond);
        }
    }

    // Once a 429 was seen: the first proof of a burst below the documented one is adopted, and later proofs only raise it.
    private int? LearnLocked(double permitsPerSecond)
    {
        var proven = Estimate(permitsPerSecond);
        var learn = _learned is { } learned ? proven > learned : proven >= SmallestLearnedBurst && proven < _documentedBurst;
        if (!learn)
        {
            return null;
        }

        _learned = proven;
        return proven;
    }

    // max over k of ceil(k − r·(newest − k-th newest)), over the accepted answers kept.
    private int Estimate(double permitsPerSecond)
    {
        if (_count == 0)
        {
            return 0;
        }

        var newest = _acceptedAt[(_next - 1 + _acceptedAt.Length) % _acceptedAt.Length];
        var best = 0;
        for (var k = 1; k <= _count; k++)
        {
            var at = _acceptedAt[(_next - k + _acceptedAt.Length) % _acceptedAt.Length];
            var seconds = (double)(newest - at) / _timeProvider.TimestampFrequency;
            best = Math.Max(best, (int)Math.Ceiling(k - (permitsPerSecond * seconds) - 1e-9));
        }

        return Math.Min(best, _documentedBurst);
    }
}
