using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;
using OrderHub.Throttling;

namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// Restricted Data Tokens (Tokens API <c>createRestrictedDataToken</c>), which unlock personal data. Each token is
/// cached for its lifetime per (method, path, data elements); one request is in flight per key.
/// </summary>
internal sealed class RestrictedDataTokens
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SellingPartnerTransport _transport;
    private readonly IAccessTokenSource _lwa;
    private readonly AdaptiveTokenBucketRateLimiter _limiter;
    private readonly Uri _endpoint;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;

    public RestrictedDataTokens(SellingPartnerTransport transport, IAccessTokenSource lwa, AdaptiveTokenBucketRateLimiter limiter, Uri baseAddress, TimeProvider timeProvider, string sourceName)
    {
        _transport = transport;
        _lwa = lwa;
        _limiter = limiter;
        _endpoint = new Uri(baseAddress, SellingPartnerDefaults.RestrictedDataTokenPath);
        _timeProvider = timeProvider;
        _sourceName = sourceName;
    }

    /// <summary>Gets the token source for one restricted resource; a generic path such as <c>/orders/v0/orders/{orderId}</c> serves every order.</summary>
    public IAccessTokenSource For(string method, string path, IReadOnlyList<string> dataElements)
    {
        var key = $"{method} {path} [{string.Join(',', dataElements.Order(StringComparer.Ordinal))}]";
        return _entries.GetOrAdd(key, _ => new Entry(this, new RestrictedResource(method, path, dataElements)));
    }

    private sealed class Entry(RestrictedDataTokens owner, RestrictedResource resource) : IAccessTokenSource
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private CachedToken? _current;

        public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _current) is { } token && token.IsFresh(owner._timeProvider.GetUtcNow()))
            {
                return token.Value;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_current is { } refreshed && refreshed.IsFresh(owner._timeProvider.GetUtcNow()))
                {
                    return refreshed.Value;
                }

                var fresh = await CreateAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _current, fresh);
                return fresh.Value;
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Invalidate(string rejectedToken)
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && current.Value == rejectedToken)
            {
                Interlocked.CompareExchange(ref _current, null, current);
            }
        }

        private async Task<CachedToken> CreateAsync(CancellationToken cancellationToken)
        {
            var context = new OrderErrorContext(owner._sourceName);
            var requestedAt = owner._timeProvider.GetUtcNow();
            var request = new SellingPartnerRequest(
                HttpMethod.Post,
                owner._endpoint,
                owner._lwa,
                owner._limiter,
                ThrottleMode.Wait,
                context,
                () => JsonContent.Create(new CreateRestrictedDataTokenRequest([resource]), SellingPartnerJsonContext.Default.CreateRestrictedDataTokenRequest));
            var response = await owner._transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                throw SellingPartnerErrors.ToException(response, context, SellingPartnerDefaults.RestrictedDataTokenOperation, null);
            }

            CreateRestrictedDataTokenResponse? body;
            try
            {
                body = JsonSerializer.Deserialize(response.Body, SellingPartnerJsonContext.Default.CreateRestrictedDataTokenResponse);
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body?.RestrictedDataToken is not { Length: > 0 } rdt || body.ExpiresIn is not > 0)
            {
                // Never keep this body in the exception: it would hold a token.
                throw new OrderSourceProtocolException(
                    "The Tokens API answered without a restricted data token and its lifetime.",
                    null,
                    context with { StatusCode = response.StatusCode, RequestId = response.RequestId });
            }

            return new CachedToken(rdt, requestedAt, TimeSpan.FromSeconds(body.ExpiresIn.Value));
        }
    }
}
