namespace OrderHub.Storage.Sqlite;

/// <summary>How the SQLite store behaves.</summary>
public sealed record SqliteOrderStoreOptions
{
    /// <summary>
    /// Gets how long a write waits for another process's lock on the file before it fails with a message naming the
    /// file. The default is 10 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
