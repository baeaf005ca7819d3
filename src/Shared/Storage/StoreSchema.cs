using OrderHub.Sync;

namespace OrderHub.Storage;

/// <summary>What every store does with its numbered migrations: the version it writes, and a database of a newer one refused.</summary>
internal static class StoreSchema
{
    /// <summary>The version this code writes: its last migration's.</summary>
    public static int Version(IReadOnlyList<(int Version, string Sql)> migrations) => migrations[^1].Version;

    /// <summary>Refuses a database a newer OrderHub wrote, before anything is written to it.</summary>
    /// <param name="found">The database's version.</param>
    /// <param name="supported">The newest version this code understands.</param>
    /// <param name="subject">The database, as a message names it (<c>'orders.db'</c>, <c>The PostgreSQL database ...</c>).</param>
    /// <param name="location">The store, for <see cref="OrderStoreException.Location"/>.</param>
    /// <param name="otherwise">What else to do (<c>give another path</c>).</param>
    /// <param name="untouched">What the message adds about the database, if anything.</param>
    /// <exception cref="OrderStoreException">The database is of a newer schema.</exception>
    public static void ThrowIfNewer(int found, int supported, string subject, string location, string otherwise, string? untouched = null)
    {
        if (found > supported)
        {
            throw new OrderStoreException(
                $"{subject} was written by a newer OrderHub (schema version {found}; this one understands up to {supported}). Upgrade OrderHub, or {otherwise}.{(untouched is null ? string.Empty : " " + untouched)}",
                location);
        }
    }
}
