namespace OrderHub.Outposts;

/// <summary>The Outposts adapter's defaults, stated once.</summary>
internal static class OutpostsDefaults
{
    public const string SourceName = "outposts";
    public const string SigningName = "outposts";
    public const string ApiVersion = "2019-12-03";
    public const int MaxRetryAttempts = 2; // the AWS SDKs' standard retry mode: 3 attempts
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(20);
    public const string RequestIdHeader = "x-amzn-RequestId";
    public const string ErrorTypeHeader = "x-amzn-ErrorType";
}
