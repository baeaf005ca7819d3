using OrderHub.Sync;
using OrderHub.Testing;

namespace OrderHub.Tests.Sync.Backfill;

/// <summary>The backfill run against the in-memory store; a restart finds the same instance, as a database keeps its data.</summary>
public sealed class InMemoryOrderBackfillTests : OrderBackfillContractTests
{
    protected override Task<(ISyncCursorStore Store, Func<Task<ISyncCursorStore>> Reopen)> CreateStoreAsync(TimeProvider timeProvider)
    {
        var store = new InMemoryOrderStore(timeProvider);
        return Task.FromResult<(ISyncCursorStore, Func<Task<ISyncCursorStore>>)>((store, () => Task.FromResult<ISyncCursorStore>(store)));
    }
}
