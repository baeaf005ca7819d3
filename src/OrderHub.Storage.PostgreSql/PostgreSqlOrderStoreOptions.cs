namespace OrderHub.Storage.PostgreSql;

/// <summary>How the PostgreSQL store shares sync runs between workers.</summary>
public sealed record PostgreSqlOrderStoreOptions
{
    /// <summary>
    /// Gets how long a worker holds the references it took from a run before others may take them. A live worker
    /// renews its leases every third of this; a worker that died (even killed with <c>kill -9</c>) loses them as soon as
    /// PostgreSQL sees its connection gone, and one alive but stuck loses them after this.
    /// The default is 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how many references a worker leases at a time. The default is 32.</summary>
    public int LeaseBatchSize { get; init; } = 32;

    /// <summary>
    /// Gets how often a worker with nothing left to lease looks again while other workers hold leases of the run: it
    /// bounds how soon the share of a worker that died passes on (its leases are free once its connection is gone).
    /// The default is 200 milliseconds.
    /// </summary>
    public TimeSpan IdlePollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Gets how long a call rides out a store that is unreachable or restarting (connection refused or reset, admin
    /// shutdown, cannot connect now) before it fails as before; it retries with backoff meanwhile. Errors that waiting
    /// cannot mend (credentials, a missing database, a full disk, a constraint) fail at once. Zero never retries. The
    /// default is 2 minutes.
    /// </summary>
    public TimeSpan OutageTolerance { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets how long change log entries are kept; 7 days by default.</summary>
    public TimeSpan ChangeLogRetention { get; init; } = ChangeLogRows.DefaultRetention;

    internal void Validate()
    {
        ChangeLogRows.ValidateRetention(ChangeLogRetention);
        if (OutageTolerance < TimeSpan.Zero || OutageTolerance > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"OutageTolerance must be between 0 (never retry) and 1 hour; it is {OutageTolerance}.", nameof(OutageTolerance));
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("LeaseDuration must be at least 1 second.", nameof(LeaseDuration));
        }

        if (LeaseBatchSize < 1)
        {
            throw new ArgumentException("LeaseBatchSize must be at least 1.", nameof(LeaseBatchSize));
        }

        if (IdlePollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("IdlePollInterval must be positive.", nameof(IdlePollInterval));
        }
    }
}
