using Amazon.Runtime;

namespace OrderHub.SellingPartner.Notifications;

/// <summary>Where a Selling Partner source's <c>ORDER_CHANGE</c> notifications arrive: an Amazon SQS standard queue, and who reads it.</summary>
public sealed class SqsOrderChangeQueueOptions
{
    /// <summary>Gets or sets the name of the Selling Partner source whose orders the notifications are about.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets the queue's URL, for example <c>https://sqs.us-east-1.amazonaws.com/123456789012/sp-order-changes</c>.</summary>
    public Uri? QueueUrl { get; set; }

    /// <summary>
    /// Gets or sets the region the requests are signed for. Unset: the region in an <c>sqs.REGION.amazonaws.com</c> queue
    /// URL, else <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// Gets or sets where SQS requests go. Unset: <c>AWS_ENDPOINT_URL_SQS</c>, else <c>AWS_ENDPOINT_URL</c>, else the
    /// region's SQS host for an <c>amazonaws.com</c> queue URL, else the queue URL's own scheme, host and port. The
    /// credentials go to this host only.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets the AWS profile whose credentials read the queue; unset for the SDK's default chain (environment, profile, web identity, container, instance).</summary>
    public string? Profile { get; set; }

    /// <summary>Gets or sets credentials to use as they are, ahead of <see cref="Profile"/> and the chain.</summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>Gets or sets how long a receive waits for messages (SQS long polling): 20 s, the longest SQS allows.</summary>
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Gets or sets how long a received message stays invisible to other receivers before it is delivered again unless
    /// deleted: 5 minutes, room for its order's read to wait for a permit in a burst.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Returns the source and the queue, never a credential.</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() => $"SqsOrderChangeQueueOptions {{ Source = {Source}, QueueUrl = {QueueUrl} }}";
}
