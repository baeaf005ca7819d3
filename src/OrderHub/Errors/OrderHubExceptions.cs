namespace OrderHub;

/// <summary>The order does not exist at the source (or is not visible to these credentials).</summary>
public sealed class OrderNotFoundException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="OrderNotFoundException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderNotFoundException(string message, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorKind => "not_found";
}

/// <summary>
/// The source's rate limit was reached: either the upstream answered 429 or its equivalent, or the caller chose to
/// fail fast rather than wait for a permit. <see cref="RetryAfter"/> says when to try again.
/// </summary>
public sealed class OrderSourceThrottledException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="OrderSourceThrottledException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="retryAfter">How long to wait before trying again, when known.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderSourceThrottledException(string message, TimeSpan? retryAfter, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <inheritdoc />
    public override string ErrorKind => "throttled";

    /// <summary>Gets how long to wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>The credentials were missing, wrong, expired, or not allowed to do this.</summary>
public sealed class OrderSourceAuthenticationException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="OrderSourceAuthenticationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderSourceAuthenticationException(string message, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorKind => "authentication";
}

/// <summary>
/// The request was wrong: an invalid id or argument (rejected before any request, with a message naming the expected
/// format), or a request the upstream refused as invalid. Retrying the same request will not help.
/// </summary>
public class InvalidOrderRequestException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidOrderRequestException"/> class.</summary>
    /// <param name="message">The message; it names what was expected.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public InvalidOrderRequestException(string message, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorKind => "invalid_request";

    /// <summary>Gets the name of the argument that was wrong, when the error was found before any request.</summary>
    public string? ParameterName { get; init; }
}

/// <summary>The request conflicts with the resource's current state (for example cancelling a completed order).</summary>
public sealed class OrderConflictException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="OrderConflictException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderConflictException(string message, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorKind => "conflict";

    /// <summary>Gets the id of the resource in conflict, when the upstream named it.</summary>
    public string? ResourceId { get; init; }

    /// <summary>Gets the type of the resource in conflict (for example <c>ORDER</c> or <c>OUTPOST</c>).</summary>
    public string? ResourceType { get; init; }
}

/// <summary>The source failed or could not be reached (5xx, timeouts, dropped connections) after the retries allowed.</summary>
public sealed class OrderSourceUnavailableException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="OrderSourceUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderSourceUnavailableException(string message, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorKind => "unavailable";

    /// <summary>Gets a value indicating whether the source did not answer in time (rather than failing or refusing the connection).</summary>
    public bool TimedOut { get; init; }
}

/// <summary>
/// The source answered with something that cannot be understood: not JSON, cut short, or missing what the API
/// promises. <see cref="ResponseExcerpt"/> holds the first bytes of the body for diagnosis; it is kept out of
/// <see cref="Exception.Message"/> because a body may hold personal data.
/// </summary>
public sealed class OrderSourceProtocolException : OrderHubException
{
    /// <summary>The most characters of the body kept in <see cref="ResponseExcerpt"/>.</summary>
    public const int MaxExcerptLength = 256;

    /// <summary>Initializes a new instance of the <see cref="OrderSourceProtocolException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="responseExcerpt">The start of the response body.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderSourceProtocolException(string message, string? responseExcerpt, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
        ResponseExcerpt = responseExcerpt is { Length: > MaxExcerptLength } ? responseExcerpt[..MaxExcerptLength] : responseExcerpt;
    }

    /// <inheritdoc />
    public override string ErrorKind => "protocol";

    /// <summary>Decodes the start of a response body as UTF-8, at most <see cref="MaxExcerptLength"/> bytes, for <see cref="ResponseExcerpt"/>.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The excerpt.</returns>
    public static string ExcerptOf(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxExcerptLength));
    }

    /// <summary>Gets the first characters of the response body, at most <see cref="MaxExcerptLength"/>.</summary>
    public string? ResponseExcerpt { get; }
}

/// <summary>
/// A page token of an <see cref="IOrderChangeFeed"/> query is no longer honoured (the Selling Partner API keeps them
/// 24 hours). The pages already read stay good: read the same window again from its first page.
/// </summary>
public sealed class OrderPageTokenExpiredException : OrderHubException
{
    /// <summary>Initializes a new instance of the <see cref="OrderPageTokenExpiredException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public OrderPageTokenExpiredException(string message, OrderErrorContext? context = null, Exception? innerException = null)
        : base(message, context, innerException)
    {
    }

    /// <inheritdoc />
    public override string ErrorKind => "page_token_expired";
}
