using OrderHub.Throttling;

namespace OrderHub;

/// <summary>A source whose reads are paced by a token bucket; the sync reads its rate to estimate time left.</summary>
public interface IRateLimitedOrderSource : IOrderSource
{
    /// <summary>Gets the bucket that paces <see cref="IOrderSource.GetOrderAsync"/>.</summary>
    AdaptiveTokenBucketRateLimiter GetOrderRateLimiter { get; }
}
