using System.Collections.Concurrent;
using OrderHub.Json;
using OrderHub.Sync;

namespace OrderHub.Api.Lookup;

/// <summary>
/// Reads an order for the API. Without personal data: from the store when it is young enough, else through its source
/// and written back (the store only ever holds orders read without personal data, as the sync writes them). With
/// personal data: always through the source, for that request, and never written anywhere. Concurrent reads of the
/// same order share one upstream call; a read whose rate-limit permit would come after the wait budget fails at once.
/// </summary>
internal sealed class StoreFirstOrderReader(OrderLookup lookup, IOrderStore store, OrderApiOptions options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<(string Source, string OrderId, bool PersonalData), Lazy<Task<Order>>> _inFlight = new();

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
                if (await store.GetPublicAsync(source.Name, orderId, cancellationToken).ConfigureAwait(false) is { } stored)
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
