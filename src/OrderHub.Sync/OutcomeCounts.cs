namespace OrderHub.Sync;

/// <summary>A batch's or a page's store outcomes, counted.</summary>
internal readonly record struct OutcomeCounts(int Inserted, int Updated, int Unchanged, int Failed)
{
    public static OutcomeCounts Of(IReadOnlyList<StoreOutcome> outcomes)
    {
        int inserted = 0, updated = 0, unchanged = 0, failed = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome)
            {
                case StoreOutcome.Inserted: inserted++; break;
                case StoreOutcome.Updated: updated++; break;
                case StoreOutcome.Unchanged or StoreOutcome.Superseded: unchanged++; break;
                case StoreOutcome.LeaseLost: break;
                default: failed++; break;
            }
        }

        return new OutcomeCounts(inserted, updated, unchanged, failed);
    }
}
