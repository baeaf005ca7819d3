using System.Data.Common;
using System.Globalization;
using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>A run's references as every store keeps them: the failure recorded for a result, the counts, the failures read back.</summary>
internal static class SyncRunRows
{
    /// <summary>The columns <see cref="ReadFailuresAsync"/> reads, in its order.</summary>
    public const string FailureColumns = "source, order_id, reason, error_type, attempts, request_id, state";

    /// <summary>The failure to record for a result without an order: its own, or one that says neither was given.</summary>
    public static SyncFailure FailureOf(SyncResult result) =>
        result.Failure ?? new SyncFailure(result.Reference, "No order and no failure was given.", "Unknown", 0, null, false);

    /// <summary>The state a failure leaves its reference in.</summary>
    public static SyncItemState StateOf(SyncFailure failure) => failure.Permanent ? SyncItemState.FailedPermanent : SyncItemState.FailedRetryable;

    /// <summary>Counts a run from rows of (state, count): a retryable failure is still pending.</summary>
    public static async Task<SyncRunCounts> ReadCountsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        int pending = 0, done = 0, failed = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
            switch ((SyncItemState)Convert.ToInt16(reader.GetValue(0), CultureInfo.InvariantCulture))
            {
                case SyncItemState.Done: done += count; break;
                case SyncItemState.FailedPermanent: failed += count; break;
                default: pending += count; break;
            }
        }

        return new SyncRunCounts(pending, done, failed);
    }

    /// <summary>Reads failures from rows of <see cref="FailureColumns"/>.</summary>
    public static async Task<IReadOnlyList<SyncFailure>> ReadFailuresAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var failures = new List<SyncFailure>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            failures.Add(new SyncFailure(
                new OrderReference(reader.GetString(0), reader.GetString(1)),
                reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                reader.IsDBNull(3) ? string.Empty : reader.GetString(3),
                Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                (SyncItemState)Convert.ToInt16(reader.GetValue(6), CultureInfo.InvariantCulture) == SyncItemState.FailedPermanent));
        }

        return failures;
    }
}
