using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using OrderHub.Json;
using OrderHub.Sync;

namespace OrderHub.Api.Lookup;

/// <summary>
/// Reads an order for the API: from the store when it is young enough, else through its source (written back to the
/// store). Concurrent reads of the same order share one upstream call.
/// </summary>
internal sealed class StoreFirstOrderReader(OrderLookup lookup, IOrderStore store, OrderApiOptions options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<(string Source, string OrderId, bool PersonalData), Lazy<Task<Order>>> _inFlight = new();

    /// <summary>What to answer: the JSON bytes, or that the upstream has no permit within the budget.</summary>
    public sealed record Answer(byte[]? Json, string Source, TimeSpan? Busy);

    public async Task<Answer> ReadAsync(string? sourceName, string orderId, bool refresh, bool includeRaw, bool allowPersonalData, CancellationToken cancellationToken)
    {
        var source = sourceName is null ? lookup.ResolveSource(orderId) : lookup.GetSource(sourceName);
        source.OrderIdFormat.Validate(orderId, source.Name);

        if (!refresh && await store.GetAsync(source.Name, orderId, cancellationToken).ConfigureAwait(false) is { } stored
            && timeProvider.GetUtcNow() - stored.StoredAt < options.MaxStoreAge)
        {
            if (!allowPersonalData && stored.PublicJson is { } publicJson)
            {
                return new Answer(publicJson, source.Name, null);
            }

            if (allowPersonalData)
            {
                return new Answer(includeRaw ? stored.Json : WithoutRaw(stored.Json), source.Name, null);
            }
        }

        if (source is IRateLimitedOrderSource limited && limited.GetOrderRateLimiter.EstimateWait() is var wait && wait > options.UpstreamWaitBudget)
        {
            return new Answer(null, source.Name, wait);
        }

        var order = await ReadThroughAsync(source, orderId, allowPersonalData).WaitAsync(cancellationToken).ConfigureAwait(false);
        var shown = allowPersonalData ? order : order.WithoutPersonalData();
        return new Answer(OrderJson.SerializeToUtf8Bytes(shown, includeRaw: includeRaw && allowPersonalData), source.Name, null);
    }

    // One upstream call per (source, order, personal data) at a time, not tied to any one caller's cancellation.
    private Task<Order> ReadThroughAsync(IOrderSource source, string orderId, bool personalData)
    {
        var key = (source.Name, orderId, personalData);
        var call = _inFlight.GetOrAdd(key, k => new Lazy<Task<Order>>(() => FetchAndStoreAsync(source, k.OrderId, k.PersonalData)));
        return call.Value;

        async Task<Order> FetchAndStoreAsync(IOrderSource from, string id, bool withPersonalData)
        {
            try
            {
                var order = await from.GetOrderAsync(id, new OrderReadOptions { IncludePersonalData = withPersonalData }, CancellationToken.None).ConfigureAwait(false);
                await store.UpsertAsync(order, CancellationToken.None).ConfigureAwait(false);
                return order;
            }
            finally
            {
                _inFlight.TryRemove(key, out _);
            }
        }
    }

    private static byte[] WithoutRaw(byte[] json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("rawPayload");
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
