using System.Text.Json.Serialization;

namespace OrderHub.Sync;

/// <summary>
/// A backfill as it is kept with its cursor (<see cref="SyncCursor.Backfill"/>): the windows it was planned into, and
/// where each one is (its job's id and state, the orders stored). Written in the same transaction as every batch of
/// orders, so a run killed at any step resumes from it, asking for no window twice and storing nothing twice.
/// </summary>
public sealed record OrderBackfillPlan
{
    /// <summary>Gets the start of the history asked for: orders placed from then.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the end of the plan: now less the source's <see cref="OrderBackfillRules.DataLag"/> when it was planned.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Gets when the plan was made.</summary>
    public required DateTimeOffset PlannedAt { get; init; }

    /// <summary>Gets the windows, oldest first; together they cover <see cref="Start"/> to <see cref="End"/>.</summary>
    public required IReadOnlyList<OrderBackfillWindowState> Windows { get; init; }

    /// <summary>
    /// Gets when every window had last finished (stored, empty or skipped) and the cursor's marks were set from the
    /// plan; <see langword="null"/> while the first pass is under way.
    /// </summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Gets a value indicating whether every window is finished: stored, empty or skipped.</summary>
    [JsonIgnore]
    public bool IsFinished => Windows.All(w => w.IsFinished);

    /// <summary>Compares two plans member by member, their windows one by one.</summary>
    /// <param name="other">The other plan.</param>
    /// <returns>Whether they are the same plan in the same state.</returns>
    public bool Equals(OrderBackfillPlan? other) =>
        other is not null && Start == other.Start && End == other.End && PlannedAt == other.PlannedAt && FinishedAt == other.FinishedAt && Windows.SequenceEqual(other.Windows);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Start, End, PlannedAt, FinishedAt, Windows.Count);

    /// <summary>Returns the plan's bounds and how many windows are finished; never a job id.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() =>
        $"OrderBackfillPlan {{ {new OrderBackfillWindow(Start, End)}, {Windows.Count(w => w.IsFinished)} of {Windows.Count} windows finished }}";
}

/// <summary>One window of a <see cref="OrderBackfillPlan"/>, and where it is.</summary>
public sealed record OrderBackfillWindowState
{
    /// <summary>Gets the window's start (inclusive).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the window's end (exclusive).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Gets where the window is.</summary>
    public OrderBackfillWindowStatus Status { get; init; }

    /// <summary>Gets the id of the window's export job, once one was asked for or found; polled again by it after a restart.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the upstream's word for the job's state when it was last read (<c>IN_QUEUE</c>, <c>DONE</c>).</summary>
    public string? RawState { get; init; }

    /// <summary>Gets the id of the finished export's document, once the job is done.</summary>
    public string? DocumentId { get; init; }

    /// <summary>Gets when the window's job was asked for (or a finished one found).</summary>
    public DateTimeOffset? RequestedAt { get; init; }

    /// <summary>
    /// Gets when the upstream made the export (<see cref="OrderBackfillJob.CreatedAt"/>, else when it was asked for): its
    /// orders are as they were then, give or take the source's data lag.
    /// </summary>
    public DateTimeOffset? ExportedAt { get; init; }

    /// <summary>Gets a value indicating whether the job is an earlier finished export of the same window, reused.</summary>
    public bool Reused { get; init; }

    /// <summary>Gets how many of the window's jobs failed (or could not be read).</summary>
    public int FailedAttempts { get; init; }

    /// <summary>Gets when the window may be asked for again (after a failed job, or until it is old enough for the archive).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Gets how many of the export's orders are stored: a restarted read skips them.</summary>
    public int OrdersStored { get; init; }

    /// <summary>Gets why the last job failed, or why the window was skipped (no order content).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets a value indicating whether the window is finished: stored, empty or skipped.</summary>
    [JsonIgnore]
    public bool IsFinished => Status is OrderBackfillWindowStatus.Done or OrderBackfillWindowStatus.Empty or OrderBackfillWindowStatus.Skipped;

    /// <summary>Gets the window's bounds.</summary>
    [JsonIgnore]
    public OrderBackfillWindow Window => new(Start, End);

    /// <summary>Returns the window and its status; the job id is shown (it is safe), the reason is not.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => $"{Window}: {Status}{(JobId is null ? string.Empty : $" (job {JobId})")}";
}

/// <summary>Where a window of a backfill is.</summary>
public enum OrderBackfillWindowStatus
{
    /// <summary>No job is under way: none was asked for yet, or the last one failed and the window waits to be asked for again.</summary>
    Pending = 0,

    /// <summary>Its job is being prepared upstream, and is polled.</summary>
    InFlight,

    /// <summary>Its job is done, and its orders are being read and stored.</summary>
    Ready,

    /// <summary>Its orders are stored.</summary>
    Done,

    /// <summary>Its export found no orders.</summary>
    Empty,

    /// <summary>Given up after its jobs failed again and again (<see cref="OrderBackfillWindowState.Reason"/> says why); a later run asks for it again.</summary>
    Skipped,
}
