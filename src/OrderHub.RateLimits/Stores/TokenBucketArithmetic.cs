namespace OrderHub.RateLimits;

/// <summary>
/// A bucket's state in whole microseconds of the store's clock, and the one set of rules every store applies to it
/// (the Redis script mirrors them line for line). Reservations may take the bucket below zero: the debt is the permits
/// promised to callers still waiting, who are due in the order they reserved.
/// </summary>
internal struct TokenBucketState
{
    public double Permits;
    public long UpdatedMicros;
    public long AccrualResumesMicros;
    public double PermitsPerSecond;
    public int Burst;
    public long? LastThrottledMicros;

    public static TokenBucketState New(QuotaDefinition quota, long nowMicros, bool startFull) => new()
    {
        Permits = startFull ? quota.Burst : 0,
        UpdatedMicros = nowMicros,
        PermitsPerSecond = quota.PermitsPerSecond,
        Burst = quota.Burst,
    };

    /// <summary>Adds what accrued since the last update, up to the burst; nothing accrues during a refill pause.</summary>
    public void Refill(long nowMicros)
    {
        var from = Math.Max(UpdatedMicros, AccrualResumesMicros);
        if (nowMicros > from && Permits < Burst)
        {
            Permits = Math.Min(Burst, Permits + ((nowMicros - from) * PermitsPerSecond / 1_000_000d));
        }

        UpdatedMicros = Math.Max(UpdatedMicros, nowMicros);
    }

    /// <summary>How long until <paramref name="permits"/> more are free, behind the debt already reserved.</summary>
    public readonly long WaitMicros(int permits, long nowMicros)
    {
        var deficit = permits - Permits;
        return deficit <= 1e-9
            ? 0
            : Math.Max(0, AccrualResumesMicros - nowMicros) + (long)Math.Ceiling(deficit * 1_000_000d / PermitsPerSecond);
    }

    /// <summary>
    /// Reserves permits unless they would be due after <paramref name="maxWaitMicros"/> (negative: any wait). A full
    /// bucket's first permit pauses the refill for <paramref name="refillDelayMicros"/>.
    /// </summary>
    public bool TryReserve(int permits, long maxWaitMicros, long refillDelayMicros, long nowMicros, out long waitMicros)
    {
        Refill(nowMicros);
        waitMicros = WaitMicros(permits, nowMicros);
        if (maxWaitMicros >= 0 && waitMicros > maxWaitMicros)
        {
            return false;
        }

        if (Permits >= Burst && permits > 0)
        {
            AccrualResumesMicros = nowMicros + refillDelayMicros;
        }

        Permits -= permits;
        return true;
    }

    public void AdoptRate(double permitsPerSecond, long nowMicros)
    {
        Refill(nowMicros);
        PermitsPerSecond = permitsPerSecond;
    }

    /// <summary>
    /// Holds at most <paramref name="burst"/> permits from now on (the burst the upstream really grants). The first burst
    /// learned below the documented one is adopted; after that, the burst only rises (what one client learned from its
    /// own answers is a lower bound of the upstream's, so the largest wins, whatever order they arrive in).
    /// </summary>
    public void AdoptBurst(int burst, int documentedBurst, long nowMicros)
    {
        Refill(nowMicros);
        Burst = NextBurst(Burst, burst, documentedBurst);
        Permits = Math.Min(Permits, Burst);
    }

    /// <summary>The burst a bucket holds after <paramref name="learned"/> is adopted (the rule of <see cref="AdoptBurst"/>, for every bucket).</summary>
    public static int NextBurst(int current, int learned, int documentedBurst) =>
        current >= documentedBurst ? learned : Math.Max(current, learned);

    public void Drain(long nowMicros)
    {
        Refill(nowMicros);
        Permits = Math.Min(Permits, 0);
        LastThrottledMicros = nowMicros;
    }

    public readonly QuotaBucket ToBucket(string partition, long nowMicros) => new()
    {
        Partition = partition,
        PermitsPerSecond = PermitsPerSecond,
        Burst = Burst,
        Permits = Permits,
        LastThrottledAt = LastThrottledMicros is { } at ? FromMicros(at) : null,
        ObservedAt = FromMicros(nowMicros),
    };

    /// <summary>How long after its last use a bucket is certainly full again (and can be forgotten), plus a day for listings.</summary>
    public readonly long IdleMicrosUntilForgettable(long nowMicros) =>
        Math.Max(0, AccrualResumesMicros - nowMicros)
        + (long)Math.Ceiling(Math.Max(0, Burst - Permits) * 1_000_000d / PermitsPerSecond)
        + (long)TimeSpan.FromDays(1).TotalMicroseconds;

    public static void CheckRate(double permitsPerSecond, string paramName)
    {
        if (!(permitsPerSecond > 0) || double.IsInfinity(permitsPerSecond))
        {
            throw new ArgumentOutOfRangeException(paramName, permitsPerSecond, "The rate must be a positive, finite number.");
        }
    }

    public static void CheckBurst(QuotaDefinition quota, int burst)
    {
        ArgumentNullException.ThrowIfNull(quota);
        if (burst < 1 || burst > quota.Burst)
        {
            throw new ArgumentOutOfRangeException(nameof(burst), burst, $"A bucket's burst may be set from 1 to {quota.Burst} (the documented burst).");
        }
    }

    public static void Check(QuotaDefinition quota, QuotaReservationRequest request)
    {
        ArgumentNullException.ThrowIfNull(quota);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Permits < 0 || request.Permits > quota.Burst)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Permits, $"A reservation may ask for 0 to {quota.Burst} permits (the bucket's burst).");
        }
    }

    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);

    public static long MaxWaitMicros(TimeSpan? maxWait) => maxWait is { } wait ? Math.Max(0, (long)wait.TotalMicroseconds) : -1;
}

/// <summary>One change to a bucket, applied by a store under its own lock or transaction at the store's time.</summary>
internal delegate T TokenBucketChange<T>(ref TokenBucketState state, long nowMicros);

/// <summary>The four changes every store makes, so the stores differ only in where the state lives.</summary>
internal static class TokenBucketChanges
{
    public static TokenBucketChange<QuotaReservation> Reserve(QuotaDefinition quota, QuotaReservationRequest request)
    {
        TokenBucketState.Check(quota, request);
        var maxWait = TokenBucketState.MaxWaitMicros(request.MaxWait);
        var refillDelay = (long)quota.RefillDelayAfterBurst.TotalMicroseconds;
        return (ref TokenBucketState state, long now) =>
        {
            var granted = state.TryReserve(request.Permits, maxWait, refillDelay, now, out var wait);
            return new QuotaReservation(granted, TimeSpan.FromMicroseconds(wait), state.ToBucket(quota.Partition, now));
        };
    }

    public static TokenBucketChange<QuotaBucket> AdoptRate(QuotaDefinition quota, double permitsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(quota);
        TokenBucketState.CheckRate(permitsPerSecond, nameof(permitsPerSecond));
        return (ref TokenBucketState state, long now) =>
        {
            state.AdoptRate(permitsPerSecond, now);
            return state.ToBucket(quota.Partition, now);
        };
    }

    public static TokenBucketChange<QuotaBucket> AdoptBurst(QuotaDefinition quota, int burst)
    {
        TokenBucketState.CheckBurst(quota, burst);
        return (ref TokenBucketState state, long now) =>
        {
            state.AdoptBurst(burst, quota.Burst, now);
            return state.ToBucket(quota.Partition, now);
        };
    }

    public static TokenBucketChange<QuotaBucket> Drain(QuotaDefinition quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return (ref TokenBucketState state, long now) =>
        {
            state.Drain(now);
            return state.ToBucket(quota.Partition, now);
        };
    }
}
