namespace OrderHub.Emulator.Hosting;

/// <summary>How the emulator behaves: credentials it accepts, its limits, its data.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Gets or sets the LWA client id the emulator accepts. The default is <c>emulator-client</c>.</summary>
    public string ClientId { get; set; } = "emulator-client";

    /// <summary>Gets or sets the LWA client secret the emulator accepts. The default is <c>emulator-secret</c>.</summary>
    public string ClientSecret { get; set; } = "emulator-secret";

    /// <summary>Gets or sets the refresh tokens the emulator accepts, one per selling partner. The default is one, <c>Atzr|emulator-seller</c>.</summary>
    public IList<string> RefreshTokens { get; set; } = ["Atzr|emulator-seller"];

    /// <summary>
    /// Gets or sets the region each selling partner sells in, by its refresh token: <c>na</c> (the US, Canada, Mexico
    /// and Brazil), <c>eu</c> (Germany, the UK, France, Italy, Spain, the Netherlands, Poland, Sweden and Turkey) or
    /// <c>fe</c> (Japan, Australia and Singapore). Its orders are placed in that region's marketplaces in turn, each in
    /// the marketplace's currency. A seller not listed sells in six marketplaces of the three regions. The default is
    /// empty.
    /// </summary>
    public IDictionary<string, string> SellerRegions { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long an access token lives. The default is one hour, as LWA issues.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long a restricted data token lives. The default is one hour.</summary>
    public TimeSpan RestrictedDataTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets getOrder's rate per selling partner. The default is 0.5 requests per second, as Amazon's.</summary>
    public double SpGetOrderRate { get; set; } = 0.5;

    /// <summary>Gets or sets getOrder's burst per selling partner. The default is 30, as Amazon's.</summary>
    public int SpGetOrderBurst { get; set; } = 30;

    /// <summary>
    /// Gets or sets whether the application holds the restricted role for personal data. Without it the Tokens API
    /// refuses restricted data tokens (HTTP 403) and 2026-01-01 leaves out the BUYER and RECIPIENT datasets. The
    /// default is <see langword="true"/>.
    /// </summary>
    public bool SpRestrictedRoleGranted { get; set; } = true;

    /// <summary>Gets or sets <c>searchOrders</c>' rate per selling partner. The default is 0.0056 requests per second, as Amazon's.</summary>
    public double SpSearchOrdersRate { get; set; } = 0.0056;

    /// <summary>Gets or sets <c>searchOrders</c>' burst per selling partner. The default is 20, as Amazon's.</summary>
    public int SpSearchOrdersBurst { get; set; } = 20;

    /// <summary>Gets or sets v0 <c>getOrders</c>' rate per selling partner. The default is 0.0167 requests per second, as Amazon's.</summary>
    public double SpGetOrdersRate { get; set; } = 0.0167;

    /// <summary>Gets or sets v0 <c>getOrders</c>' burst per selling partner. The default is 20, as Amazon's.</summary>
    public int SpGetOrdersBurst { get; set; } = 20;

    /// <summary>Gets or sets how long a page token of <c>searchOrders</c> or <c>getOrders</c> is honoured. The default is 24 hours, as documented.</summary>
    public TimeSpan SpPageTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how often the Selling Partner orders change: at each interval one order moves on a status (and is
    /// stamped updated) and a new order arrives. <see langword="null"/> (the default) keeps the orders as generated.
    /// </summary>
    public TimeSpan? SpOrderChangeInterval { get; set; }

    /// <summary>
    /// Gets or sets how much earlier than its usage plan allows a request may be judged and still pass. The emulator
    /// reads a request's arrival when it handles it, so a host that stalls (an emulator inside a test process on a busy
    /// machine) judges the requests queued meanwhile as one burst. The default is zero: exact, as in the benchmarks,
    /// where the emulator has a process of its own.
    /// </summary>
    public TimeSpan SpQuotaJitterTolerance { get; set; }

    /// <summary>Gets or sets whether to send <c>x-amzn-RateLimit-Limit</c>. The default is <see langword="true"/>.</summary>
    public bool SendRateLimitHeader { get; set; } = true;

    /// <summary>Gets or sets the seed of the generated orders. The default is 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Gets or sets how many Selling Partner orders to generate. The default is 200.</summary>
    public int SpOrderCount { get; set; } = 200;

    /// <summary>
    /// Gets or sets how far back the generated Selling Partner orders reach. They are dated relative to the emulator's
    /// start on its clock (<see cref="TimeProvider"/>): purchased over this span up to the start, each updated after
    /// its purchase and no later than an hour before the start, so a search at the start sees every one. The same
    /// seed and start time give the same orders. The default is 90 days.
    /// </summary>
    public TimeSpan SpOrderHistory { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets the long-term AWS access key id the Outposts endpoints and STS accept. The default is <c>AKIDEMULATOR</c>.</summary>
    public string AwsAccessKeyId { get; set; } = "AKIDEMULATOR";

    /// <summary>Gets or sets the AWS secret access key the Outposts half verifies signatures with.</summary>
    public string AwsSecretAccessKey { get; set; } = "emulator/secret/access/key/EXAMPLE";

    /// <summary>Gets or sets the AWS region the Outposts endpoint serves; a request signed for another is refused, as AWS does. The default is <c>us-west-2</c>.</summary>
    public string AwsRegion { get; set; } = "us-west-2";

    /// <summary>Gets or sets the AWS account the long-term key belongs to, as STS's GetCallerIdentity names it. The default is <c>123456789012</c>.</summary>
    public string AwsAccountId { get; set; } = "123456789012";

    /// <summary>
    /// Gets or sets the roles STS lets be assumed (AssumeRole, AssumeRoleWithWebIdentity): a role ARN, where <c>*</c>
    /// stands for any run of characters; any other role is refused with <c>AccessDenied</c>. The default is
    /// <c>arn:aws:iam::*:role/*</c>, every role.
    /// </summary>
    public string StsRoleArnPattern { get; set; } = "arn:aws:iam::*:role/*";

    /// <summary>
    /// Gets or sets the web identity tokens STS accepts in AssumeRoleWithWebIdentity (the contents of
    /// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>); any other is refused with <c>InvalidIdentityToken</c>. The default is one,
    /// <c>emulator-web-identity-token</c>.
    /// </summary>
    public IList<string> StsWebIdentityTokens { get; set; } = ["emulator-web-identity-token"];

    /// <summary>Gets or sets how long a created Outposts order stays in each status before it moves on (PREPARING, IN_PROGRESS, DELIVERED, then COMPLETED). The default is one minute.</summary>
    public TimeSpan OutpostsStatusStep { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how many extra Outposts orders to generate beside the ones that cover every documented value. The default is 25.</summary>
    public int OutpostsOrderCount { get; set; } = 25;

    /// <summary>
    /// Gets how the Reports API behaves: the processing delay of a report, the share that ends <c>FATAL</c>, the
    /// lifetime of a document's URL and each operation's usage plan. The default is Amazon's plans, 5 seconds, none.
    /// </summary>
    public OrderHub.Emulator.SellingPartner.Reports.SpReportOptions SpReports { get; init; } = new();

    /// <summary>
    /// Gets how <c>ORDER_CHANGE</c> notifications reach a subscribed queue when the orders change: their delay, how far
    /// they may be reordered and how many come twice. The default is at once, in order, once each.
    /// </summary>
    public OrderHub.Emulator.SellingPartner.Notifications.SpNotificationOptions SpNotifications { get; init; } = new();

    /// <summary>Gets the faults injected into order reads (Selling Partner getOrder and Outposts GetOrder). The default is none.</summary>
    public FaultOptions Faults { get; init; } = new();

    /// <summary>Gets or sets the clock (token and temporary credential expiry, rate limits, order progress); <see langword="null"/> for the system clock. Signature freshness is always checked against the system clock, as the signer reads it.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
