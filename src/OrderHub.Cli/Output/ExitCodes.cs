namespace OrderHub.Cli.Output;

/// <summary>The documented exit codes of <c>orderhub</c>; scripts branch on them.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Throttled = 4;
    public const int Upstream = 5;
    public const int Authentication = 6;
    public const int Conflict = 7;
    public const int Declined = 8;
    public const int SyncHadFailures = 9;
    public const int Store = 10;
    public const int Cancelled = 130; // 128 + SIGINT, as shells report Ctrl+C

    /// <summary>The exit code an error maps to.</summary>
    public static int For(Exception error) => error switch
    {
        OrderNotFoundException or OrderHub.Sync.OrderChangePositionExpiredException => NotFound,
        OrderSourceThrottledException => Throttled,
        OrderSourceAuthenticationException => Authentication,
        OrderConflictException or OrderHub.Sync.SyncCursorHeldException => Conflict,
        InvalidOrderRequestException or Microsoft.Extensions.Options.OptionsValidationException or InvalidDataException => Usage,
        ArgumentException and not ArgumentNullException => Usage,
        OrderSourceUnavailableException or OrderSourceProtocolException or OrderPageTokenExpiredException or OrderHub.Sync.OrderSyncHaltedException => Upstream,
        OrderHub.Sync.OrderStoreException or OrderHub.RateLimits.QuotaStoreUnavailableException => Store,
        _ => Unexpected,
    };
}
