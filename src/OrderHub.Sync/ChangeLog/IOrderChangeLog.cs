namespace OrderHub.Sync;

/// <summary>
/// The store's change log: one entry each time an order is stored for the first time (<see cref="OrderChangeKind.Created"/>)
/// or stored again with other content (<see cref="OrderChangeKind.Updated"/>), written in the same transaction as the
/// order, never for a copy that was unchanged, superseded or not written. Every store implements it beside
/// <see cref="IOrderStore"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each entry has a position; positions increase in commit order, so a reader that has seen position P and reads after
/// it gets every later entry exactly once, in order (positions may skip numbers; they are never reused).
/// </para>
/// <para>
/// An entry stores no order content: a read joins the order's public JSON as it is when read. An event built from an
/// entry therefore carries the order as it is now, not as it was at that change; several changes of one order read
/// together show the same, latest, content.
/// </para>
/// <para>
/// Entries older than the store's retention are pruned. A read after a position the store no longer keeps fails with
/// <see cref="OrderChangePositionExpiredException"/> rather than skip what was pruned.
/// </para>
/// </remarks>
public interface IOrderChangeLog
{
    /// <summary>The most entries one read returns.</summary>
    const int MaxReadLimit = 1000;

    /// <summary>Reads the entries after a position, oldest first.</summary>
    /// <param name="after">The last position seen; 0 for the beginning (valid only while nothing was pruned).</param>
    /// <param name="limit">The most entries to return, from 1 to <see cref="MaxReadLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, in position order, and the last position (<paramref name="after"/> when there are none).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative, or <paramref name="limit"/> is outside 1 to <see cref="MaxReadLimit"/>.</exception>
    /// <exception cref="OrderChangePositionExpiredException">Entries after <paramref name="after"/> were pruned.</exception>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    Task<OrderChangeLogPage> ReadAsync(long after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Waits until an entry after a position exists, or the timeout passes (on the store's clock).</summary>
    /// <param name="after">The last position seen.</param>
    /// <param name="timeout">How long to wait at most; zero only looks.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> as soon as an entry after <paramref name="after"/> exists; <see langword="false"/> at the timeout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> or <paramref name="timeout"/> is negative.</exception>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    Task<bool> WaitAsync(long after, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the entries older than the store's retention now, as writes also do by themselves from time to time, and
    /// remembers the highest position removed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The highest position pruned so far (0 while nothing was).</returns>
    /// <exception cref="OrderStoreException">The store cannot be written.</exception>
    Task<long> PruneAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the position a named consumer stored (a webhook subscription, a named reader).</summary>
    /// <param name="name">The consumer's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The position, or <see langword="null"/> when the consumer has stored none.</returns>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    Task<long?> GetConsumerPositionAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a named consumer's position, replacing the one it had.</summary>
    /// <param name="name">The consumer's name.</param>
    /// <param name="position">The last position it handled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the position is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    /// <exception cref="OrderStoreException">The store cannot be written.</exception>
    Task SetConsumerPositionAsync(string name, long position, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a named consumer's position on from <paramref name="expected"/> to <paramref name="position"/>, only if
    /// the stored position is still <paramref name="expected"/>: a position stored meanwhile by another writer (a replay,
    /// another process) is kept, never overwritten.
    /// </summary>
    /// <param name="name">The consumer's name.</param>
    /// <param name="expected">The position the consumer read from.</param>
    /// <param name="position">The last position it handled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the position was stored; <see langword="false"/> when another was stored meanwhile, or none is.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expected"/> or <paramref name="position"/> is negative.</exception>
    /// <exception cref="OrderStoreException">The store cannot be written.</exception>
    Task<bool> AdvanceConsumerPositionAsync(string name, long expected, long position, CancellationToken cancellationToken = default);

    /// <summary>Lists the named consumers the store keeps, by name.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The consumers, in name order.</returns>
    /// <exception cref="OrderStoreException">The store cannot be read.</exception>
    Task<IReadOnlyList<OrderChangeConsumer>> GetConsumersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a named consumer failing, or clears the mark: a mark kept where every process sees it (a webhook
    /// subscription past its retry horizon). Marking one already failing keeps the time it started failing.
    /// </summary>
    /// <param name="name">The consumer's name.</param>
    /// <param name="failure">What it failed on (never a secret or order content); <see langword="null"/> clears the mark.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the consumer has stored no position (nothing is marked).</returns>
    /// <exception cref="OrderStoreException">The store cannot be written.</exception>
    Task<bool> SetConsumerFailureAsync(string name, string? failure, CancellationToken cancellationToken = default);
}
