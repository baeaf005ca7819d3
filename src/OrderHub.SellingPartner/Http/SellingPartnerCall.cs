using OrderHub.Http;
using OrderHub.SellingPartner.Auth;
using OrderHub.RateLimits;

namespace OrderHub.SellingPartner.Http;

/// <summary>
/// One Selling Partner API call as its pipeline and handlers see it: which token goes in <c>x-amz-access-token</c>,
/// which bucket gives the permit, and whether the caller waits for it.
/// </summary>
internal sealed class SellingPartnerCall : UpstreamCall
{
    /// <summary>Gets where the access token comes from (Login with Amazon, or a restricted data token).</summary>
    public required IAccessTokenSource Tokens { get; init; }

    /// <summary>Gets the operation's bucket.</summary>
    public required IQuotaLimiter Limiter { get; init; }

    /// <summary>Gets what the call does when no permit is free.</summary>
    public required ThrottleMode ThrottleMode { get; init; }

    /// <summary>Gets the longest wait for a permit the caller accepts, or <see langword="null"/>.</summary>
    public TimeSpan? MaxPermitWait { get; init; }

    /// <summary>Gets or sets a value indicating whether the last answer refused the token as invalid or expired (it has been forgotten).</summary>
    public bool TokenRejected { get; set; }
}
