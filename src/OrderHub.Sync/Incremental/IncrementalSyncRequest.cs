namespace OrderHub.Sync;

/// <summary>What an incremental sync reads: a source, where the first run starts, the marketplaces and filters.</summary>
public sealed record IncrementalSyncRequest
{
    /// <summary>The overlap used unless told otherwise: 10 minutes.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(10);

    /// <summary>Gets the source's name.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Gets where the first run starts (orders updated since then). Later runs start from the cursor and ignore it,
    /// unless <see cref="Reset"/> forgets the cursor first.
    /// </summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets the marketplaces to read; empty for all the source allows.</summary>
    public IReadOnlyList<string> MarketplaceIds { get; init; } = [];

    /// <summary>Gets the fulfillment statuses to keep; empty for all.</summary>
    public IReadOnlyList<string> FulfillmentStatuses { get; init; } = [];

    /// <summary>Gets who fulfils the orders to keep; empty for both.</summary>
    public IReadOnlyList<string> FulfilledBy { get; init; } = [];

    /// <summary>
    /// Gets how far before the cursor's high-water mark the next window starts, so an update the upstream settles late
    /// is still read. Orders read twice are stored once (their content hash is unchanged). The default is 10 minutes.
    /// </summary>
    public TimeSpan Overlap { get; init; } = DefaultOverlap;

    /// <summary>Gets the most orders per page; <see langword="null"/> for the largest the source serves.</summary>
    public int? PageSize { get; init; }

    /// <summary>Gets a value indicating whether to ask for, and store, personal data.</summary>
    public bool IncludePersonalData { get; init; }

    /// <summary>Gets a value indicating whether to forget the cursor first and start again from <see cref="Since"/>.</summary>
    public bool Reset { get; init; }

    /// <summary>
    /// Gets the time between two polls when following; <see langword="null"/> for the page quota's sustained rate
    /// (one request per replenishment: three minutes for <c>searchOrders</c>), so polling never eats the burst.
    /// Shorter than that is refused (each poll spends at least one request); a source that lists summaries (which
    /// reads every order each poll) takes 1 minute at least and 5 minutes by default.
    /// </summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>
    /// Gets how many polls in a row a follower tries a page it cannot read (cut short, or not the documented form)
    /// before it skips the rest of that window, recording it (see <see cref="SkippedWindow"/>). The default is 3.
    /// </summary>
    public int UnreadablePagePolls
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(UnreadablePagePolls), value, "UnreadablePagePolls takes 1 or more polls.");
    } = 3;

    /// <summary>Gets the cursor's scope: the marketplaces and filters, in a canonical form (<c>all</c> without any).</summary>
    public string Scope
    {
        get
        {
            var parts = new List<string>();
            Add("marketplaces", MarketplaceIds);
            Add("statuses", FulfillmentStatuses);
            Add("fulfilledBy", FulfilledBy);
            return parts.Count == 0 ? "all" : string.Join(';', parts);

            void Add(string name, IReadOnlyList<string> values)
            {
                if (values.Count > 0)
                {
                    parts.Add($"{name}={string.Join(',', values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))}");
                }
            }
        }
    }
}

/// <summary>What an incremental sync has done so far.</summary>
public sealed record IncrementalSyncProgress
{
    /// <summary>Gets the source.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the cursor's scope.</summary>
    public required string Scope { get; init; }

    /// <summary>Gets the pages read (for a source that lists summaries, the orders read).</summary>
    public int Pages { get; init; }

    /// <summary>Gets the orders stored for the first time.</summary>
    public int Inserted { get; init; }

    /// <summary>Gets the orders stored again with new content.</summary>
    public int Updated { get; init; }

    /// <summary>Gets the orders read again with the same content (the overlap, or nothing changed).</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets the orders that could not be read (sources that list summaries only).</summary>
    public int Failed { get; init; }

    /// <summary>Gets how many windows were read again from their start because a page token had expired.</summary>
    public int WindowRestarts { get; init; }

    /// <summary>Gets how many windows were read to their last page.</summary>
    public int WindowsCompleted { get; init; }

    /// <summary>Gets the window being read (or last read).</summary>
    public DateTimeOffset? WindowStart { get; init; }

    /// <summary>Gets the end of the window being read (or last read).</summary>
    public DateTimeOffset? WindowEnd { get; init; }

    /// <summary>Gets the cursor as stored now.</summary>
    public SyncCursor? Cursor { get; init; }

    /// <summary>Gets a value indicating whether the run resumed a window an earlier run left unfinished.</summary>
    public bool Resumed { get; init; }

    /// <summary>Gets how many unreadable pages a follower skipped (the rest of their windows with them).</summary>
    public int PagesSkipped { get; init; }

    /// <summary>Gets the windows a follower skipped the rest of, each recorded in the cursor store.</summary>
    public IReadOnlyList<SkippedWindow> SkippedWindows { get; init; } = [];
}

/// <summary>
/// The rest of a window that a follower skipped because one of its pages could not be read, poll after poll. The
/// window as it stood (bounds, pages read, the token of the unreadable page) is kept in the cursor store under
/// <see cref="RecordScope"/>, so nothing is lost silently: the orders updated from <see cref="Start"/> to
/// <see cref="End"/> can be read again (a first run with <c>Since</c> = <see cref="Start"/>) once the upstream serves them.
/// </summary>
/// <param name="Start">The window's start.</param>
/// <param name="End">The window's end.</param>
/// <param name="Page">The page that could not be read (1 for the first).</param>
/// <param name="RecordScope">The scope under which the window is recorded in the cursor store.</param>
/// <param name="RequestId">The upstream request id of the last failed read.</param>
/// <param name="Reason">What was wrong with the page (no order content).</param>
public sealed record SkippedWindow(DateTimeOffset Start, DateTimeOffset End, int Page, string RecordScope, string? RequestId, string Reason)
{
    /// <summary>The scope a skipped window of <paramref name="scope"/> starting at <paramref name="start"/> is recorded under.</summary>
    /// <param name="scope">The follower's scope.</param>
    /// <param name="start">The window's start.</param>
    /// <returns><c>&lt;scope&gt;#skipped@&lt;start&gt;</c>.</returns>
    public static string ScopeOf(string scope, DateTimeOffset start) =>
        $"{scope}#skipped@{start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)}";
}
