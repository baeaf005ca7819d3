using System.Net;
using System.Text.Json;
using OrderHub.Outposts.Wire;

namespace OrderHub.Outposts.Http;

/// <summary>AWS rest-json error parsing and the mapping of Outposts (and AWS-wide) error codes to OrderHub's exceptions.</summary>
internal static class OutpostsErrors
{
    // The AWS SDKs' throttling codes: each proves the request was not processed.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    private static readonly HashSet<string> AuthenticationCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
        "IncompleteSignature", "MissingAuthenticationToken", "MissingAuthenticationTokenException", "ExpiredToken",
        "ExpiredTokenException", "InvalidClientTokenId", "AuthFailure", "RequestExpired",
    };

    /// <summary>Whether a response is the service saying "slow down": retried, even for CreateOrder.</summary>
    public static bool IsThrottling(OutpostsResponse response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests || (response.ErrorType is { } type && ThrottlingCodes.Contains(type));

    /// <summary>Whether a response is a transient server failure the standard retry mode retries.</summary>
    public static bool IsTransient(OutpostsResponse response) =>
        response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || response.ErrorType is "RequestTimeout" or "RequestTimeoutException";

    /// <summary>
    /// The error type as the AWS SDKs read it for rest-json: the <c>x-amzn-ErrorType</c> header, else <c>__type</c> or
    /// <c>code</c> in the body; what precedes a <c>#</c> and what follows a <c>:</c> is cut off.
    /// </summary>
    public static string? ParseErrorType(string? header, byte[] body)
    {
        var raw = header;
        if (string.IsNullOrEmpty(raw) && TryReadBody(body) is { } parsed)
        {
            raw = parsed.Type ?? parsed.Code;
        }

        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var colon = raw.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            raw = raw[..colon];
        }

        var hash = raw.LastIndexOf('#');
        return (hash >= 0 ? raw[(hash + 1)..] : raw).Trim();
    }

    public static OrderHubException ToException(OutpostsResponse response, OrderErrorContext context, string operation)
    {
        var body = TryReadBody(response.Body);
        var message = body?.Message ?? body?.LowerMessage;
        context = context with { StatusCode = response.StatusCode, RequestId = response.RequestId, ErrorCode = response.ErrorType };
        var subject = context.OrderId is null ? operation : $"{operation} for {context.OrderId}";
        var detail = $"{response.ErrorType ?? "HTTP " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}{(message is null ? string.Empty : ": " + message)}";

        if (IsThrottling(response))
        {
            return new OrderSourceThrottledException($"AWS Outposts throttled {subject} ({detail}).", response.RetryAfter, context);
        }

        if (response.ErrorType is { } type && AuthenticationCodes.Contains(type))
        {
            return new OrderSourceAuthenticationException($"AWS Outposts denied {subject} ({detail}).", context);
        }

        return (response.ErrorType, response.StatusCode) switch
        {
            ("ValidationException", _) or ("ServiceQuotaExceededException", _) or (_, HttpStatusCode.BadRequest) or (_, HttpStatusCode.PaymentRequired) =>
                new InvalidOrderRequestException($"AWS Outposts rejected {subject} ({detail}).", context),
            ("NotFoundException", _) or (_, HttpStatusCode.NotFound) => new OrderNotFoundException($"AWS Outposts found nothing for {subject} ({detail}).", context),
            ("ConflictException", _) or (_, HttpStatusCode.Conflict) => new OrderConflictException($"AWS Outposts refused {subject} as a conflict ({detail}).", context)
            {
                ResourceId = body?.ResourceId,
                ResourceType = body?.ResourceType,
            },
            (_, HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) => new OrderSourceAuthenticationException($"AWS Outposts denied {subject} ({detail}).", context),
            (_, >= HttpStatusCode.InternalServerError) => new OrderSourceUnavailableException($"AWS Outposts failed {subject} ({detail}).", context),
            (_, >= HttpStatusCode.BadRequest) => new InvalidOrderRequestException($"AWS Outposts rejected {subject} ({detail}).", context),
            _ => new OrderSourceProtocolException($"AWS Outposts answered {subject} with an unexpected HTTP {(int)response.StatusCode}.", response.Excerpt(), context),
        };
    }

    public static OrderSourceProtocolException Malformed(OutpostsResponse response, OrderErrorContext context, string what, Exception? inner = null) =>
        new($"The AWS Outposts response could not be understood: {what}.", response.Excerpt(), context with { StatusCode = response.StatusCode, RequestId = response.RequestId }, inner);

    private static AwsErrorBody? TryReadBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, OutpostsJsonContext.Default.AwsErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
