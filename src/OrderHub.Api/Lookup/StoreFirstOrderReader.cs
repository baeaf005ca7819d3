using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using OrderHub.Json;
using OrderHub.Sync;

namespace OrderHub.Api.Lookup;

/// <summary>
/// Reads an order for the API. Without personal data: from the store when it is young enough, else through its source
/// and written back (the store only ever holds orders read without personal data, as the sync writes them). With
/// personal data: always through the source, for that request, and never written anywhere. Concurrent reads of the
/// same order share one upstream call; a read whose rate-limit permit would come after the wait budget fails at once.
/// What the store answered is kept in memory for <see cref="OrderApiOptions.StoreCacheDuration"/> (only the public
/// JSON, as stored), and dropped as soon as this reader writes that order back.
/// </summary>
internal sealed class StoreFirstOrderReader(OrderLookup lookup, IOrderStore store, OrderApiOptions options, TimeProvider timeProvider) : IDisposable
{
    private readonly ConcurrentDictionary<(string Source, string OrderId, bool PersonalData), Lazy<Task<Order>>> _inFlight = new();
    private readonly MemoryCache? _storeCache = options.StoreCacheDuration > TimeSpan.Zero
        ? new MemoryCache(new MemoryCacheOptions { SizeLimit = options.StoreCacheSizeLimit, Clock = new TimeProviderClock(timeProvider) })
        : null;

    /// <summary>What to answer: the JSON bytes of the order.</summary>
    public sealed record Answer(byte[] Json, string Source);

    /// <exception cref="OrderHubException">Invalid id, not found, upstream errors; throttled when no permit comes within the budget.</exception>
    /// <exception cref="OrderStoreException">The store failed.</exception>
    public async Task<Answer> ReadAsync(string? sourceName, string orderId, bool refresh, bool includeRaw, bool allowPersonalData, CancellationToken cancellationToken)
    {
        // Several sources may recognize the id (two sellers of one marketplace): they are tried in the lookup's order.
        IReadOnlyList<IOrderSource> candidates = sourceName is null ? lookup.ResolveSources(orderId) : [lookup.GetSource(sourceName)];
        candidates[0].OrderIdFormat.Validate(orderId, candidates[0].Name);

        if (!allowPersonalData && !refresh)
        {
            var stale = false;
            foreach (var source in candidates)
            {
                if (await ReadStoredAsync(source.Name, orderId, cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    if (timeProvider.GetUtcNow() - stored.StoredAt < options.MaxStoreAge)
                    {
                        LookupTelemetry.Record(source.Name, "hit");
                        return new Answer(stored.PublicJson, source.Name);
                    }

                    stale = true;
                }
            }

            LookupTelemetry.Record(candidates[0].Name, stale ? "stale" : "miss");
        }
        else
        {
            // Personal data is never stored, and a refresh asks for the upstream: the store is not read.
            LookupTelemetry.Record(candidates[0].Name, "bypass");
        }

        for (var i = 0; ; i++)
        {
            try
            {
                var order = await ReadThroughAsync(candidates[i], orderId, allowPersonalData).WaitAsync(cancellationToken).ConfigureAwait(false);
                var shown = allowPersonalData ? order : order.WithoutPersonalData();
                return new Answer(OrderJson.SerializeToUtf8Bytes(shown, includeRaw: includeRaw && allowPersonalData), candidates[i].Name);
            }
            catch (OrderNotFoundException) when (i < candidates.Count - 1)
            {
                // Not this seller's order: the next one that recognizes the id is asked.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _storeCache?.Dispose();

    // The store's answer, from memory while it is young enough. Only what the store held is kept: a miss is not, so an
    // order this reader writes back is read from the store next time.
    private async Task<StoredPublicOrder?> ReadStoredAsync(string source, string orderId, CancellationToken cancellationToken)
    {
        if (_storeCache is null)
        {
            return await store.GetPublicAsync(source, orderId, cancellationToken).ConfigureAwait(false);
        }

        var key = (source, orderId);
        if (_storeCache.TryGetValue(key, out StoredPublicOrder? kept))
        {
            return kept;
        }

        var stored = await store.GetPublicAsync(source, orderId, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            _storeCache.Set(key, stored, new MemoryCacheEntryOptions { Size = stored.PublicJson.Length, AbsoluteExpirationRelativeToNow = options.StoreCacheDuration });
        }

        return stored;
    }

    // One upstream call per (source, order, personal data) at a time, not tied to any one caller's cancellation.
    private Task<Order> ReadThroughAsync(IOrderSource source, string orderId, bool personalData)
    {
        var key = (source.Name, orderId, personalData);
        var call = _inFlight.GetOrAdd(key, k => new Lazy<Task<Order>>(() => FetchAsync(source, k.OrderId, k.PersonalData)));
        return call.Value;

        async Task<Order> FetchAsync(IOrderSource from, string id, bool withPersonalData)
        {
            try
            {
                var read = new OrderReadOptions { IncludePersonalData = withPersonalData, MaxPermitWait = options.UpstreamWaitBudget };
                var order = await from.GetOrderAsync(id, read, CancellationToken.None).ConfigureAwait(false);
                if (!withPersonalData)
                {
                    // Exactly what a sync would store, so its counts stay true; personal data is never written.
                    await store.UpsertAsync(order, CancellationToken.None).ConfigureAwait(false);
                    _storeCache?.Remove((from.Name, id));
                }

                return order;
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
            }
        }
    }
}

/// <summary>The cache's clock, read from the API's <see cref="TimeProvider"/>.</summary>
internal sealed class TimeProviderClock(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
