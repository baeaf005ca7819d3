namespace OrderHub;

/// <summary>The defaults every upstream client shares, stated once (each provider states its retry defaults in its own).</summary>
internal static class UpstreamClientDefaults
{
    public const long MaxResponseBytes = 4L * 1024 * 1024;
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
}
