using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;
using OrderHub.RateLimits;

namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// Restricted Data Tokens (Tokens API <c>createRestrictedDataToken</c>), which unlock personal data. Each token is
/// cached for its lifetime per (method, path, data elements); one request is in flight per key.
/// </summary>
internal sealed class RestrictedDataTokens
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SellingPartnerClient _client;
    private readonly IAccessTokenSource _lwa;
    private readonly IQuotaLimiter _limiter;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;

    public RestrictedDataTokens(SellingPartnerClient client, IAccessTokenSource lwa, IQuotaLimiter limiter, TimeProvider timeProvider, string sourceName)
    {
        _client = client;
        _lwa = lwa;
        _limiter = limiter;
        _timeProvider = timeProvider;
        _sourceName = sourceName;
    }

    /// <summary>Gets the token source for one restricted resource; a generic path such as <c>/orders/v0/orders/{orderId}</c> serves every order.</summary>
    public IAccessTokenSource For(string method, string path, IReadOnlyList<string> dataElements)
    {
        var key = $"{method} {path} [{string.Join(',', dataElements.Order(StringComparer.Ordinal))}]";
        return _entries.GetOrAdd(key, _ => new Entry(this, new RestrictedResource(method, path, dataElements)));
    }

    private sealed class Entry : IAccessTokenSource
    {
        private readonly RestrictedDataTokens _owner;
        private readonly RestrictedResource _resource;
        private readonly CachedTokenSlot _slot;

        public Entry(RestrictedDataTokens owner, RestrictedResource resource)
        {
            _owner = owner;
            _resource = resource;
            _slot = new CachedTokenSlot(owner._timeProvider, CreateAsync);
        }

        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _slot.GetAsync(cancellationToken);

        public void Invalidate(string rejectedToken) => _slot.Invalidate(rejectedToken);

        private async Task<CachedToken> CreateAsync(CancellationToken cancellationToken)
        {
            var context = new OrderErrorContext(_owner._sourceName);
            var requestedAt = _owner._timeProvider.GetUtcNow();
            var call = _owner._client.Call(_owner._lwa, _owner._limiter, ThrottleMode.Wait, context, SellingPartnerDefaults.RestrictedDataTokenOperation);
            var body = new CreateRestrictedDataTokenRequest([_resource]);
            var response = await _owner._client.SendAsync(call, (api, c, ct) => api.CreateRestrictedDataTokenAsync(body, c, ct), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.RestrictedDataTokenOperation, null);
            }

            CreateRestrictedDataTokenResponse? answer;
            try
            {
                answer = JsonSerializer.Deserialize(response.Body, SellingPartnerJsonContext.Default.CreateRestrictedDataTokenResponse);
            }
            catch (JsonException)
            {
                answer = null;
            }

            if (answer?.RestrictedDataToken is not { Length: > 0 } rdt || answer.ExpiresIn is not > 0)
            {
                // Never keep this body in the exception: it would hold a token.
                throw new OrderSourceProtocolException(
                    "The Tokens API answered without a restricted data token and its lifetime.",
                    null,
                    context with { StatusCode = response.StatusCode, RequestId = response.RequestId });
            }

            return new CachedToken(rdt, requestedAt, TimeSpan.FromSeconds(answer.ExpiresIn.Value));
        }
    }
}
