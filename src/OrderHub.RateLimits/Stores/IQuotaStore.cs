namespace OrderHub.RateLimits;

/// <summary>
/// Where rate-limit buckets live when more than one process spends the same quota: every process that holds the same
/// seller's credentials reserves its permits here, so together they never send faster than the quota.
/// </summary>
/// <remarks>
/// <para>
/// A bucket is a token bucket keyed by <see cref="QuotaDefinition.Partition"/>. A reservation takes permits at once and
/// says how long the caller must wait until they are due; the bucket goes negative by the permits reserved ahead, so
/// callers are served in the order their reservations reached the store, and nobody polls. Each store computes time on
/// one clock: the machine's for the local file, the Redis server's for Redis.
/// </para>
/// <para>Implementations throw <see cref="QuotaStoreUnavailableException"/>, and nothing else, when the store cannot be used.</para>
/// </remarks>
public interface IQuotaStore
{
    /// <summary>Gets what the store is, for messages and logs: a file path or Redis endpoints, never a password.</summary>
    string Description { get; }

    /// <summary>Reserves permits, unless they would be due later than the request accepts.</summary>
    /// <param name="quota">The bucket, and its shape if the store does not hold it yet.</param>
    /// <param name="request">How many permits, the longest wait accepted, and how a new bucket starts.</param>
    /// <param name="cancellationToken">Cancels the call to the store.</param>
    /// <returns>The reservation: granted with the wait until the permits are due, or refused with the wait a newcomer would face.</returns>
    /// <exception cref="QuotaStoreUnavailableException">The store cannot be reached or used.</exception>
    ValueTask<QuotaReservation> ReserveAsync(QuotaDefinition quota, QuotaReservationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adopts the rate the upstream announced, for every process at once, keeping the permits already accrued.</summary>
    /// <param name="quota">The bucket.</param>
    /// <param name="permitsPerSecond">The new rate; positive and finite.</param>
    /// <param name="cancellationToken">Cancels the call to the store.</param>
    /// <returns>The bucket afterwards.</returns>
    /// <exception cref="QuotaStoreUnavailableException">The store cannot be reached or used.</exception>
    ValueTask<QuotaBucket> AdoptRateAsync(QuotaDefinition quota, double permitsPerSecond, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets how many permits the bucket holds when full, for every process at once: the burst the upstream was seen to
    /// grant, where it is smaller than the documented one (the seller's plan is the upstream's to set). Permits above
    /// it are dropped. The first burst adopted below the documented one is taken as it is; after that the bucket's burst
    /// only rises (each client learns a lower bound of the upstream's, so the largest wins, whatever order they come in).
    /// The bucket keeps it while the store holds the bucket.
    /// </summary>
    /// <param name="quota">The bucket.</param>
    /// <param name="burst">The burst; from 1 to <see cref="QuotaDefinition.Burst"/>.</param>
    /// <param name="cancellationToken">Cancels the call to the store.</param>
    /// <returns>The bucket afterwards.</returns>
    /// <exception cref="QuotaStoreUnavailableException">The store cannot be reached or used.</exception>
    ValueTask<QuotaBucket> AdoptBurstAsync(QuotaDefinition quota, int burst, CancellationToken cancellationToken = default);

    /// <summary>Empties the bucket because the upstream answered 429, for every process at once, and records when.</summary>
    /// <param name="quota">The bucket.</param>
    /// <param name="cancellationToken">Cancels the call to the store.</param>
    /// <returns>The bucket afterwards.</returns>
    /// <exception cref="QuotaStoreUnavailableException">The store cannot be reached or used.</exception>
    ValueTask<QuotaBucket> DrainAsync(QuotaDefinition quota, CancellationToken cancellationToken = default);

    /// <summary>Lists the buckets the store holds, as they are now.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The buckets, in no particular order.</returns>
    /// <exception cref="QuotaStoreUnavailableException">The store cannot be reached or used.</exception>
    IAsyncEnumerable<QuotaBucket> ListAsync(CancellationToken cancellationToken = default);
}
