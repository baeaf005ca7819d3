using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderHub.Aws;

namespace OrderHub.SellingPartner.Notifications;

/// <summary>
/// A Selling Partner source's <c>ORDER_CHANGE</c> notifications in an Amazon SQS standard queue, as an
/// <see cref="IOrderNotificationChannel"/>: long-polled with AWSSDK.SQS (SigV4, the SDK's retries), each message
/// received with its receive count and deleted when acknowledged. A message that is not an <c>ORDER_CHANGE</c>
/// notification is logged by its message id and left in the queue, for its redrive policy to move aside.
/// </summary>
public sealed partial class SqsOrderChangeQueue : IOrderNotificationChannel, IDisposable
{
    private static readonly string[] AuthenticationErrors =
        ["InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "ExpiredToken", "InvalidSecurity", "MissingAuthenticationToken", "IncompleteSignature"];

    private readonly AmazonSQSClient _client;
    private readonly string _queueUrl;
    private readonly int _waitSeconds;
    private readonly int _visibilitySeconds;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="SqsOrderChangeQueue"/> class.</summary>
    /// <param name="options">The source, the queue and its credentials.</param>
    /// <param name="logger">Where messages left in the queue are logged (by message id, never their content).</param>
    /// <exception cref="ArgumentException">The options break a rule; the message names the setting.</exception>
    public SqsOrderChangeQueue(SqsOrderChangeQueueOptions options, ILogger<SqsOrderChangeQueue>? logger = null)
        : this(options, logger, Environment.GetEnvironmentVariable)
    {
    }

    internal SqsOrderChangeQueue(SqsOrderChangeQueueOptions options, ILogger? logger, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Source))
        {
            throw new ArgumentException("Source must name the Selling Partner source whose notifications the queue receives.", nameof(options));
        }

        var queueUrl = options.QueueUrl is { IsAbsoluteUri: true, Scheme: "https" or "http" } url && QueuePath().IsMatch(url.AbsolutePath)
            ? url
            : throw new ArgumentException(
                $"QueueUrl must be an SQS queue's URL such as https://sqs.us-east-1.amazonaws.com/123456789012/sp-order-changes (the account id and the queue's name); got '{options.QueueUrl}'.",
                nameof(options));
        if (options.WaitTime < TimeSpan.Zero || options.WaitTime > TimeSpan.FromSeconds(20))
        {
            throw new ArgumentException("WaitTime must be between 0 and 20 seconds (SQS's long polling).", nameof(options));
        }

        if (options.VisibilityTimeout < TimeSpan.FromSeconds(1) || options.VisibilityTimeout > TimeSpan.FromHours(12))
        {
            throw new ArgumentException("VisibilityTimeout must be between 1 second and 12 hours.", nameof(options));
        }

        Source = options.Source;
        Address = queueUrl.GetLeftPart(UriPartial.Path);
        _queueUrl = Address;
        _waitSeconds = (int)options.WaitTime.TotalSeconds;
        _visibilitySeconds = (int)Math.Ceiling(options.VisibilityTimeout.TotalSeconds);
        _logger = logger ?? NullLogger.Instance;

        var region = Resolve(options.Region) ?? RegionOf(queueUrl) ?? Resolve(environment("AWS_REGION")) ?? Resolve(environment("AWS_DEFAULT_REGION"))
            ?? throw new ArgumentException(
                $"No AWS region is known for the queue of source '{options.Source}': set Region (for example us-east-1), AWS_REGION, or use the queue's sqs.REGION.amazonaws.com URL.",
                nameof(options));
        var config = new AmazonSQSConfig { AuthenticationRegion = region, Timeout = options.WaitTime + TimeSpan.FromSeconds(30) };
        var endpoint = options.Endpoint ?? EndpointFrom(environment, "AWS_ENDPOINT_URL_SQS") ?? EndpointFrom(environment, "AWS_ENDPOINT_URL")
            ?? (RegionOf(queueUrl) is null ? new Uri(queueUrl.GetLeftPart(UriPartial.Authority)) : null);
        if (endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = endpoint.GetLeftPart(UriPartial.Authority);
        }

        var usedFor = $"the notifications queue of source '{options.Source}'";
        var credentials = options.Credentials
            ?? (Resolve(options.Profile) is { } profile
                ? new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                    ? new ReportedAwsCredentials(fromProfile, usedFor, options.Source)
                    : throw new ArgumentException($"The AWS profile '{profile}' was not found or holds no credentials.", nameof(options))
                : new ReportedAwsCredentials(new DefaultChainAwsCredentials(), usedFor, options.Source));
        _client = new AmazonSQSClient(credentials, config);
    }

    /// <inheritdoc />
    public string Source { get; }

    /// <inheritdoc />
    public string Address { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrderNotice>> ReceiveAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var request = new ReceiveMessageRequest
        {
            QueueUrl = _queueUrl,
            MaxNumberOfMessages = Math.Min(maxCount, 10),
            WaitTimeSeconds = _waitSeconds,
            VisibilityTimeout = _visibilitySeconds,
            MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        };
        var response = await CallAsync("ReceiveMessage", () => _client.ReceiveMessageAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        var notices = new List<OrderNotice>();
        foreach (var message in response.Messages ?? [])
        {
            int? count = message.Attributes is { } attributes && attributes.TryGetValue("ApproximateReceiveCount", out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            if (OrderChangeNotifications.TryRead(message.Body ?? string.Empty, message.ReceiptHandle, count, out var notice, out var problem))
            {
                notices.Add(notice!);
            }
            else
            {
                LogUnreadable(_logger, Source, message.MessageId, problem!, count);
            }
        }

        return notices;
    }

    /// <inheritdoc />
    public Task AcknowledgeAsync(OrderNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return CallAsync("DeleteMessage", () => _client.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = _queueUrl, ReceiptHandle = notice.Receipt }, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>Returns the source and the queue.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"SqsOrderChangeQueue {{ Source = {Source}, Queue = {Address} }}";

    // The SDK's exceptions become OrderHub's: a refused credential ends the consumer, an unknown queue is a setting to
    // fix, anything else (a 5xx, a throttle, the network) passes and is tried again.
    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OrderHubException)
        {
            throw;
        }
        catch (AmazonServiceException e)
        {
            var context = new OrderErrorContext(Source, StatusCode: e.StatusCode, RequestId: e.RequestId, ErrorCode: e.ErrorCode);
            if (e is QueueDoesNotExistException || e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist")
            {
                throw new InvalidOrderRequestException($"The queue {Address} does not exist (SQS {operation}: {e.ErrorCode}). Check the queue URL, and its region and account.", context, e);
            }

            if (AuthenticationErrors.Contains(e.ErrorCode, StringComparer.Ordinal) || e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new OrderSourceAuthenticationException(
                    $"SQS refused the credentials reading {Address} ({operation}: {e.ErrorCode}). The reader needs sqs:ReceiveMessage and sqs:DeleteMessage on the queue.",
                    context,
                    e);
            }

            throw new OrderSourceUnavailableException($"SQS could not be reached for {Address} ({operation}: {e.ErrorCode ?? ((int)e.StatusCode).ToString(CultureInfo.InvariantCulture)}).", context, e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or TaskCanceledException)
        {
            throw new OrderSourceUnavailableException($"SQS could not be reached for {Address} ({operation}: {FirstLine(e.Message)}).", new OrderErrorContext(Source), e);
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim().TrimEnd('.');

    private static string? Resolve(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? RegionOf(Uri queueUrl) => SqsHost().Match(queueUrl.Host) is { Success: true } match ? match.Groups[1].Value : null;

    private static Uri? EndpointFrom(Func<string, string?> environment, string variable) =>
        Resolve(environment(variable)) is not { } value ? null
        : Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url
        : throw new ArgumentException($"{variable} must be an absolute http or https URL such as https://sqs.us-east-1.amazonaws.com; got '{value}'.", "options");

    [GeneratedRegex(@"^/[0-9]{12}/[A-Za-z0-9_-]{1,80}(\.fifo)?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex QueuePath();

    [GeneratedRegex(@"^sqs\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\.amazonaws\.com(?:\.cn)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SqsHost();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: SQS message {MessageId} is not an ORDER_CHANGE notification OrderHub can read ({Problem}); it stays in the queue for its redrive policy (delivery {Delivery}).")]
    private static partial void LogUnreadable(ILogger logger, string source, string messageId, string problem, int? delivery);
}
