namespace OrderHub.Sync;

/// <summary>
/// A store that keeps the cursors of incremental syncs beside the orders: per source and scope (marketplaces and
/// filters), how far the copy is fresh, and where an unfinished window stopped. A page's orders and the cursor that
/// follows them are written in one transaction, so a run killed at any moment resumes with nothing lost or stored twice.
/// </summary>
public interface ISyncCursorStore
{
    /// <summary>Reads a cursor.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="scope">The scope (see <see cref="IncrementalSyncRequest.Scope"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cursor, or <see langword="null"/> before the first run.</returns>
    Task<SyncCursor?> GetCursorAsync(string source, string scope, CancellationToken cancellationToken = default);

    /// <summary>Writes a cursor, replacing the one there.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="cursor">The cursor.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is written.</returns>
    Task SaveCursorAsync(string source, string scope, SyncCursor cursor, CancellationToken cancellationToken = default);

    /// <summary>Stores a page's orders and the cursor after it, in one transaction.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="orders">The page's orders.</param>
    /// <param name="cursor">The cursor after the page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened to each order, in the order given.</returns>
    Task<IReadOnlyList<StoreOutcome>> CommitPageAsync(string source, string scope, IReadOnlyList<Order> orders, SyncCursor cursor, CancellationToken cancellationToken = default);

    /// <summary>Forgets a cursor, so the next run starts from its <see cref="IncrementalSyncRequest.Since"/>.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether there was one.</returns>
    Task<bool> DeleteCursorAsync(string source, string scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the cursor for one reader: while the returned holder lives, no other process (or machine, on a shared
    /// database) gets it. A holder whose process dies lets go with it.
    /// </summary>
    /// <param name="source">The source's name.</param>
    /// <param name="scope">The scope.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The holder, to dispose when done; <see langword="null"/> when another reader holds the cursor.</returns>
    Task<IAsyncDisposable?> TryHoldCursorAsync(string source, string scope, CancellationToken cancellationToken = default);
}

/// <summary>How fresh an incremental sync's copy is, and where an unfinished window stopped.</summary>
public sealed record SyncCursor
{
    /// <summary>
    /// Gets the latest last-update time among the orders stored through this cursor, never past the end of the window
    /// that read them (an order that changed during the read arrives with a later time): the next window starts there,
    /// or at <see cref="CompletedThrough"/> if that is earlier, less the overlap.
    /// </summary>
    public DateTimeOffset? HighWaterMark { get; init; }

    /// <summary>Gets the end of the last window read to its last page: every order updated before it had been read then.</summary>
    public DateTimeOffset? CompletedThrough { get; init; }

    /// <summary>Gets the start of the window being read, while one is unfinished; <see langword="null"/> between runs.</summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>Gets the end of the window being read, fixed when it started so that its pages stay one query.</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>Gets the token of the next page of the unfinished window; <see langword="null"/> to read it from its first page.</summary>
    public string? PageToken { get; init; }

    /// <summary>Gets when <see cref="PageToken"/> was issued (tokens expire).</summary>
    public DateTimeOffset? PageTokenIssuedAt { get; init; }

    /// <summary>Gets how many pages of the unfinished window are stored.</summary>
    public int PagesRead { get; init; }

    /// <summary>Gets when the cursor was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// Gets the backfill of this cursor (<see cref="OrderBackfill"/>), when there is one: its plan, each window's job and
    /// state, and the windows stored. The incremental sync keeps it as it finds it; the marks are the backfill's to set
    /// until it has finished its first pass.
    /// </summary>
    public OrderBackfillPlan? Backfill { get; init; }

    /// <summary>Gets a value indicating whether a window is unfinished (a run was stopped or is under way).</summary>
    public bool InProgress => WindowStart is not null;

    /// <summary>Returns the marks, the window and the backfill; a page token is named, never shown.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() =>
        $"SyncCursor {{ HighWaterMark = {HighWaterMark:O}, CompletedThrough = {CompletedThrough:O}, Window = {(InProgress ? $"{WindowStart:O} .. {WindowEnd:O}, {PagesRead} pages, token {(PageToken is null ? "none" : "set")}" : "none")}{(Backfill is null ? string.Empty : $", Backfill = {Backfill}")} }}";
}
