namespace OrderHub.Storage.Sqlite;

/// <summary>How the SQLite store behaves.</summary>
public sealed record SqliteOrderStoreOptions
{
    /// <summary>
    /// Gets how long a write waits for another process's lock on the file before it fails with a message naming the
    /// file. The default is 10 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets how long the change log (<see cref="Sync.IOrderChangeLog"/>) keeps an entry; older ones are pruned by
    /// writes (at most once a minute) and by <see cref="Sync.IOrderChangeLog.PruneAsync"/>. The default is 7 days.
    /// </summary>
    public TimeSpan ChangeLogRetention { get; init; } = ChangeLogRows.DefaultRetention;

    internal void Validate() => ChangeLogRows.ValidateRetention(ChangeLogRetention);
}
