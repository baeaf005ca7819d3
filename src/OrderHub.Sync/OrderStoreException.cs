namespace OrderHub.Sync;

/// <summary>
/// The order store could not be opened, read or written: a file that is read-only, locked, corrupt, full, of another
/// application or of a newer schema. The message names the store and what to fix; it never holds order content.
/// </summary>
public sealed class OrderStoreException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OrderStoreException"/> class.</summary>
    /// <param name="message">What went wrong and what to fix, naming the store.</param>
    /// <param name="location">The store (a file path, or a database without its password).</param>
    /// <param name="innerException">The driver's error.</param>
    public OrderStoreException(string message, string? location = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Location = location;
    }

    /// <summary>Gets the store the error is about: a file path, or a database without its password.</summary>
    public string? Location { get; }
}

/// <summary>
/// A sync run stopped spending a source's quota because every one of its last reads failed (the upstream is down, or
/// refuses the credentials). What was fetched is stored; the failed references stay pending, so the same run started
/// again resumes once the upstream recovers.
/// </summary>
public sealed class OrderSyncHaltedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OrderSyncHaltedException"/> class.</summary>
    /// <param name="message">Which sources stopped and why.</param>
    /// <param name="sources">The sources that stopped.</param>
    /// <param name="progress">Where the run was when it stopped.</param>
    public OrderSyncHaltedException(string message, IReadOnlyList<string> sources, SyncProgress progress)
        : base(message)
    {
        Sources = sources;
        Progress = progress;
    }

    /// <summary>Gets the sources whose reads stopped.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Gets where the run was when it stopped.</summary>
    public SyncProgress Progress { get; }
}

/// <summary>
/// Another reader holds the cursor of this source and scope on this store (another <c>--follow</c>, on this machine or,
/// with a shared database, another): one reader per cursor, so that pages are not read twice. Nothing was read.
/// </summary>
public sealed class SyncCursorHeldException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SyncCursorHeldException"/> class.</summary>
    /// <param name="source">The source's name.</param>
    /// <param name="scope">The cursor's scope.</param>
    public SyncCursorHeldException(string source, string scope)
        : base($"Another reader is keeping {source} ({scope}) fresh on this database; one reader per cursor. Stop it, or wait for it to end; a follower started now stands by and takes over when it does.")
    {
        SourceName = source;
        Scope = scope;
    }

    /// <summary>Gets the source's name.</summary>
    public string SourceName { get; }

    /// <summary>Gets the cursor's scope.</summary>
    public string Scope { get; }
}
