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
