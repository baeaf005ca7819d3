using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Diagnostics;
using OrderHub.Http;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;
using Refit;

namespace OrderHub.SellingPartner.Auth;

/// <summary>
/// Login with Amazon's refresh-token grant, through Refit (<see cref="ILoginWithAmazonApi"/>) over a resilience
/// pipeline of its own: the call budget (<see cref="UpstreamClientOptions.CallTimeout"/>) around retries of
/// a 5xx, a 429 or a transport failure (backoff and jitter) around the attempt timeout. The access token is cached and
/// refreshed ahead of the expiry the endpoint returns (<c>expires_in</c>); however many callers wait, one refresh is in
/// flight. A refresh spends no rate-limit permit.
/// </summary>
internal sealed class LwaAccessTokenSource : IAccessTokenSource, IDisposable
{
    private readonly HttpClient _http;
    private readonly ILoginWithAmazonApi _api;
    private readonly SellingPartnerOrderSourceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly string _sourceName;
    private readonly CachedTokenSlot _slot;

    public LwaAccessTokenSource(UpstreamClient upstream, SellingPartnerOrderSourceOptions options, TimeProvider timeProvider)
    {
        _options = options;
        _timeProvider = timeProvider;
        _sourceName = options.SourceName;
        var chain = new ResilienceHandler(BuildPipeline(options, timeProvider))
        {
            InnerHandler = new UpstreamGuardHandler { InnerHandler = upstream.AsInnermostHandler() },
        };
        _http = new HttpClient(chain) { BaseAddress = options.LwaEndpoint, Timeout = Timeout.InfiniteTimeSpan };
        _api = RestService.For<ILoginWithAmazonApi>(_http);
        _slot = new CachedTokenSlot(timeProvider, RequestTokenAsync);
    }

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => _slot.GetAsync(cancellationToken);

    public void Invalidate(string rejectedToken) => _slot.Invalidate(rejectedToken);

    public void Dispose() => _http.Dispose();

    // A token refresh is a call of its own in the traces; the token itself never goes there.
    private Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken) =>
        OrderHubTelemetry.TraceCallAsync(_sourceName, SellingPartnerDefaults.LwaOperation, () => RefreshAsync(cancellationToken), _ => (HttpStatusCode.OK, (string?)null));

    private async Task<CachedToken> RefreshAsync(CancellationToken cancellationToken)
    {
        var requestedAt = _timeProvider.GetUtcNow();
        var call = new UpstreamCall
        {
            Upstream = "Login with Amazon",
            Operation = SellingPartnerDefaults.LwaOperation,
            Context = new OrderErrorContext(_sourceName),
            RequestIdHeader = SellingPartnerDefaults.LwaRequestIdHeader,
            MaxResponseBytes = _options.MaxResponseBytes,
            Budget = new CallBudget(_options.CallTimeout, _timeProvider),
            Clock = _timeProvider,
        };
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = _options.RefreshToken,
            ["client_id"] = _options.ClientId,
            ["client_secret"] = _options.ClientSecret,
        };

        HttpStatusCode status;
        byte[] body;
        string? requestId;
        try
        {
            using var response = await _api.RefreshAccessTokenAsync(form, call, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            body = UpstreamGuardHandler.BodyOf(response);
            requestId = UpstreamHttp.Header(response, SellingPartnerDefaults.LwaRequestIdHeader);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && UpstreamHttp.Unwrap(e) is var cause && (cause is OrderHubException || UpstreamHttp.IsTransportFailure(cause)))
        {
            throw cause as OrderHubException ?? new OrderSourceUnavailableException("Login with Amazon could not be reached (or did not answer in time) to refresh the access token.", call.Context, cause)
            {
                TimedOut = cause is TimeoutRejectedException,
            };
        }

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

    private static ResiliencePipeline<HttpResponseMessage> BuildPipeline(SellingPartnerOrderSourceOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            TimeProvider = timeProvider,
            Name = "OrderHub.LoginWithAmazon",
            InstanceName = options.SourceName,
        };
        builder.AddTimeout(options.CallTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } exception
                    ? UpstreamHttp.IsTransportFailure(exception) && !args.Context.CancellationToken.IsCancellationRequested
                    : IsTransientStatus(args.Outcome.Result!.StatusCode)),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result is { } answer ? UpstreamHttp.RetryAfter(answer) : null),
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
        builder.ConfigureTelemetry(new TelemetryOptions { LoggerFactory = NullLoggerFactory.Instance });
        return builder.Build();
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
