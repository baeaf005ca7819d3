using System.Net;
using System.Text.Json;
using OrderHub.Http;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// Login with Amazon's refresh-token grant, through Refit (<see cref="ILoginWithAmazonApi"/>) over the upstream client
/// skeleton, as every call: within the call budget (<see cref="UpstreamClientOptions.CallTimeout"/>), retrying a 5xx,
/// a 429 or a transport failure (backoff and jitter, <see cref="UpstreamClientOptions.MaxRetryAttempts"/>), each attempt
/// bounded by the attempt timeout. The access token is cached and refreshed ahead of the expiry the endpoint returns
/// (<c>expires_in</c>); however many callers wait, one refresh is in flight. A refresh spends no rate-limit permit.
/// </summary>
internal sealed class LwaAccessTokenSource : IAccessTokenSource, IDisposable
{
    private static readonly UpstreamProtocol<UpstreamCall, UpstreamResponse> Protocol = new()
    {
        Upstream = "Login with Amazon",
        PipelineName = "OrderHub.LoginWithAmazon",
        RequestIdHeader = SellingPartnerDefaults.LwaRequestIdHeader,
        Read = static response => UpstreamResponse.Of(response, SellingPartnerDefaults.LwaRequestIdHeader),
        ShouldRetry = static (answer, _) => answer.StatusCode == HttpStatusCode.TooManyRequests
            ? UpstreamRetry.Throttled()
            : IsTransientStatus(answer.StatusCode) ? UpstreamRetry.Failed(answer.StatusCode) : UpstreamRetry.No,
    };

    private readonly UpstreamClient<ILoginWithAmazonApi, UpstreamCall, UpstreamResponse> _client;
    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;
    private readonly CachedTokenSlot _slot;
    private readonly string? _grantlessScope;

    /// <summary>Initializes a new instance of the <see cref="LwaAccessTokenSource"/> class.</summary>
    /// <param name="options">The source's credentials and Login with Amazon endpoint.</param>
    /// <param name="context">The transport, clock and logger.</param>
    /// <param name="grantlessScope">
    /// <see langword="null"/> for the seller's token (the refresh-token grant); a scope (<c>sellingpartnerapi::notifications</c>)
    /// for the application's own token of grantless operations (the client-credentials grant: no refresh token is sent).
    /// </param>
    public LwaAccessTokenSource(SellingPartnerOrderSourceOptions options, UpstreamContext context, string? grantlessScope = null)
    {
        _grantlessScope = grantlessScope;
        _options = options;
        _timeProvider = context.Clock;
        _sourceName = options.SourceName;
        _client = new(Protocol, options, options.LwaEndpoint, context, []);
        _slot = new CachedTokenSlot(context.Clock, RefreshAsync);
    }

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _slot.GetAsync(cancellationToken);

    public void Invalidate(string rejectedToken) => _slot.Invalidate(rejectedToken);

    public void Dispose() => _client.Dispose();

    // A token refresh is a call of its own in the traces (its span is the client's); the token itself never goes there.
    private async Task<CachedToken> RefreshAsync(CancellationToken cancellationToken)
    {
        var requestedAt = _timeProvider.GetUtcNow();
        var call = new UpstreamCall { Operation = SellingPartnerDefaults.LwaOperation, Context = new OrderErrorContext(_sourceName) };
        var form = _grantlessScope is { } scope
            ? new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = scope,
                ["client_id"] = _options.ClientId,
                ["client_secret"] = _options.ClientSecret,
            }
            : new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = _options.RefreshToken,
                ["client_id"] = _options.ClientId,
                ["client_secret"] = _options.ClientSecret,
            };

        var response = await _client.SendAsync(call, (api, c, token) => api.RefreshAccessTokenAsync(form, c, token), cancellationToken).ConfigureAwait(false);
        var (status, body, requestId) = (response.StatusCode, response.Body, response.RequestId);
        if (status is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous)
        {
            var token = TryRead(body, SellingPartnerJsonContext.Default.LwaTokenResponse);
            if (token?.AccessToken is not { Length: > 0 } accessToken || token.ExpiresIn is not > 0)
            {
                throw new OrderSourceProtocolException(
                    "Login with Amazon answered without an access token and its lifetime.",
                    null, // the body would hold a token: never keep it
                    new OrderErrorContext(_sourceName, StatusCode: status, RequestId: requestId));
            }

            return new CachedToken(accessToken, requestedAt, TimeSpan.FromSeconds(token.ExpiresIn.Value));
        }

        var error = TryRead(body, SellingPartnerJsonContext.Default.LwaErrorResponse);
        var context = new OrderErrorContext(_sourceName, StatusCode: status, RequestId: requestId, ErrorCode: error?.Error);
        var what = error?.Error is { } code ? $"{code}: {error.ErrorDescription}" : $"HTTP {(int)status}";
        throw IsTransientStatus(status)
            ? new OrderSourceUnavailableException($"Login with Amazon could not refresh the access token ({what}).", context)
            : new OrderSourceAuthenticationException($"Login with Amazon refused the credentials ({what}). Check the client id, client secret and refresh token.", context);
    }

    private static bool IsTransientStatus(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests;

    private static T? TryRead<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
