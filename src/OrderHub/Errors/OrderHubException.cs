using System.Net;

namespace OrderHub;

/// <summary>
/// The base of every error OrderHub raises. It carries where the error happened (source, order id) and what the
/// upstream said (HTTP status, error code, request id), and never a secret or personal data.
/// </summary>
public abstract class OrderHubException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OrderHubException"/> class.</summary>
    /// <param name="message">A message for people; it names what was expected where the input was wrong.</param>
    /// <param name="context">Where the error happened and what the upstream said.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected OrderHubException(string message, OrderErrorContext? context, Exception? innerException)
        : base(message, innerException)
    {
        context ??= OrderErrorContext.None;
        SourceName = context.SourceName;
        OrderId = context.OrderId;
        StatusCode = context.StatusCode;
        RequestId = context.RequestId;
        ErrorCode = context.ErrorCode;
    }

    /// <summary>Gets the name of the source the error came from, when known.</summary>
    public string? SourceName { get; }

    /// <summary>Gets the order id the call was for, when there was one.</summary>
    public string? OrderId { get; }

    /// <summary>Gets the upstream HTTP status, when a response was received.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the upstream request id (<c>x-amzn-RequestId</c>), for the provider's support.</summary>
    public string? RequestId { get; }

    /// <summary>Gets the upstream error code (for example <c>InvalidInput</c> or <c>ValidationException</c>).</summary>
    public string? ErrorCode { get; }

    /// <summary>
    /// Gets what kind of error this is, as a stable code that stores and scripts may keep (type names may change):
    /// <c>not_found</c>, <c>invalid_request</c>, <c>conflict</c>, <c>throttled</c>, <c>authentication</c>,
    /// <c>unavailable</c>, <c>protocol</c> or <c>page_token_expired</c>; <c>error</c> for any other.
    /// </summary>
    public virtual string ErrorKind => "error";
}

/// <summary>Where an error happened and what the upstream said; every member is optional.</summary>
/// <param name="SourceName">The source's name.</param>
/// <param name="OrderId">The order id the call was for.</param>
/// <param name="StatusCode">The upstream HTTP status.</param>
/// <param name="RequestId">The upstream request id.</param>
/// <param name="ErrorCode">The upstream error code.</param>
public sealed record OrderErrorContext(
    string? SourceName = null,
    string? OrderId = null,
    HttpStatusCode? StatusCode = null,
    string? RequestId = null,
    string? ErrorCode = null)
{
    /// <summary>Gets a context that knows nothing.</summary>
    public static OrderErrorContext None { get; } = new();
}
