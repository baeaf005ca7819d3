namespace OrderHub.Sync;

/// <summary>What a backfill reads: a source's bulk exports from a start to the present, into the cursor of a scope.</summary>
public sealed record OrderBackfillRequest
{
    /// <summary>The orders stored per transaction unless told otherwise: 500.</summary>
    public const int DefaultBatchSize = 500;

    /// <summary>How many failed jobs a window has before it is skipped, unless told otherwise: 3.</summary>
    public const int DefaultFailedAttempts = 3;

    /// <summary>How much older than the plan a finished export may be and still be reused, unless told otherwise: 1 day.</summary>
    public static readonly TimeSpan DefaultMaxReusedExportAge = TimeSpan.FromDays(1);

    /// <summary>Gets the source's name: an <see cref="IOrderBackfillSource"/>.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Gets where the history starts: orders placed from then. It applies when the backfill is planned; a stored plan is
    /// resumed whatever the start given, and extended when the start given is earlier than the plan's.
    /// </summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>
    /// Gets the scope of the cursor the plan is kept with and whose marks it sets when it finishes, so the incremental
    /// sync of that scope continues from them. The default is <c>all</c>, the scope of an incremental sync without
    /// marketplaces or filters (an export covers the marketplaces the source is configured with).
    /// </summary>
    public string Scope
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Scope takes a cursor's scope, such as 'all'.", nameof(Scope));
    } = "all";

    /// <summary>Gets how many orders are stored per transaction (with the plan after them). The default is 500.</summary>
    public int BatchSize
    {
        get;
        init => field = value is >= 1 and <= 10_000 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize takes 1 to 10,000 orders.");
    } = DefaultBatchSize;

    /// <summary>
    /// Gets how many jobs of one window may fail (or deliver an export that cannot be read) before the window is
    /// skipped; each failure waits <see cref="OrderBackfillRules.FailedRetryDelay"/> before the window is asked for again.
    /// A skipped window is asked for again by the next run. The default is 3.
    /// </summary>
    public int FailedAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(FailedAttempts), value, "FailedAttempts takes 1 or more attempts.");
    } = DefaultFailedAttempts;

    /// <summary>
    /// Gets a value indicating whether to look for a finished export of each window (<see cref="IOrderBackfillSource.FindFinishedAsync"/>)
    /// before asking for one. The default is <see langword="true"/>.
    /// </summary>
    public bool ReuseFinishedExports { get; init; } = true;

    /// <summary>
    /// Gets how much older than the plan a finished export may be and still be reused. An export holds its window as it
    /// was when it was made, so every change since then is read again afterwards through the change feed: an export
    /// older than this is asked for again instead. One whose age the source does not say is never reused. The default is 1 day.
    /// </summary>
    public TimeSpan MaxReusedExportAge
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxReusedExportAge), value, "MaxReusedExportAge takes zero or more.");
    } = DefaultMaxReusedExportAge;

    /// <summary>
    /// Gets a value indicating whether to forget a stored plan first and plan again from <see cref="Start"/>. The
    /// cursor's marks are kept: the new plan's only move them earlier.
    /// </summary>
    public bool Reset { get; init; }
}

/// <summary>What a backfill has done so far.</summary>
public sealed record OrderBackfillProgress
{
    /// <summary>Gets the source.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the cursor's scope.</summary>
    public required string Scope { get; init; }

    /// <summary>Gets how many windows the plan has.</summary>
    public int Windows { get; init; }

    /// <summary>Gets how many windows have their orders stored.</summary>
    public int WindowsStored { get; init; }

    /// <summary>Gets how many windows held no orders.</summary>
    public int WindowsEmpty { get; init; }

    /// <summary>Gets how many windows were skipped after their jobs failed again and again (<see cref="SkippedWindows"/>).</summary>
    public int WindowsSkipped { get; init; }

    /// <summary>Gets how many jobs are being prepared upstream now.</summary>
    public int JobsInFlight { get; init; }

    /// <summary>Gets how many jobs this run asked for.</summary>
    public int JobsRequested { get; init; }

    /// <summary>Gets how many finished exports this run reused instead of asking for them again.</summary>
    public int ExportsReused { get; init; }

    /// <summary>Gets how many jobs failed in this run (each window asked for again after a delay, or skipped).</summary>
    public int JobsFailed { get; init; }

    /// <summary>Gets the orders stored for the first time.</summary>
    public int Inserted { get; init; }

    /// <summary>Gets the orders stored again with new content.</summary>
    public int Updated { get; init; }

    /// <summary>Gets the orders read again with the same content, or kept because a fuller or newer copy is stored.</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets a value indicating whether the run resumed a stored plan.</summary>
    public bool Resumed { get; init; }

    /// <summary>Gets a value indicating whether every window is finished, and the cursor's marks set.</summary>
    public bool Finished { get; init; }

    /// <summary>Gets the window this report is about (the one whose state changed, or whose batch was stored), if any.</summary>
    public OrderBackfillWindowState? Window { get; init; }

    /// <summary>Gets the cursor as stored now, the plan with it.</summary>
    public SyncCursor? Cursor { get; init; }

    /// <summary>Gets the windows skipped, each with its reason; a later run asks for them again.</summary>
    public IReadOnlyList<OrderBackfillWindowState> SkippedWindows => [.. Cursor?.Backfill?.Windows.Where(w => w.Status == OrderBackfillWindowStatus.Skipped) ?? []];

    /// <summary>Gets how many windows are finished (stored, empty or skipped).</summary>
    public int WindowsFinished => WindowsStored + WindowsEmpty + WindowsSkipped;
}
