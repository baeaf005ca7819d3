using System.Globalization;
using System.Text.Json.Nodes;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.Sts;

namespace OrderHub.Emulator.Sqs;

/// <summary>
/// What the emulator's SQS holds: queues of one account and region, their attributes, and their messages, each
/// visible, delayed or in flight under a visibility timeout on the emulator's clock. Messages a queue's redrive policy
/// gives up on move to its dead-letter queue; messages older than the retention period are dropped. Publicly, what a
/// test reads or provokes: how many messages a queue holds, an outage, deletes refused.
/// </summary>
public sealed class SqsEmulatorState
{
    /// <summary>How long SQS refuses a queue's name after the queue is deleted, and a second purge after a purge.</summary>
    internal static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SqsQueue> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deleted = new(StringComparer.Ordinal);
    private long _sequence;
    private int _requests;
    private volatile bool _unavailable;
    private volatile bool _deletesRefused;

    /// <summary>Initializes a new instance of the <see cref="SqsEmulatorState"/> class.</summary>
    /// <param name="options">The emulator's options: the account, region and keys.</param>
    /// <param name="sts">The STS state, whose temporary credentials SQS accepts beside the long-term key.</param>
    internal SqsEmulatorState(EmulatorOptions options, StsEmulatorState sts)
    {
        Options = options;
        Sts = sts;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the emulator's options.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>
    /// Gets or sets whether SQS is out of service: while set, every request is answered 503 <c>ServiceUnavailable</c>,
    /// and nothing is sent to a queue. The default is <see langword="false"/>.
    /// </summary>
    public bool Unavailable
    {
        get => _unavailable;
        set => _unavailable = value;
    }

    /// <summary>
    /// Gets or sets whether <c>DeleteMessage</c> fails (500 <c>InternalError</c>, the message left in flight), as when a
    /// consumer dies between its work and its delete. The default is <see langword="false"/>.
    /// </summary>
    public bool DeletesRefused
    {
        get => _deletesRefused;
        set => _deletesRefused = value;
    }

    /// <summary>Gets how many SQS requests arrived, signed correctly or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the STS state, for the keys requests may be signed with.</summary>
    internal StsEmulatorState Sts { get; }

    /// <summary>Gets the clock of visibility timeouts, delays, long polls and retention.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>Gets every message a queue holds: visible, delayed or in flight; 0 when there is no such queue.</summary>
    /// <param name="queueName">The queue's name.</param>
    /// <returns>The count.</returns>
    public int MessageCount(string queueName)
    {
        lock (_lock)
        {
            if (!_queues.TryGetValue(queueName, out var queue))
            {
                return 0;
            }

            Expire(queue, TimeProvider.GetUtcNow());
            return queue.Messages.Count;
        }
    }

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>The ARN of a queue of this emulator's account and region.</summary>
    internal string ArnOf(string name) => $"arn:aws:sqs:{Options.AwsRegion}:{Options.AwsAccountId}:{name}";

    /// <summary>Finds a queue by its ARN, for the Notifications API's destinations.</summary>
    internal SqsQueueFacts? FindByArn(string arn)
    {
        lock (_lock)
        {
            var queue = _queues.Values.FirstOrDefault(q => q.Arn == arn);
            return queue is null ? null : new SqsQueueFacts(queue.Name, queue.Arn, queue.Fifo, queue.Attributes.GetValueOrDefault("Policy"));
        }
    }

    /// <summary>Sends a message as another AWS service does (Amazon's notifications): the message id, or <see langword="null"/> when the queue is gone or SQS is out of service.</summary>
    internal string? Send(string arn, string body, TimeSpan delay)
    {
        if (_unavailable)
        {
            return null;
        }

        lock (_lock)
        {
            var queue = _queues.Values.FirstOrDefault(q => q.Arn == arn);
            return queue is null ? null : Enqueue(queue, body, null, delay, TimeProvider.GetUtcNow()).MessageId;
        }
    }

    internal SqsQueue? Find(string name)
    {
        lock (_lock)
        {
            return _queues.GetValueOrDefault(name);
        }
    }

    internal IReadOnlyList<string> Names(string prefix)
    {
        lock (_lock)
        {
            return [.. _queues.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Creates a queue; returns it, or why not: a queue of that name with other attributes, or one deleted under a minute ago.</summary>
    internal (SqsQueue? Queue, string? Conflict) Create(string name, bool fifo, IReadOnlyDictionary<string, string> attributes)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_queues.TryGetValue(name, out var existing))
            {
                // CreateQueue is idempotent for the same attributes; any one set otherwise is a conflict.
                return attributes.All(a => existing.Attributes.GetValueOrDefault(a.Key) == a.Value) ? (existing, null) : (null, "QueueNameExists");
            }

            if (_deleted.TryGetValue(name, out var deletedAt) && now - deletedAt < Cooldown)
            {
                return (null, "QueueDeletedRecently");
            }

            var queue = new SqsQueue(name, ArnOf(name), fifo, now);
            foreach (var (key, value) in attributes)
            {
                queue.Attributes[key] = value;
            }

            _queues[name] = queue;
            return (queue, null);
        }
    }

    internal void SetAttributes(SqsQueue queue, IReadOnlyDictionary<string, string> attributes)
    {
        lock (_lock)
        {
            foreach (var (key, value) in attributes)
            {
                if (value.Length == 0 && key is "Policy" or "RedrivePolicy" or "RedriveAllowPolicy")
                {
                    queue.Attributes.Remove(key);
                }
                else
                {
                    queue.Attributes[key] = value;
                }
            }

            queue.LastModified = TimeProvider.GetUtcNow();
            queue.Pulse();
        }
    }

    internal bool Delete(SqsQueue queue)
    {
        lock (_lock)
        {
            if (!_queues.Remove(queue.Name))
            {
                return false;
            }

            _deleted[queue.Name] = TimeProvider.GetUtcNow();
            queue.Pulse();
            return true;
        }
    }

    /// <summary>Empties a queue; <see langword="false"/> when it was purged under a minute ago.</summary>
    internal bool Purge(SqsQueue queue)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (queue.PurgedAt is { } purged && now - purged < Cooldown)
            {
                return false;
            }

            queue.PurgedAt = now;
            queue.Messages.Clear();
            return true;
        }
    }

    /// <summary>A snapshot of a queue's attributes, the computed ones (counts, timestamps, ARN) included.</summary>
    internal Dictionary<string, string> AttributesOf(SqsQueue queue)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            Expire(queue, now);
            var attributes = new Dictionary<string, string>(queue.Attributes, StringComparer.Ordinal)
            {
                ["QueueArn"] = queue.Arn,
                ["CreatedTimestamp"] = queue.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["LastModifiedTimestamp"] = queue.LastModified.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                ["ApproximateNumberOfMessages"] = Count(queue.Messages.Count(m => m.VisibleAt <= now)),
                ["ApproximateNumberOfMessagesNotVisible"] = Count(queue.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount > 0)),
                ["ApproximateNumberOfMessagesDelayed"] = Count(queue.Messages.Count(m => m.VisibleAt > now && m.ReceiveCount == 0)),
                ["SqsManagedSseEnabled"] = queue.Attributes.GetValueOrDefault("SqsManagedSseEnabled", "true"),
            };
            return attributes;
        }

        static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
    }

    internal SqsMessage Enqueue(SqsQueue queue, string body, JsonObject? attributes, TimeSpan? delay, DateTimeOffset now)
    {
        lock (_lock)
        {
            delay ??= TimeSpan.FromSeconds(queue.IntAttribute("DelaySeconds", 0));
            var message = new SqsMessage(Guid.NewGuid().ToString(), body, attributes, now, Interlocked.Increment(ref _sequence)) { VisibleAt = now + delay.Value };
            queue.Messages.Add(message);
            queue.Pulse();
            return message;
        }
    }

    /// <summary>
    /// Receives up to <paramref name="max"/> visible messages, each made invisible for the visibility timeout and given a
    /// new receipt handle; when none is visible, waits up to <paramref name="wait"/> for one (a long poll) on the emulator's clock.
    /// </summary>
    internal async Task<IReadOnlyList<(SqsMessage Message, string Receipt)>> ReceiveAsync(SqsQueue queue, int max, TimeSpan visibility, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.GetUtcNow() + wait;
        while (true)
        {
            Task changed;
            TimeSpan nap;
            lock (_lock)
            {
                var now = TimeProvider.GetUtcNow();
                var taken = Take(queue, max, visibility, now);
                if (taken.Count > 0 || now >= deadline || !_queues.ContainsKey(queue.Name))
                {
                    return taken;
                }

                // Wake for a new message, a change, the next delayed or in-flight message coming due, or the deadline.
                changed = queue.Changed;
                var nextDue = queue.Messages.Where(m => m.VisibleAt > now).Select(m => m.VisibleAt).DefaultIfEmpty(deadline).Min();
                nap = (nextDue < deadline ? nextDue : deadline) - now;
            }

            // The nap's timer is dropped as soon as the queue changes, rather than left to fire.
            using (var napping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(changed, Task.Delay(nap, TimeProvider, napping.Token)).ConfigureAwait(false);
                await napping.CancelAsync().ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Deletes a message by its receipt handle: true when deleted, false for a handle of an earlier receive (accepted, nothing deleted, as SQS does), null for a handle never issued.</summary>
    internal bool? DeleteMessage(SqsQueue queue, string receipt)
    {
        lock (_lock)
        {
            if (!SqsReceipt.TryParse(receipt, queue.Name, out var sequence))
            {
                return null;
            }

            var message = queue.Messages.FirstOrDefault(m => m.Sequence == sequence);
            if (message is null || message.Receipt != receipt)
            {
                return false;
            }

            queue.Messages.Remove(message);
            return true;
        }
    }

    /// <summary>Changes an in-flight message's visibility timeout: null for a handle never issued, false when the message is not in flight.</summary>
    internal bool? ChangeVisibility(SqsQueue queue, string receipt, TimeSpan timeout)
    {
        var now = TimeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!SqsReceipt.TryParse(receipt, queue.Name, out var sequence))
            {
                return null;
            }

            var message = queue.Messages.FirstOrDefault(m => m.Sequence == sequence);
            if (message is null || message.Receipt != receipt || message.VisibleAt <= now)
            {
                return false;
            }

            message.VisibleAt = now + timeout;
            queue.Pulse();
            return true;
        }
    }

    private List<(SqsMessage Message, string Receipt)> Take(SqsQueue queue, int max, TimeSpan visibility, DateTimeOffset now)
    {
        Expire(queue, now);
        var redrive = queue.Redrive();
        var taken = new List<(SqsMessage, string)>();
        foreach (var message in queue.Messages.Where(m => m.VisibleAt <= now).OrderBy(m => m.Sequence).ToList())
        {
            if (taken.Count == max)
            {
                break;
            }

            // A message received maxReceiveCount times and not deleted moves to the dead-letter queue instead of a further delivery.
            if (redrive is { } policy && message.ReceiveCount >= policy.MaxReceiveCount
                && _queues.Values.FirstOrDefault(q => q.Arn == policy.DeadLetterTargetArn) is { } deadLetters)
            {
                queue.Messages.Remove(message);
                deadLetters.Messages.Add(message.MovedTo(queue.Arn, Interlocked.Increment(ref _sequence), now));
                deadLetters.Pulse();
                continue;
            }

            message.ReceiveCount++;
            message.FirstReceivedAt ??= now;
            message.VisibleAt = now + visibility;
            message.Receipt = SqsReceipt.Issue(queue.Name, message.Sequence);
            taken.Add((message, message.Receipt));
        }

        return taken;
    }

    // Messages past the queue's retention period are gone.
    private static void Expire(SqsQueue queue, DateTimeOffset now)
    {
        var retention = TimeSpan.FromSeconds(queue.IntAttribute("MessageRetentionPeriod", 345_600));
        queue.Messages.RemoveAll(m => now - m.SentAt >= retention);
    }
}

/// <summary>What the Notifications API needs to know of a queue.</summary>
internal sealed record SqsQueueFacts(string Name, string Arn, bool Fifo, string? Policy);

/// <summary>A queue: its set attributes and its messages, guarded by the state's lock.</summary>
internal sealed class SqsQueue(string name, string arn, bool fifo, DateTimeOffset created)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public bool Fifo { get; } = fifo;

    public DateTimeOffset Created { get; } = created;

    public DateTimeOffset LastModified { get; set; } = created;

    public DateTimeOffset? PurgedAt { get; set; }

    /// <summary>The attributes set on the queue (its defaults are not stored: they are read through <see cref="IntAttribute"/>).</summary>
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    public List<SqsMessage> Messages { get; } = [];

    /// <summary>Completes when the queue next changes (a message, a visibility change, its deletion).</summary>
    public Task Changed => _changed.Task;

    public void Pulse() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public int IntAttribute(string name, int fallback) =>
        Attributes.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public (string DeadLetterTargetArn, int MaxReceiveCount)? Redrive()
    {
        if (!Attributes.TryGetValue("RedrivePolicy", out var text))
        {
            return null;
        }

        var policy = JsonNode.Parse(text)!;
        var count = policy["maxReceiveCount"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : int.Parse(policy["maxReceiveCount"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        return (policy["deadLetterTargetArn"]!.GetValue<string>(), count);
    }
}

/// <summary>A message in a queue, guarded by the state's lock.</summary>
internal sealed class SqsMessage(string messageId, string body, JsonObject? attributes, DateTimeOffset sentAt, long sequence)
{
    public string MessageId { get; } = messageId;

    public string Body { get; } = body;

    /// <summary>The message attributes as sent (name to <c>{DataType, StringValue | BinaryValue}</c>).</summary>
    public JsonObject? MessageAttributes { get; } = attributes;

    public DateTimeOffset SentAt { get; } = sentAt;

    public long Sequence { get; } = sequence;

    public DateTimeOffset VisibleAt { get; set; }

    public int ReceiveCount { get; set; }

    public DateTimeOffset? FirstReceivedAt { get; set; }

    /// <summary>The receipt handle of the latest receive: only it deletes the message.</summary>
    public string? Receipt { get; set; }

    /// <summary>The queue a dead-letter queue's message came from.</summary>
    public string? SourceArn { get; private init; }

    public SqsMessage MovedTo(string sourceArn, long sequence, DateTimeOffset now) =>
        new(MessageId, Body, MessageAttributes, SentAt, sequence) { VisibleAt = now, SourceArn = sourceArn };
}

/// <summary>Receipt handles: opaque to clients, each naming its queue, its message and a receive of its own.</summary>
internal static class SqsReceipt
{
    public static string Issue(string queue, long sequence) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{queue}\n{sequence}\n{Guid.NewGuid():N}")));

    public static bool TryParse(string receipt, string queue, out long sequence)
    {
        sequence = 0;
        var bytes = new byte[receipt.Length];
        if (!Convert.TryFromBase64String(receipt, bytes, out var written))
        {
            return false;
        }

        var parts = System.Text.Encoding.UTF8.GetString(bytes, 0, written).Split('\n');
        return parts.Length == 3 && parts[0] == queue && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
