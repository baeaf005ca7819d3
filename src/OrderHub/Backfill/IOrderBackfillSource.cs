namespace OrderHub;

/// <summary>
/// A source that exports its orders in bulk, a time window at a time, as jobs the upstream prepares (Selling Partner's
/// order reports). It is how a long history is read in minutes rather than days: an export covers a whole window
/// whatever it holds, where a change feed pages through it a hundred orders at a time. What an export holds is
/// <see cref="OrderCompleteness.Partial"/>: the change feed, or getOrder, completes it.
/// </summary>
/// <remarks>
/// Each operation is paced by its own rate limit, shared like the source's other limits. A window is checked against
/// <see cref="BackfillRules"/> before any request: one the upstream would refuse raises
/// <see cref="InvalidOrderRequestException"/> naming what is allowed.
/// </remarks>
public interface IOrderBackfillSource : IOrderSource
{
    /// <summary>Gets the upstream's rules for exports: the longest window, how far back, how many jobs at once.</summary>
    OrderBackfillRules BackfillRules { get; }

    /// <summary>Finds a finished export of exactly this window that the upstream still keeps, so that it is not asked for again.</summary>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Cancels the lookup, including any wait for a permit.</param>
    /// <returns>The job, <see cref="OrderBackfillJobState.Done"/> or <see cref="OrderBackfillJobState.Empty"/>; <see langword="null"/> when there is none.</returns>
    Task<OrderBackfillJob?> FindFinishedAsync(OrderBackfillWindow window, CancellationToken cancellationToken = default);

    /// <summary>Asks the upstream to prepare the export of a window.</summary>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Cancels the request, including any wait for a permit.</param>
    /// <returns>The job, usually <see cref="OrderBackfillJobState.Queued"/>.</returns>
    Task<OrderBackfillJob> RequestAsync(OrderBackfillWindow window, CancellationToken cancellationToken = default);

    /// <summary>Reads a job's state now: one request.</summary>
    /// <param name="job">The job, as <see cref="RequestAsync"/> or an earlier call returned it (or as stored, after a restart).</param>
    /// <param name="cancellationToken">Cancels the request, including any wait for a permit.</param>
    /// <returns>The job's state now.</returns>
    Task<OrderBackfillJob> GetAsync(OrderBackfillJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the orders of a finished job, streaming: the export is downloaded as it is read (decompressed on the way),
    /// in constant memory whatever its size; each order is <see cref="OrderCompleteness.Partial"/>, with the export's
    /// rows as its raw payload.
    /// </summary>
    /// <param name="job">A job in state <see cref="OrderBackfillJobState.Done"/>.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The orders, in the export's order.</returns>
    IAsyncEnumerable<Order> ReadAsync(OrderBackfillJob job, CancellationToken cancellationToken = default);
}

/// <summary>A window of a backfill: the orders placed from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
/// <param name="Start">The window's start.</param>
/// <param name="End">The window's end.</param>
public sealed record OrderBackfillWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Returns the window as two UTC times.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"{Start.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} .. {End.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}";
}

/// <summary>An export job of one window, as the upstream last described it.</summary>
public sealed record OrderBackfillJob
{
    /// <summary>Gets the upstream's id of the job (a report id); safe to store and to show.</summary>
    public required string JobId { get; init; }

    /// <summary>Gets the window the job exports.</summary>
    public required OrderBackfillWindow Window { get; init; }

    /// <summary>Gets the job's state.</summary>
    public required OrderBackfillJobState State { get; init; }

    /// <summary>Gets the upstream's own word for the state (<c>IN_QUEUE</c>, <c>DONE</c>), kept when it is one OrderHub does not know.</summary>
    public string? RawState { get; init; }

    /// <summary>Gets the id of the finished export's document, when there is one.</summary>
    public string? DocumentId { get; init; }

    /// <summary>Gets the upstream's request id of the answer this state came from, for support.</summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// Gets when the upstream created the job (a report's <c>createdTime</c>), when it says: an export holds its window's
    /// orders as they were then, give or take <see cref="OrderBackfillRules.DataLag"/>. A backfill reuses a finished
    /// export only when it knows how old its data is, since every change after that has to be read again.
    /// </summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>Where an export job is.</summary>
public enum OrderBackfillJobState
{
    /// <summary>A state this version of OrderHub does not know (the raw word is kept): taken as still in progress.</summary>
    Unknown = 0,

    /// <summary>Waiting to be prepared.</summary>
    Queued,

    /// <summary>Being prepared.</summary>
    InProgress,

    /// <summary>Prepared: its orders can be read.</summary>
    Done,

    /// <summary>Finished with nothing to export (Selling Partner answers <c>CANCELLED</c> for a window without data): an empty window.</summary>
    Empty,

    /// <summary>Failed upstream (<c>FATAL</c>): asked for again after <see cref="OrderBackfillRules.FailedRetryDelay"/>.</summary>
    Failed,
}

/// <summary>What an <see cref="IOrderBackfillSource"/> upstream accepts, and how to pace a backfill against it.</summary>
public sealed record OrderBackfillRules
{
    /// <summary>Gets the longest window one export may cover (30 days for Selling Partner's order reports).</summary>
    public required TimeSpan MaxWindow { get; init; }

    /// <summary>Gets how far back the regular exports reach (two years); older windows are served by the archive, where the upstream has one, else refused.</summary>
    public required TimeSpan RegularHistory { get; init; }

    /// <summary>Gets how far back any export reaches; <see langword="null"/> when the archive has no documented limit.</summary>
    public TimeSpan? MaxHistory { get; init; }

    /// <summary>Gets how many jobs to keep in flight at once: the request operation's burst, so a backfill starts without waiting.</summary>
    public required int MaxJobsInFlight { get; init; }

    /// <summary>Gets the first wait before a job's state is read again; later waits double, up to <see cref="MaxPollInterval"/>.</summary>
    public required TimeSpan PollInterval { get; init; }

    /// <summary>Gets the longest wait between two reads of a job's state.</summary>
    public required TimeSpan MaxPollInterval { get; init; }

    /// <summary>Gets how long to wait before asking again for a window whose job failed.</summary>
    public required TimeSpan FailedRetryDelay { get; init; }

    /// <summary>Gets how far behind now an export's data may lag (30 minutes for order reports): a backfill's last window ends that long ago at the latest.</summary>
    public TimeSpan DataLag { get; init; }
}
