namespace OrderHub.Sync;

/// <summary>
/// Where synced orders are kept, and what a sync run has done. Marking an order done and storing it happen in one
/// transaction, so a run stopped at any moment (even killed) and started again fetches only what is missing, and no
/// order is stored twice.
/// </summary>
/// <remarks>
/// No older copy ever replaces a newer one, whoever writes it (a run's <see cref="CommitAsync"/>, an incremental
/// sync's page, a lookup's <see cref="UpsertAsync"/>): a copy whose <see cref="Order.LastUpdatedAt"/> is earlier
/// than the stored copy's is not written (<see cref="StoreOutcome.Superseded"/>). Times are compared only when both
/// are known; a copy without one, or over one without one, replaces it (it is the latest read). A store that shares
/// runs between workers commits a reference only for the worker that still holds its lease, checked in the commit's
/// own transaction (<see cref="StoreOutcome.LeaseLost"/> otherwise, and nothing is written for it).
/// </remarks>
public interface IOrderStore
{
    /// <summary>
    /// Opens the store now if it is not open yet. A store registered in DI opens on its first call (resolving it does
    /// no I/O); a program that wants an unusable database to stop it at start, before it listens for requests, calls
    /// this first. By default there is nothing to open.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the store is open.</returns>
    /// <exception cref="OrderStoreException">The store cannot be opened; the message says why and what to do.</exception>
    Task EnsureOpenAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Adds references to a run, as pending. References the run already has keep their state.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="references">The references.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many of the references were new to the run.</returns>
    Task<int> AddToRunAsync(string runId, IReadOnlyCollection<OrderReference> references, CancellationToken cancellationToken = default);

    /// <summary>Lists a run's references still to fetch: pending ones, and those that failed for a reason that may pass.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The references, in the order they were added.</returns>
    IAsyncEnumerable<OrderReference> GetPendingAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Stores fetched orders and records failures in one transaction, marking each reference done or failed.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="results">The results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened to each fetched order, in the order given.</returns>
    Task<IReadOnlyList<StoreOutcome>> CommitAsync(string runId, IReadOnlyList<SyncResult> results, CancellationToken cancellationToken = default);

    /// <summary>Stores one order outside any run (for example after a read-through lookup).</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened.</returns>
    Task<StoreOutcome> UpsertAsync(Order order, CancellationToken cancellationToken = default);

    /// <summary>Reads a stored order.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stored order, or <see langword="null"/>.</returns>
    Task<StoredOrder?> GetAsync(string source, string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads only what a reader without personal data is shown: the order's public JSON and when it was stored. A store
    /// should read nothing else (the lookup API's store hits are this call); by default it is taken from
    /// <see cref="GetAsync"/>.
    /// </summary>
    /// <param name="source">The source's name.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The public view, or <see langword="null"/> when the order is not stored or was stored without one.</returns>
    async Task<StoredPublicOrder?> GetPublicAsync(string source, string orderId, CancellationToken cancellationToken = default) =>
        await GetAsync(source, orderId, cancellationToken).ConfigureAwait(false) is { PublicJson: { } publicJson } stored
            ? new StoredPublicOrder(stored.Reference, publicJson, stored.StoredAt)
            : null;

    /// <summary>Counts a run's references by state.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    Task<SyncRunCounts> CountRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Makes every reference of a run pending again (stored, failed or not), so the next run reads them all again.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many references were not pending before.</returns>
    Task<int> RequeueAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Lists a run's failures.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The failures.</returns>
    Task<IReadOnlyList<SyncFailure>> GetFailuresAsync(string runId, CancellationToken cancellationToken = default);
}

/// <summary>What a commit did with a fetched order.</summary>
public enum StoreOutcome
{
    /// <summary>Stored for the first time.</summary>
    Inserted,

    /// <summary>Stored before with other content; replaced.</summary>
    Updated,

    /// <summary>Stored before with the same content.</summary>
    Unchanged,

    /// <summary>A failure was recorded.</summary>
    Failed,

    /// <summary>
    /// Not stored: the store holds a copy whose last update is later than this one's, and keeps it. A run's reference
    /// is marked done all the same (the store's copy is at least as new as the one read).
    /// </summary>
    Superseded,

    /// <summary>
    /// Nothing was written for this reference: the committing worker no longer holds its lease (another worker took it
    /// after the lease ran out, and may have stored it already). Only stores that share runs between workers say this.
    /// </summary>
    LeaseLost,
}

/// <summary>A fetched order or a failure, for <see cref="IOrderStore.CommitAsync"/>.</summary>
public sealed record SyncResult
{
    /// <summary>Gets the reference.</summary>
    public required OrderReference Reference { get; init; }

    /// <summary>Gets the order, when it was fetched.</summary>
    public Order? Order { get; init; }

    /// <summary>Gets the failure, when it was not.</summary>
    public SyncFailure? Failure { get; init; }
}

/// <summary>Why an order could not be fetched.</summary>
/// <param name="Reference">The reference.</param>
/// <param name="Reason">What went wrong, with no personal data.</param>
/// <param name="ErrorKind">What kind of error it was, as a stable code (<see cref="OrderHubException.ErrorKind"/>; <c>unexpected</c> for an error that is no OrderHub error).</param>
/// <param name="Attempts">How many times the sync tried.</param>
/// <param name="RequestId">The last upstream request id.</param>
/// <param name="Permanent">Whether trying again cannot help (not found, invalid id).</param>
public sealed record SyncFailure(OrderReference Reference, string Reason, string ErrorKind, int Attempts, string? RequestId, bool Permanent);

/// <summary>What a reader without personal data is shown of a stored order.</summary>
/// <param name="Reference">Its source and id.</param>
/// <param name="PublicJson">The unified JSON without personal data and without the raw payload.</param>
/// <param name="StoredAt">When it was last written.</param>
public sealed record StoredPublicOrder(OrderReference Reference, byte[] PublicJson, DateTimeOffset StoredAt)
{
    /// <summary>Returns the reference and when it was stored; never the order's content.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => $"StoredPublicOrder {{ {Reference}, StoredAt = {StoredAt:O} }}";
}

/// <summary>A stored order.</summary>
/// <param name="Reference">Its source and id.</param>
/// <param name="Json">The unified JSON (<see cref="Json.OrderJson"/>), raw payload included.</param>
/// <param name="ContentHash">The content hash.</param>
/// <param name="StoredAt">When it was last written.</param>
/// <param name="PublicJson">The unified JSON without personal data and without the raw payload, where the store keeps it.</param>
public sealed record StoredOrder(OrderReference Reference, byte[] Json, string ContentHash, DateTimeOffset StoredAt, byte[]? PublicJson = null)
{
    /// <summary>Returns the reference and when it was stored; never the order's content.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => $"StoredOrder {{ {Reference}, StoredAt = {StoredAt:O} }}";
}

/// <summary>A run's references by state.</summary>
/// <param name="Pending">Not fetched yet (or failed for a reason that may pass).</param>
/// <param name="Done">Stored.</param>
/// <param name="Failed">Failed for good.</param>
public sealed record SyncRunCounts(int Pending, int Done, int Failed)
{
    /// <summary>Gets every reference of the run.</summary>
    public int Total => Pending + Done + Failed;
}
