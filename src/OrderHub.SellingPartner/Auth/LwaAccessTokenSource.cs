using System.Net;
using System.Text.Json;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// Login with Amazon's refresh-token grant. The access token is cached and refreshed ahead of the expiry the endpoint
/// returns (<c>expires_in</c>); however many callers wait, one refresh is in flight.
/// </summary>
internal sealed class LwaAccessTokenSource : IAccessTokenSource
{
    private readonly HttpClient _http;
    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;
    private readonly Polly.ResiliencePipeline _attemptTimeout;
    private readonly CachedTokenSlot _slot;

    public LwaAccessTokenSource(HttpClient http, SellingPartnerOrderSourceOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _timeProvider = timeProvider;
        _sourceName = options.SourceName;
        _attemptTimeout = OrderHub.Http.HttpExchange.AttemptTimeout(options.AttemptTimeout, timeProvider);
        _slot = new CachedTokenSlot(timeProvider, RequestTokenAsync);
    }

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _slot.GetAsync(cancellationToken);

    public void Invalidate(string rejectedToken) => _slot.Invalidate(rejectedToken);

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", _options.RefreshToken),
            new("client_id", _options.ClientId),
            new("client_secret", _options.ClientSecret),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.LwaEndpoint) { Content = form };
        var requestedAt = _timeProvider.GetUtcNow();
        HttpResponseMessage response;
        byte[] body;
        try
        {
            (response, body) = await OrderHub.Http.HttpExchange.SendAsync(_http, request, _attemptTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (OrderHub.Http.HttpExchange.IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new OrderSourceUnavailableException("Login with Amazon could not be reached (or did not answer in time) to refresh the access token.", new OrderErrorContext(_sourceName), e);
        }

        using (response)
        {
            var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
            if (response.IsSuccessStatusCode)
            {
                var token = TryRead(body, SellingPartnerJsonContext.Default.LwaTokenResponse);
                if (token?.AccessToken is not { Length: > 0 } accessToken || token.ExpiresIn is not > 0)
                {
                    throw new OrderSourceProtocolException(
                        "Login with Amazon answered without an access token and its lifetime.",
                        null, // the body would hold a token: never keep it
                        new OrderErrorContext(_sourceName, StatusCode: response.StatusCode, RequestId: requestId));
                }

                return new CachedToken(accessToken, requestedAt, TimeSpan.FromSeconds(token.ExpiresIn.Value));
            }

            var error = TryRead(body, SellingPartnerJsonContext.Default.LwaErrorResponse);
            var context = new OrderErrorContext(_sourceName, StatusCode: response.StatusCode, RequestId: requestId, ErrorCode: error?.Error);
            var what = error?.Error is { } code ? $"{code}: {error.ErrorDescription}" : $"HTTP {(int)response.StatusCode}";
            throw (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                ? new OrderSourceUnavailableException($"Login with Amazon could not refresh the access token ({what}).", context)
                : new OrderSourceAuthenticationException($"Login with Amazon refused the credentials ({what}). Check the client id, client secret and refresh token.", context);
        }
    }

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
