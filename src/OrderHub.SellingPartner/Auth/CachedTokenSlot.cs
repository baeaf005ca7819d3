namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// One cached token and its refresh: callers get the cached token while it is fresh; otherwise one of them fetches a
/// new one while the others wait for it (a single refresh in flight however many callers there are).
/// </summary>
internal sealed class CachedTokenSlot(TimeProvider timeProvider, Func<CancellationToken, Task<CachedToken>> fetch)
{
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private CachedToken? _current;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } token && token.IsFresh(timeProvider.GetUtcNow()))
        {
            return token.Value;
        }

        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (_current is { } refreshed && refreshed.IsFresh(timeProvider.GetUtcNow()))
            {
                return refreshed.Value;
            }

            var fresh = await fetch(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, fresh);
            return fresh.Value;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Forgets the cached token if it is the one the API rejected (a newer one is kept).</summary>
    public void Invalidate(string rejectedToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Value == rejectedToken)
        {
            Interlocked.CompareExchange(ref _current, null, current);
        }
    }
}
