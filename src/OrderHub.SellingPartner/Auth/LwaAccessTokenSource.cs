using System.Net;
using System.Text.Json;
using OrderHub.Diagnostics;
using OrderHub.Http;
using OrderHub.SellingPartner.Wire;
using Polly;
using Polly.Retry;

namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// Login with Amazon's refresh-token grant. The access token is cached and refreshed ahead of the expiry the endpoint
/// returns (<c>expires_in</c>); however many callers wait, one refresh is in flight. A refresh that meets a 5xx, a
/// 429 or a transport failure is retried with backoff and jitter, within the call budget
/// (<see cref="SellingPartnerOrderSourceOptions.CallTimeout"/>).
/// </summary>
internal sealed class LwaAccessTokenSource : IAccessTokenSource
{
    private readonly UpstreamClient _http;
    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly ResiliencePipeline<LwaAnswer> _retries;
    private readonly CachedTokenSlot _slot;

    public LwaAccessTokenSource(UpstreamClient http, SellingPartnerOrderSourceOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _timeProvider = timeProvider;
        _sourceName = options.SourceName;
        _attemptTimeout = HttpExchange.AttemptTimeout(options.AttemptTimeout, timeProvider);
        var builder = new ResiliencePipelineBuilder<LwaAnswer> { TimeProvider = timeProvider }.AddTimeout(options.CallTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<LwaAnswer>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
            });
        }

        _retries = builder.Build();
        _slot = new CachedTokenSlot(timeProvider, RequestTokenAsync);
    }

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _slot.GetAsync(cancellationToken);

    public void Invalidate(string rejectedToken) => _slot.Invalidate(rejectedToken);

    // A token refresh is a call of its own in the traces; the token itself never goes there.
    private Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken) =>
        OrderHubTelemetry.TraceCallAsync(_sourceName, SellingPartnerDefaults.LwaOperation, () => RefreshAsync(cancellationToken), _ => (HttpStatusCode.OK, (string?)null));

    private async Task<CachedToken> RefreshAsync(CancellationToken cancellationToken)
    {
        var requestedAt = _timeProvider.GetUtcNow();
        LwaAnswer answer;
        try
        {
            answer = await _retries.ExecuteAsync(static (self, ct) => new ValueTask<LwaAnswer>(self.AttemptAsync(ct)), this, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (HttpExchange.IsTransportFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw new OrderSourceUnavailableException("Login with Amazon could not be reached (or did not answer in time) to refresh the access token.", new OrderErrorContext(_sourceName), e)
            {
                TimedOut = e is Polly.Timeout.TimeoutRejectedException,
            };
        }

        if (answer.Status is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous)
        {
            var token = TryRead(answer.Body, SellingPartnerJsonContext.Default.LwaTokenResponse);
            if (token?.AccessToken is not { Length: > 0 } accessToken || token.ExpiresIn is not > 0)
            {
                throw new OrderSourceProtocolException(
                    "Login with Amazon answered without an access token and its lifetime.",
                    null, // the body would hold a token: never keep it
                    new OrderErrorContext(_sourceName, StatusCode: answer.Status, RequestId: answer.RequestId));
            }

            return new CachedToken(accessToken, requestedAt, TimeSpan.FromSeconds(token.ExpiresIn.Value));
        }

        var error = TryRead(answer.Body, SellingPartnerJsonContext.Default.LwaErrorResponse);
        var context = new OrderErrorContext(_sourceName, StatusCode: answer.Status, RequestId: answer.RequestId, ErrorCode: error?.Error);
        var what = error?.Error is { } code ? $"{code}: {error.ErrorDescription}" : $"HTTP {(int)answer.Status}";
        throw IsTransientStatus(answer.Status)
            ? new OrderSourceUnavailableException($"Login with Amazon could not refresh the access token ({what}).", context)
            : new OrderSourceAuthenticationException($"Login with Amazon refused the credentials ({what}). Check the client id, client secret and refresh token.", context);
    }

    private async Task<LwaAnswer> AttemptAsync(CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", _options.RefreshToken),
            new("client_id", _options.ClientId),
            new("client_secret", _options.ClientSecret),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.LwaEndpoint) { Content = form };
        var limits = new ExchangeLimits("Login with Amazon", _options.MaxResponseBytes, new OrderErrorContext(_sourceName), SellingPartnerDefaults.LwaRequestIdHeader)
        {
            Operation = SellingPartnerDefaults.LwaOperation,
            Clock = _timeProvider,
        };
        var (response, body) = await HttpExchange.SendAsync(_http.Next(), request, _attemptTimeout, limits, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return new LwaAnswer(response.StatusCode, body, HttpExchange.Header(response, SellingPartnerDefaults.LwaRequestIdHeader), HttpExchange.RetryAfter(response));
        }
    }

    private static bool IsTransient(Outcome<LwaAnswer> outcome, CancellationToken cancellationToken) =>
        outcome.Exception is { } exception
            ? HttpExchange.IsTransportFailure(exception) && !cancellationToken.IsCancellationRequested
            : IsTransientStatus(outcome.Result!.Status);

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

    // One answer of the token endpoint; the body may hold a token and never leaves this class.
    private sealed record LwaAnswer(HttpStatusCode Status, byte[] Body, string? RequestId, TimeSpan? RetryAfter);
}
