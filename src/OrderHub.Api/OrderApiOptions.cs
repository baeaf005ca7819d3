namespace OrderHub.Api;

/// <summary>
/// How the lookup API behaves. <c>AddOrderHubApi()</c> binds them from the <see cref="SectionName"/> section
/// (<c>OrderHub:Api:MaxStoreAge</c>, <c>OrderHub:Api:ApiKeys:0:Key</c>, ...), then applies the code's settings.
/// </summary>
public sealed class OrderApiOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "OrderHub:Api";

    /// <summary>Gets or sets where to listen. The default is <c>http://127.0.0.1:5000</c>: loopback only, unless told otherwise.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5000";

    /// <summary>Gets the API keys accepted in the <c>X-Api-Key</c> header.</summary>
    public IList<ApiKey> ApiKeys { get; init; } = [];

    /// <summary>Gets or sets a value indicating whether to accept requests without a key. The default is <see langword="false"/>; turning it on logs a warning at start.</summary>
    public bool AuthenticationDisabled { get; set; }

    /// <summary>Gets or sets how old a stored order may be and still be served without an upstream read. The default is 5 minutes.</summary>
    public TimeSpan MaxStoreAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how long a request may wait for an upstream rate-limit permit before the API answers 429. The default is 10 seconds.</summary>
    public TimeSpan UpstreamWaitBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long an order read from the store is kept in this process's memory and answered again without
    /// reading the store. What another process (a sync) writes to the store meanwhile is served at most this much
    /// later; what this API writes back after an upstream read is served at once. The default is 1 second;
    /// <see cref="TimeSpan.Zero"/> reads the store on every request. <see cref="MaxStoreAge"/> still applies.
    /// </summary>
    public TimeSpan StoreCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the most bytes of order JSON kept in that memory; past it, entries are evicted. The default is 64 MiB.</summary>
    public long StoreCacheSizeLimit { get; set; } = 64L * 1024 * 1024;
}

/// <summary>An API key and what it may see.</summary>
/// <param name="Key">The key. Secret: never logged.</param>
/// <param name="AllowPersonalData">Whether callers with this key may see personal data (addresses, buyer and tax details).</param>
public sealed record ApiKey(string Key, bool AllowPersonalData = false)
{
    /// <summary>
    /// Gets a value indicating whether callers with this key may ask for <c>?refresh=true</c>, an upstream read that
    /// spends the seller's getOrder quota. The default is <see langword="false"/>: such a request is answered 403.
    /// </summary>
    public bool AllowRefresh { get; init; }

    /// <summary>Returns what the key allows; never the key.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"ApiKey {{ AllowPersonalData = {AllowPersonalData}, AllowRefresh = {AllowRefresh} }}";
}
