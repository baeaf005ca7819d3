using OrderHub.RateLimits;

namespace OrderHub;

/// <summary>
/// Creates the quota store of one <see cref="RateLimitStoreKind"/> that lives in a package of its own (Redis), so that
/// <c>OrderHub:RateLimits:Store</c> can choose it and a user who never does pulls in none of its libraries.
/// </summary>
public interface IQuotaStoreFactory
{
    /// <summary>Gets the store kind it creates.</summary>
    RateLimitStoreKind Kind { get; }

    /// <summary>Creates the store.</summary>
    /// <param name="options">The rate-limit options, bound and validated.</param>
    /// <param name="services">The container, for what the store needs.</param>
    /// <returns>The store.</returns>
    IQuotaStore Create(RateLimitsOptions options, IServiceProvider services);
}
