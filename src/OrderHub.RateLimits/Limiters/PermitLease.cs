using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace OrderHub.RateLimits;

/// <summary>A lease that holds its permits for good (a token bucket takes nothing back) and, when refused, the wait as <see cref="MetadataName.RetryAfter"/>.</summary>
internal sealed class PermitLease : RateLimitLease
{
    private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];
    private readonly TimeSpan? _retryAfter;

    private PermitLease(bool isAcquired, TimeSpan? retryAfter)
    {
        IsAcquired = isAcquired;
        _retryAfter = retryAfter;
    }

    public static PermitLease Acquired { get; } = new(true, null);

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterName;

    public static PermitLease Rejected(TimeSpan? retryAfter) => new(false, retryAfter);

    public override bool TryGetMetadata(string metadataName, [NotNullWhen(true)] out object? metadata)
    {
        if (_retryAfter is { } retryAfter && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = retryAfter;
            return true;
        }

        metadata = null;
        return false;
    }
}
