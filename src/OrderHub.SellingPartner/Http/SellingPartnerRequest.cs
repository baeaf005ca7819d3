using OrderHub.SellingPartner.Auth;
using OrderHub.Throttling;

namespace OrderHub.SellingPartner.Http;

/// <summary>One Selling Partner API call: what to send, with which token, against which rate-limit bucket.</summary>
internal sealed record SellingPartnerRequest(
    HttpMethod Method,
    Uri Uri,
    IAccessTokenSource Tokens,
    IQuotaLimiter Limiter,
    ThrottleMode ThrottleMode,
    OrderErrorContext Context,
    Func<HttpContent>? Content = null,
    TimeSpan? MaxPermitWait = null,
    string Operation = SellingPartnerDefaults.GetOrderOperation);
