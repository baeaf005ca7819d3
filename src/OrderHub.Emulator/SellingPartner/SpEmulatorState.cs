using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.SellingPartner.Notifications;
using OrderHub.Emulator.SellingPartner.Reports;

namespace OrderHub.Emulator.SellingPartner;

/// <summary>
/// What the Selling Partner half of the emulator remembers: issued tokens, per-seller quotas, orders, counters.
/// Publicly, only what a test reads (the order ids it serves, what it holds for one, how many requests arrived) and the
/// two moves a test makes (expire the tokens, move the orders on); how it serves them is internal.
/// </summary>
public sealed class SpEmulatorState
{
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UsagePlanQuota> _quotas = new(StringComparer.Ordinal);
    private int _tokenRequests;
    private int _getOrderRequests;
    private int _throttled;
    private int _restrictedDataTokenRequests;
    private int _pageRequests;
    private int _pagesAdmitted;
    private readonly DateTimeOffset _startedAt;
    private long _firstAdmittedAt = long.MaxValue;
    private long _lastAdmittedAt = long.MinValue;

    /// <summary>Initializes a new instance of the <see cref="SpEmulatorState"/> class.</summary>
    /// <param name="options">The emulator's options.</param>
    internal SpEmulatorState(EmulatorOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        Sellers = new SpSellers(options);
        if (options.SpOrderHistory <= TimeSpan.Zero)
        {
            throw new ArgumentException("EmulatorOptions.SpOrderHistory must be a positive span, such as 90 days.");
        }

        _startedAt = TimeProvider.GetUtcNow();
        Catalog = new SpOrderCatalog(options.Seed, options.SpOrderCount, Sellers, _startedAt, options.SpOrderHistory);
        Faults = new FaultInjector(options.Faults, options.Seed);
        options.SpReports.Validate();
        Reports = new SpReportState(options.SpReports, options.Seed);
        Notifications = new SpNotificationState(options.SpNotifications, options.Seed, options.ClientId, TimeProvider);
    }

    /// <summary>Gets the Notifications API's destinations and subscriptions, and the changes made to the orders.</summary>
    public SpNotificationState Notifications { get; }

    /// <summary>Gets how many searchOrders and getOrders page requests arrived (accepted or not).</summary>
    public int PageRequests => Volatile.Read(ref _pageRequests);

    /// <summary>Gets how many searchOrders and getOrders page requests their usage plan let through.</summary>
    public int PagesAdmitted => Volatile.Read(ref _pagesAdmitted);

    internal void CountPageRequest() => Interlocked.Increment(ref _pageRequests);

    internal void CountPageAdmitted() => Interlocked.Increment(ref _pagesAdmitted);

    /// <summary>Brings the orders up to now when they are set to change over time (<see cref="EmulatorOptions.SpOrderChangeInterval"/>).</summary>
    internal void ApplyChanges()
    {
        if (Options.SpOrderChangeInterval is { } interval && interval > TimeSpan.Zero)
        {
            Published(Catalog.ApplyChangesUntil(_startedAt, interval, TimeProvider.GetUtcNow()));
        }
    }

    /// <summary>
    /// Starts making the changes as they fall due on the emulator's clock, whether or not a request arrives, so their
    /// notifications go out on time; <see langword="null"/> when the orders do not change over time.
    /// </summary>
    /// <returns>The timer, which the host disposes of.</returns>
    internal ITimer? StartChanging()
    {
        if (Options.SpOrderChangeInterval is not { } interval || interval <= TimeSpan.Zero)
        {
            return null;
        }

        ITimer? timer = null;
        var gate = new Lock();
        void Tick()
        {
            ApplyChanges();
            var now = TimeProvider.GetUtcNow();
            var next = _startedAt + (interval * (Math.Floor((now - _startedAt) / interval) + 1));
            lock (gate)
            {
                timer?.Change(next - now, Timeout.InfiniteTimeSpan);
            }
        }

        lock (gate)
        {
            timer = TimeProvider.CreateTimer(_ => Tick(), null, interval, Timeout.InfiniteTimeSpan);
        }

        return timer;
    }

    private void Published(IReadOnlyList<SpOrderChange> changes)
    {
        if (changes.Count > 0)
        {
            Notifications.Publish(changes, Catalog, Sellers, Options.RefreshTokens);
        }
    }

    /// <summary>Gets the fault injector of getOrder.</summary>
    internal FaultInjector Faults { get; }

    /// <summary>Gets the emulator's options.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Gets the emulator's clock.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>Gets the seeded orders.</summary>
    internal SpOrderCatalog Catalog { get; }

    /// <summary>Gets the selling partners, each with its refresh token and marketplaces.</summary>
    internal SpSellers Sellers { get; }

    /// <summary>Gets the Reports API's reports and documents.</summary>
    internal SpReportState Reports { get; }

    /// <summary>Gets how many Reports API requests arrived (createReport, getReport, getReports, cancelReport, getReportDocument; accepted or not).</summary>
    public int ReportRequests => Reports.Requests;

    /// <summary>Gets how many reports createReport created, for every seller.</summary>
    public int ReportsCreated => Reports.Created;

    /// <summary>Gets how many of the reports created end <c>FATAL</c>.</summary>
    public int ReportsFatal => Reports.Fatal;

    /// <summary>Gets how many report documents were downloaded from their pre-signed URLs.</summary>
    public int ReportDocumentDownloads => Reports.Downloads;

    /// <summary>Gets how many document downloads were refused: an expired or altered URL, or an access token sent along.</summary>
    public int ReportDocumentDownloadsRefused => Reports.DownloadsRefused;

    /// <summary>Gets how many document downloads carried an access token, which a client must send to the Selling Partner API only.</summary>
    public int ReportDocumentDownloadsWithAccessToken => Reports.DownloadsWithAccessToken;

    /// <summary>Gets the ids of every order it serves, in generation order (those that arrived later last).</summary>
    public IReadOnlyList<string> OrderIds => Catalog.OrderIds;

    /// <summary>Gets how many faults were injected into getOrder (<see cref="EmulatorOptions.Faults"/>).</summary>
    public int FaultsInjected => Faults.Injected;

    /// <summary>Gets the Orders API v0 <c>Order</c> it serves now for an id: a copy, to compare with what a client kept.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="includePersonalData">Whether to include what only a restricted data token unlocks.</param>
    /// <returns>The order's payload, or <see langword="null"/> when the emulator has no such order.</returns>
    public JsonObject? GetOrderPayload(string orderId, bool includePersonalData = false) =>
        Catalog.TryGet(orderId, out var record) ? record.ToPayload(includePersonalData) : null;

    /// <summary>
    /// Moves the orders on as if they had changed every <paramref name="interval"/> from <paramref name="start"/> to
    /// <paramref name="now"/>: at each step one order moves on a status (or is touched) and a new order arrives, both
    /// stamped with the step's time. Deterministic; steps already applied are not applied again.
    /// <see cref="EmulatorOptions.SpOrderChangeInterval"/> does the same on the emulator's clock.
    /// </summary>
    /// <param name="start">When the first step's interval began.</param>
    /// <param name="interval">The time between steps.</param>
    /// <param name="now">The time to bring the orders to.</param>
    public void ApplyChangesUntil(DateTimeOffset start, TimeSpan interval, DateTimeOffset now) => Published(Catalog.ApplyChangesUntil(start, interval, now));

    /// <summary>Gets how many LWA token requests arrived (accepted or not).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Gets how many getOrder requests arrived (accepted or not).</summary>
    public int GetOrderRequests => Volatile.Read(ref _getOrderRequests);

    /// <summary>Gets how many requests were answered 429.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>Gets how many restricted data token requests arrived.</summary>
    public int RestrictedDataTokenRequests => Volatile.Read(ref _restrictedDataTokenRequests);

    internal void CountTokenRequest() => Interlocked.Increment(ref _tokenRequests);

    internal void CountGetOrder() => Interlocked.Increment(ref _getOrderRequests);

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);

    /// <summary>
    /// Gets the time from the first getOrder the quota admitted to the last: what a paced run against the quota takes
    /// on the server's side, whatever the clients spent starting up. Zero before two were admitted.
    /// </summary>
    internal TimeSpan AdmittedGetOrderSpan
    {
        get
        {
            var first = Interlocked.Read(ref _firstAdmittedAt);
            var last = Interlocked.Read(ref _lastAdmittedAt);
            return last > first ? TimeProvider.GetElapsedTime(first, last) : TimeSpan.Zero;
        }
    }

    internal void RecordAdmitted()
    {
        var now = TimeProvider.GetTimestamp();
        long seen;
        while (now < (seen = Interlocked.Read(ref _firstAdmittedAt)) && Interlocked.CompareExchange(ref _firstAdmittedAt, now, seen) != seen)
        {
        }

        while (now > (seen = Interlocked.Read(ref _lastAdmittedAt)) && Interlocked.CompareExchange(ref _lastAdmittedAt, now, seen) != seen)
        {
        }
    }

    internal void CountRestrictedDataTokenRequest() => Interlocked.Increment(ref _restrictedDataTokenRequests);

    /// <summary>
    /// Gets the orders of one seller (by the index of its refresh token). With several sellers configured, the seeded
    /// orders are dealt out among them in turn, and a seller reading another's order gets 404, as on the real API.
    /// </summary>
    /// <param name="seller">The index of the seller's refresh token in <see cref="EmulatorOptions.RefreshTokens"/>.</param>
    /// <returns>Its order ids.</returns>
    public IReadOnlyList<string> OrderIdsOf(int seller) =>
        [.. Catalog.OrderIds.Where((_, i) => Sellers.SellerOf(i) == seller)];

    /// <summary>
    /// Gets the marketplaces one seller's orders are placed in: those of its region (<see cref="EmulatorOptions.SellerRegions"/>),
    /// or six marketplaces of the three regions.
    /// </summary>
    /// <param name="seller">The index of the seller's refresh token in <see cref="EmulatorOptions.RefreshTokens"/>.</param>
    /// <returns>Its marketplace ids.</returns>
    public IReadOnlyList<string> MarketplaceIdsOf(int seller) => [.. Sellers.MarketplacesOf(seller).Select(m => m.Id)];

    internal bool Owns(string seller, string orderId) =>
        Sellers.Count <= 1 || Sellers.SellerOf(Catalog.IndexOf(orderId)) == Sellers.IndexOf(seller);

    internal IssuedToken Issue(string seller, TimeSpan lifetime, bool restricted, string prefix, string? grantlessScope = null)
    {
        var value = prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var token = new IssuedToken(seller, TimeProvider.GetUtcNow() + lifetime, restricted) { Scope = grantlessScope };
        _tokens[value] = token;
        return token with { Value = value };
    }

    /// <summary>Expires every issued token now, as if an hour had passed; the next call with one gets a 403.</summary>
    public void ExpireAllTokens()
    {
        foreach (var (value, token) in _tokens)
        {
            _tokens[value] = token with { ExpiresAt = DateTimeOffset.MinValue };
        }
    }

    internal bool TryResolve(string? value, out IssuedToken token)
    {
        token = null!;
        return value is not null && _tokens.TryGetValue(value, out token!);
    }

    internal UsagePlanQuota QuotaFor(string seller, string operation, double rate, int burst) =>
        _quotas.GetOrAdd($"{seller}|{operation}", _ => new UsagePlanQuota(rate, burst, TimeProvider, Options.SpQuotaJitterTolerance));
}

/// <summary>A token the emulator issued.</summary>
/// <param name="Seller">The selling partner it acts for (its refresh token); empty for a grantless token.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="Restricted">Whether it is a restricted data token (unlocks personal data).</param>
internal sealed record IssuedToken(string Seller, DateTimeOffset ExpiresAt, bool Restricted)
{
    public string Value { get; init; } = string.Empty;

    /// <summary>Gets the scope of a grantless token (the application's own, acting for no seller), or <see langword="null"/> for a seller's.</summary>
    public string? Scope { get; init; }

    public override string ToString() => $"IssuedToken {{ ExpiresAt = {ExpiresAt:O}, Restricted = {Restricted} }}";
}
