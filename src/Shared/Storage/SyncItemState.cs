namespace OrderHub.Storage;

/// <summary>The states of a run's reference, as every store writes them (the numbers are part of each schema).</summary>
internal enum SyncItemState : short
{
    /// <summary>Not fetched yet.</summary>
    Pending = 0,

    /// <summary>Stored.</summary>
    Done = 1,

    /// <summary>Failed for a reason that may pass: the next run tries it again.</summary>
    FailedRetryable = 2,

    /// <summary>Failed for good (not found, invalid id).</summary>
    FailedPermanent = 3,
}
