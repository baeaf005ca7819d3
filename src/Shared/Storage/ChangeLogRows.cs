using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>
/// What both stores do alike with the change log (<see cref="IOrderChangeLog"/>): the arguments they accept, how an
/// entry's kind and statuses are written, which outcomes make an entry, and its defaults.
/// </summary>
internal static class ChangeLogRows
{
    /// <summary>How long entries are kept by default.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    /// <summary>How often, at most, a write path prunes: pruning then costs writes nothing noticeable.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>How often a store without notifications looks for a new entry while a reader waits.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public const string Created = "created";

    public const string Updated = "updated";

    /// <summary>The kind an outcome is logged as; <see langword="null"/> for an outcome that wrote nothing new.</summary>
    public static string? KindOf(StoreOutcome outcome) => outcome switch
    {
        StoreOutcome.Inserted => Created,
        StoreOutcome.Updated => Updated,
        _ => null,
    };

    public static OrderChangeKind ParseKind(string kind) => kind == Created ? OrderChangeKind.Created : OrderChangeKind.Updated;

    // Statuses are written as the stores' status column is (the enum's name); a name this version does not know reads as Unknown.
    public static OrderStatus ParseStatus(string status) => Enum.TryParse<OrderStatus>(status, out var value) ? value : OrderStatus.Unknown;

    public static void ValidateRead(long after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        if (limit is < 1 or > IOrderChangeLog.MaxReadLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"The limit must be between 1 and {IOrderChangeLog.MaxReadLimit}.");
        }
    }

    public static void ValidateWait(long after, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
    }

    public static void ValidateConsumer(string name, long position)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
    }

    public static void ValidateRetention(TimeSpan retention)
    {
        if (retention <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ChangeLogRetention must be positive; it is {retention}.", nameof(retention));
        }
    }
}
