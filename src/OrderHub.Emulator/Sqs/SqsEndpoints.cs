using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.Emulator.Aws;

namespace OrderHub.Emulator.Sqs;

/// <summary>
/// Amazon SQS's AWS JSON 1.0 protocol, as the emulator answers it: a <c>POST</c> on any path whose
/// <c>X-Amz-Target</c> is <c>AmazonSQS.&lt;operation&gt;</c>, signed with SigV4 for <c>sqs</c> by the long-term key or
/// the credentials the emulator's STS issued; and the older query protocol (<see cref="SqsQueryProtocol"/>). Input is
/// validated against botocore's SQS model; JSON errors carry the shape name in <c>__type</c> and the query protocol's
/// code in <c>x-amzn-query-error</c>, which the SDKs read. Queue URLs are <c>{the request's origin}/{account}/{name}</c>.
/// </summary>
internal static partial class SqsEndpoints
{
    private const string TargetPrefix = "AmazonSQS.";
    private const string ContentType = "application/x-amz-json-1.0";
    private const int MaxAttributes = 10;

    /// <summary>The attributes a queue may be created or set with, beside the FIFO ones.</summary>
    private static readonly HashSet<string> SettableAttributes = new(StringComparer.Ordinal)
    {
        "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy", "ReceiveMessageWaitTimeSeconds",
        "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
        "SqsManagedSseEnabled", "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
    };

    /// <summary>Each integer attribute's valid range, as documented.</summary>
    private static readonly Dictionary<string, (int Min, int Max)> IntegerAttributes = new(StringComparer.Ordinal)
    {
        ["DelaySeconds"] = (0, 900),
        ["MaximumMessageSize"] = (1024, 1_048_576),
        ["MessageRetentionPeriod"] = (60, 1_209_600),
        ["ReceiveMessageWaitTimeSeconds"] = (0, 20),
        ["VisibilityTimeout"] = (0, 43_200),
        ["KmsDataKeyReusePeriodSeconds"] = (60, 86_400),
    };

    private static readonly string[] ReadableAttributes =
    [
        "Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
        "ApproximateNumberOfMessagesDelayed", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue",
        "ContentBasedDeduplication", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "DeduplicationScope",
        "FifoThroughputLimit", "RedriveAllowPolicy", "SqsManagedSseEnabled",
    ];

    /// <summary>The defaults a queue reports for the attributes it was not given.</summary>
    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["VisibilityTimeout"] = "30",
        ["MaximumMessageSize"] = "1048576",
        ["MessageRetentionPeriod"] = "345600",
        ["DelaySeconds"] = "0",
        ["ReceiveMessageWaitTimeSeconds"] = "0",
    };

    /// <summary>The operations the emulator serves, by name.</summary>
    internal static readonly HashSet<string> Operations = new(StringComparer.Ordinal)
    {
        "CreateQueue", "GetQueueUrl", "GetQueueAttributes", "SetQueueAttributes", "ListQueues", "DeleteQueue", "PurgeQueue",
        "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
    };

    /// <summary>
    /// Answers SQS requests ahead of the routes, which share <c>POST /</c> with STS: AWS JSON 1.0 by its
    /// <c>X-Amz-Target</c>, and the older query protocol (a form whose <c>Action</c> is an SQS operation), which SDKs
    /// released before SQS took JSON still speak.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="state">The SQS state.</param>
    public static void Map(IApplicationBuilder app, SqsEmulatorState state) => app.Use(async (HttpContext http, RequestDelegate next) =>
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await next(http);
            return;
        }

        var target = http.Request.Headers["X-Amz-Target"].ToString();
        if (target.StartsWith(TargetPrefix, StringComparison.Ordinal))
        {
            await HandleAsync(http, state, target[TargetPrefix.Length..], await BodyAsync(http), query: null);
            return;
        }

        if (http.Request.HasFormContentType)
        {
            // The form is read here and rewound for the routes when it is not SQS's.
            http.Request.EnableBuffering();
            var body = await BodyAsync(http);
            var form = SqsQueryProtocol.Parse(body);
            if (form.TryGetValue("Action", out var action) && Operations.Contains(action))
            {
                await HandleAsync(http, state, action, body, form);
                return;
            }

            http.Request.Body.Position = 0;
        }

        await next(http);
    });

    private static async Task<byte[]> BodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.ToArray();
    }

    // One set of operations for both protocols: a query request's parameters become the JSON input its operation's
    // shape describes, and the JSON reply becomes the query protocol's XML.
    private static async Task HandleAsync(HttpContext http, SqsEmulatorState state, string operation, byte[] body, Dictionary<string, string>? query)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        state.CountRequest();
        Task Write(Reply reply) => query is null ? WriteAsync(http, reply) : SqsQueryProtocol.WriteAsync(http, operation, requestId, reply.Status, reply.Body, reply.QueryError);

        var keys = state.Sts.KeysFor(http.Request);
        // Signatures are dated by the client's real clock, whatever clock drives the queues.
        if (SigV4Verifier.Verify(http.Request, body, keys, [state.Options.AwsRegion], "sqs", TimeProvider.System.GetUtcNow()) is { } denied)
        {
            await Write(SignatureError(denied));
            return;
        }

        if (state.Unavailable)
        {
            await Write(Error(503, "com.amazonaws.sqs#ServiceUnavailable", "ServiceUnavailable;Receiver", "The service is unavailable. Try again later."));
            return;
        }

        JsonObject input;
        if (query is not null)
        {
            input = SqsQueryProtocol.InputOf(operation, query, http.Request);
        }
        else
        {
            try
            {
                input = JsonNode.Parse(body.Length == 0 ? "{}"u8 : body) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                await Write(Error(400, "com.amazon.coral.service#SerializationException", null, "The request body is not a JSON object."));
                return;
            }
        }

        try
        {
            var reply = operation switch
            {
                "CreateQueue" => CreateQueue(http, state, input),
                "GetQueueUrl" => GetQueueUrl(http, state, input),
                "GetQueueAttributes" => WithQueue(state, input, "GetQueueAttributesRequest", queue => GetQueueAttributes(state, queue, input)),
                "SetQueueAttributes" => WithQueue(state, input, "SetQueueAttributesRequest", queue => SetQueueAttributes(state, queue, input)),
                "ListQueues" => ListQueues(http, state, input),
                "DeleteQueue" => WithQueue(state, input, "DeleteQueueRequest", queue => state.Delete(queue) ? Ok() : NoQueue()),
                "PurgeQueue" => WithQueue(state, input, "PurgeQueueRequest", queue => PurgeQueue(state, queue)),
                "SendMessage" => WithQueue(state, input, "SendMessageRequest", queue => SendMessage(state, queue, input)),
                "ReceiveMessage" => null,
                "DeleteMessage" => WithQueue(state, input, "DeleteMessageRequest", queue => DeleteMessage(state, queue, input)),
                "ChangeMessageVisibility" => WithQueue(state, input, "ChangeMessageVisibilityRequest", queue => ChangeMessageVisibility(state, queue, input)),
                _ => Error(400, "com.amazon.coral.service#UnknownOperationException", "InvalidAction;Sender", $"The action {operation} is not valid for this endpoint."),
            };
            await Write(reply ?? await ReceiveMessageAsync(state, input, http.RequestAborted));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away during a long poll: nothing was taken.
        }
    }

    private static Reply CreateQueue(HttpContext http, SqsEmulatorState state, JsonObject input)
    {
        if (UnknownAttribute(input["Attributes"] as JsonObject) is { } unknown)
        {
            return unknown;
        }

        if (Validate("CreateQueueRequest", input) is { } violation)
        {
            return violation;
        }

        var name = input["QueueName"]!.GetValue<string>();
        var attributes = StringMap(input["Attributes"]);
        var fifo = attributes.GetValueOrDefault("FifoQueue") == "true";
        if (!QueueName().IsMatch(name) || name.EndsWith(".fifo", StringComparison.Ordinal) != fifo)
        {
            return Invalid("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length. A FIFO queue's name ends in .fifo, and only a FIFO queue's (FifoQueue=true).");
        }

        if (CheckAttributes(state, attributes, fifo) is { } refused)
        {
            return refused;
        }

        var (queue, conflict) = state.Create(name, fifo, attributes);
        return conflict switch
        {
            "QueueNameExists" => Error(400, "com.amazonaws.sqs#QueueNameExists", "QueueAlreadyExists;Sender", $"A queue already exists with the same name and a different value for attribute(s) {string.Join(", ", attributes.Keys)}"),
            "QueueDeletedRecently" => Error(400, "com.amazonaws.sqs#QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently;Sender", "You must wait 60 seconds after deleting a queue before you can create another queue with the same name."),
            _ => Ok(new JsonObject { ["QueueUrl"] = UrlOf(http, state, queue!.Name) }),
        };
    }

    private static Reply GetQueueUrl(HttpContext http, SqsEmulatorState state, JsonObject input)
    {
        if (Validate("GetQueueUrlRequest", input) is { } violation)
        {
            return violation;
        }

        var owner = input["QueueOwnerAWSAccountId"]?.GetValue<string>();
        return (owner is null || owner == state.Options.AwsAccountId) && state.Find(input["QueueName"]!.GetValue<string>()) is { } queue
            ? Ok(new JsonObject { ["QueueUrl"] = UrlOf(http, state, queue.Name) })
            : NoQueue();
    }

    private static Reply ListQueues(HttpContext http, SqsEmulatorState state, JsonObject input)
    {
        if (Validate("ListQueuesRequest", input) is { } violation)
        {
            return violation;
        }

        var names = state.Names(input["QueueNamePrefix"]?.GetValue<string>() ?? string.Empty);
        var max = input["MaxResults"]?.GetValue<int>() ?? 1000;
        string? after = null;
        if (input["NextToken"]?.GetValue<string>() is { } token)
        {
            var bytes = new byte[token.Length];
            if (!Convert.TryFromBase64String(token, bytes, out var written))
            {
                return Invalid("Invalid NextToken value: it was not given by ListQueues.");
            }

            after = Encoding.UTF8.GetString(bytes, 0, written);
        }

        var page = names.Where(n => after is null || string.CompareOrdinal(n, after) > 0).Take(max).ToList();
        var reply = new JsonObject();
        if (page.Count > 0)
        {
            reply["QueueUrls"] = new JsonArray([.. page.Select(n => JsonValue.Create(UrlOf(http, state, n)))]);
        }

        // A page token only when the caller asked for pages and more remain, as SQS gives it.
        if (input["MaxResults"] is not null && page.Count == max && names.Any(n => string.CompareOrdinal(n, page[^1]) > 0))
        {
            reply["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1]));
        }

        return Ok(reply);
    }

    private static Reply GetQueueAttributes(SqsEmulatorState state, SqsQueue queue, JsonObject input)
    {
        var asked = (input["AttributeNames"] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? string.Empty).ToList();
        if (asked.FirstOrDefault(n => n != "All" && !ReadableAttributes.Contains(n)) is { } unknown)
        {
            return Error(400, "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName;Sender", $"Unknown Attribute {unknown}.");
        }

        var all = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        foreach (var (key, value) in state.AttributesOf(queue))
        {
            all[key] = value;
        }

        if (queue.Fifo)
        {
            all.TryAdd("FifoQueue", "true");
            all.TryAdd("ContentBasedDeduplication", "false");
            all.TryAdd("DeduplicationScope", "queue");
            all.TryAdd("FifoThroughputLimit", "perQueue");
        }

        var chosen = asked.Contains("All") ? all : all.Where(a => asked.Contains(a.Key)).ToDictionary(StringComparer.Ordinal);
        return Ok(chosen.Count == 0 ? new JsonObject() : new JsonObject { ["Attributes"] = MapOf(chosen) });
    }

    private static Reply SetQueueAttributes(SqsEmulatorState state, SqsQueue queue, JsonObject input)
    {
        // An unknown attribute was refused before the model's check (WithQueue).
        var attributes = StringMap(input["Attributes"]);
        if (attributes.ContainsKey("FifoQueue"))
        {
            return Error(400, "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName;Sender", "FifoQueue can be set only when the queue is created.");
        }

        if (CheckAttributes(state, attributes, queue.Fifo) is { } refused)
        {
            return refused;
        }

        state.SetAttributes(queue, attributes);
        return Ok();
    }

    private static Reply PurgeQueue(SqsEmulatorState state, SqsQueue queue) => state.Purge(queue)
        ? Ok()
        : Error(403, "com.amazonaws.sqs#PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress;Sender", $"Only one PurgeQueue operation on {queue.Name} is allowed every 60 seconds.");

    private static Reply SendMessage(SqsEmulatorState state, SqsQueue queue, JsonObject input)
    {
        var body = input["MessageBody"]!.GetValue<string>();
        if (body.Length == 0 || !IsAllowedText(body))
        {
            return Error(400, "com.amazonaws.sqs#InvalidMessageContents", "InvalidMessageContents;Sender", "Invalid characters found. Valid characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.");
        }

        var attributes = input["MessageAttributes"] as JsonObject;
        if (CheckMessageAttributes(attributes) is { } badAttributes)
        {
            return badAttributes;
        }

        var size = Encoding.UTF8.GetByteCount(body) + AttributesSize(attributes);
        var limit = queue.IntAttribute("MaximumMessageSize", 1_048_576);
        if (size > limit)
        {
            return Invalid(string.Create(CultureInfo.InvariantCulture, $"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes."));
        }

        TimeSpan? delay = input["DelaySeconds"]?.GetValue<int>() is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        if (queue.Fifo && input["MessageGroupId"] is null)
        {
            return Error(400, "com.amazonaws.sqs#MissingParameter", "MissingParameter;Sender", "The request must contain the parameter MessageGroupId.");
        }

        var message = state.Enqueue(queue, body, attributes?.DeepClone().AsObject(), delay, state.TimeProvider.GetUtcNow());
        var reply = new JsonObject { ["MessageId"] = message.MessageId, ["MD5OfMessageBody"] = Md5(body) };
        if (attributes is { Count: > 0 })
        {
            reply["MD5OfMessageAttributes"] = Md5OfAttributes(attributes);
        }

        if (input["MessageSystemAttributes"] is JsonObject { Count: > 0 } system)
        {
            reply["MD5OfMessageSystemAttributes"] = Md5OfAttributes(system);
        }

        if (queue.Fifo)
        {
            reply["SequenceNumber"] = message.Sequence.ToString("D20", CultureInfo.InvariantCulture);
        }

        return Ok(reply);
    }

    private static async Task<Reply> ReceiveMessageAsync(SqsEmulatorState state, JsonObject input, CancellationToken cancellationToken)
    {
        // The deprecated AttributeNames takes the message's system attributes too, as SQS reads it, though the model
        // types it by the queue's attribute names.
        var checkable = input.DeepClone().AsObject();
        if (checkable.Remove("AttributeNames", out var legacy))
        {
            checkable["MessageSystemAttributeNames"] = new JsonArray([.. Names(legacy).Concat(Names(input["MessageSystemAttributeNames"])).Select(n => JsonValue.Create(n))]);
        }

        if (Validate("ReceiveMessageRequest", checkable) is { } violation)
        {
            return violation;
        }

        if (QueueOf(state, input) is not { } queue)
        {
            return NoQueue();
        }

        var max = input["MaxNumberOfMessages"]?.GetValue<int>() ?? 1;
        var visibility = input["VisibilityTimeout"]?.GetValue<int>() ?? queue.IntAttribute("VisibilityTimeout", 30);
        var wait = input["WaitTimeSeconds"]?.GetValue<int>() ?? queue.IntAttribute("ReceiveMessageWaitTimeSeconds", 0);
        if (max is < 1 or > 10)
        {
            return Invalid(string.Create(CultureInfo.InvariantCulture, $"Value {max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."));
        }

        if (wait is < 0 or > 20)
        {
            return Invalid(string.Create(CultureInfo.InvariantCulture, $"Value {wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."));
        }

        if (visibility is < 0 or > 43_200)
        {
            return Invalid(string.Create(CultureInfo.InvariantCulture, $"Value {visibility} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided."));
        }

        var systemNames = Names(input["AttributeNames"]).Concat(Names(input["MessageSystemAttributeNames"])).ToHashSet(StringComparer.Ordinal);
        var attributeNames = Names(input["MessageAttributeNames"]).ToList();
        var received = await state.ReceiveAsync(queue, max, TimeSpan.FromSeconds(visibility), TimeSpan.FromSeconds(wait), cancellationToken);
        if (received.Count == 0)
        {
            return Ok();
        }

        var messages = new JsonArray();
        foreach (var (message, receipt) in received)
        {
            var json = new JsonObject
            {
                ["MessageId"] = message.MessageId,
                ["ReceiptHandle"] = receipt,
                ["MD5OfBody"] = Md5(message.Body),
                ["Body"] = message.Body,
            };
            if (SystemAttributes(state, message, systemNames) is { Count: > 0 } system)
            {
                json["Attributes"] = MapOf(system);
            }

            if (Chosen(message.MessageAttributes, attributeNames) is { Count: > 0 } chosen)
            {
                json["MessageAttributes"] = chosen;
                json["MD5OfMessageAttributes"] = Md5OfAttributes(chosen);
            }

            messages.Add(json);
        }

        return Ok(new JsonObject { ["Messages"] = messages });
    }

    private static Reply DeleteMessage(SqsEmulatorState state, SqsQueue queue, JsonObject input)
    {
        if (state.DeletesRefused)
        {
            return Error(500, "com.amazonaws.sqs#InternalError", "InternalError;Receiver", "We encountered an internal error. Please try again.");
        }

        var receipt = input["ReceiptHandle"]!.GetValue<string>();
        return state.DeleteMessage(queue, receipt) is null ? BadReceipt(receipt) : Ok();
    }

    private static Reply ChangeMessageVisibility(SqsEmulatorState state, SqsQueue queue, JsonObject input)
    {
        var receipt = input["ReceiptHandle"]!.GetValue<string>();
        var timeout = input["VisibilityTimeout"]!.GetValue<int>();
        if (timeout is < 0 or > 43_200)
        {
            return Invalid(string.Create(CultureInfo.InvariantCulture, $"Value {timeout} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200."));
        }

        return state.ChangeVisibility(queue, receipt, TimeSpan.FromSeconds(timeout)) switch
        {
            null => BadReceipt(receipt),
            false => Error(400, "com.amazonaws.sqs#MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight;Sender", "The message referred to isn't in flight."),
            true => Ok(),
        };
    }

    // The operations on one queue: the input checked against the model, then the queue found by its URL.
    private static Reply WithQueue(SqsEmulatorState state, JsonObject input, string inputShape, Func<SqsQueue, Reply> handle)
    {
        if (inputShape is "SetQueueAttributesRequest" && UnknownAttribute(input["Attributes"] as JsonObject) is { } unknown)
        {
            return unknown;
        }

        if (Validate(inputShape, input) is { } violation)
        {
            return violation;
        }

        return QueueOf(state, input) is { } queue ? handle(queue) : NoQueue();
    }

    // A queue URL names its account and queue in its path; the host is the client's business (127.0.0.1 or localhost).
    private static SqsQueue? QueueOf(SqsEmulatorState state, JsonObject input)
    {
        if (input["QueueUrl"]?.GetValue<string>() is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        return segments.Length == 2 && segments[0] == state.Options.AwsAccountId ? state.Find(Uri.UnescapeDataString(segments[1])) : null;
    }

    private static string UrlOf(HttpContext http, SqsEmulatorState state, string name) =>
        $"{http.Request.Scheme}://{http.Request.Host}/{state.Options.AwsAccountId}/{name}";

    private static Reply? CheckAttributes(SqsEmulatorState state, IReadOnlyDictionary<string, string> attributes, bool fifo)
    {
        foreach (var (key, value) in attributes)
        {
            if (IntegerAttributes.TryGetValue(key, out var range)
                && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < range.Min || number > range.Max))
            {
                return InvalidValue(key);
            }

            if (key is "FifoQueue" or "ContentBasedDeduplication" or "SqsManagedSseEnabled" && value is not ("true" or "false"))
            {
                return InvalidValue(key);
            }

            if (key is "ContentBasedDeduplication" or "DeduplicationScope" or "FifoThroughputLimit" && !fifo)
            {
                return Error(400, "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName;Sender", $"Unknown Attribute {key}.");
            }

            if (key is "Policy" or "RedriveAllowPolicy" && value.Length > 0 && !IsJsonObject(value))
            {
                return InvalidValue(key);
            }

            if (key == "RedrivePolicy" && value.Length > 0 && RedriveProblem(state, value) is { } problem)
            {
                return Error(400, "com.amazonaws.sqs#InvalidAttributeValue", "InvalidAttributeValue;Sender", $"Value {value} for parameter RedrivePolicy is invalid. Reason: {problem}");
            }
        }

        return null;
    }

    private static string? RedriveProblem(SqsEmulatorState state, string value)
    {
        JsonNode? policy;
        try
        {
            policy = JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return "Invalid JSON.";
        }

        if (policy?["deadLetterTargetArn"] is not JsonValue arn || !arn.TryGetValue<string>(out var target))
        {
            return "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.";
        }

        var count = policy["maxReceiveCount"] switch
        {
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => 0,
        };
        if (count is < 1 or > 1000)
        {
            return "Invalid value for maxReceiveCount: must be an integer from 1 to 1000.";
        }

        return state.FindByArn(target) is null ? "Dead letter target does not exist." : null;
    }

    private static Reply? CheckMessageAttributes(JsonObject? attributes)
    {
        if (attributes is null)
        {
            return null;
        }

        if (attributes.Count > MaxAttributes)
        {
            return Invalid(string.Create(CultureInfo.InvariantCulture, $"Number of message attributes [{attributes.Count}] exceeds the allowed maximum [{MaxAttributes}]."));
        }

        foreach (var (name, value) in attributes)
        {
            if (!AttributeName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal) || name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase))
            {
                return Invalid($"Message attribute name '{name}' is invalid: up to 256 of A-Z, a-z, 0-9, '_', '-' and '.', not starting or ending with '.', without '..', and not starting with AWS. or Amazon.");
            }

            var dataType = value?["DataType"]?.GetValue<string>() ?? string.Empty;
            var kind = dataType.Split('.', 2)[0];
            var text = value?["StringValue"]?.GetValue<string>();
            var binary = value?["BinaryValue"]?.GetValue<string>();
            var problem = kind switch
            {
                "String" when text is null => "a String attribute needs a StringValue",
                "Number" when text is null || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "a Number attribute needs a numeric StringValue",
                "Binary" when binary is null => "a Binary attribute needs a BinaryValue",
                "String" or "Number" or "Binary" => null,
                _ => "the DataType must be String, Number or Binary, optionally followed by '.' and a label",
            };
            if (problem is not null)
            {
                return Invalid($"The message attribute '{name}' is invalid: {problem}.");
            }
        }

        return null;
    }

    private static Dictionary<string, string> SystemAttributes(SqsEmulatorState state, SqsMessage message, HashSet<string> names)
    {
        var all = names.Contains("All");
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string value)
        {
            if (all || names.Contains(name))
            {
                attributes[name] = value;
            }
        }

        Add("SenderId", state.Options.AwsAccessKeyId);
        Add("SentTimestamp", message.SentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Add("ApproximateReceiveCount", message.ReceiveCount.ToString(CultureInfo.InvariantCulture));
        Add("ApproximateFirstReceiveTimestamp", (message.FirstReceivedAt ?? message.SentAt).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        if (message.SourceArn is { } source)
        {
            Add("DeadLetterQueueSourceArn", source);
        }

        return attributes;
    }

    // MessageAttributeNames: "All" or ".*", a name, or a prefix ending in ".*".
    private static JsonObject? Chosen(JsonObject? attributes, List<string> names)
    {
        if (attributes is null || names.Count == 0)
        {
            return null;
        }

        var chosen = new JsonObject();
        foreach (var (name, value) in attributes)
        {
            if (names.Any(n => n is "All" or ".*" || n == name || (n.EndsWith(".*", StringComparison.Ordinal) && name.StartsWith(n[..^1], StringComparison.Ordinal))))
            {
                chosen[name] = value?.DeepClone();
            }
        }

        return chosen;
    }

    private static int AttributesSize(JsonObject? attributes) => attributes?.Sum(a =>
        Encoding.UTF8.GetByteCount(a.Key)
        + Encoding.UTF8.GetByteCount(a.Value?["DataType"]?.GetValue<string>() ?? string.Empty)
        + (a.Value?["StringValue"]?.GetValue<string>() is { } s ? Encoding.UTF8.GetByteCount(s) : 0)
        + (a.Value?["BinaryValue"]?.GetValue<string>() is { } b ? Convert.FromBase64String(b).Length : 0)) ?? 0;

    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    // SQS's digest of message attributes: for each by name, in order, the name, the data type, a transport byte
    // (1 for a string value, 2 for a binary one) and the value, each length-prefixed with 4 big-endian bytes.
    private static string Md5OfAttributes(JsonObject attributes)
    {
        using var buffer = new MemoryStream();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Prefixed(buffer, Encoding.UTF8.GetBytes(name));
            Prefixed(buffer, Encoding.UTF8.GetBytes(value?["DataType"]?.GetValue<string>() ?? string.Empty));
            if (value?["BinaryValue"]?.GetValue<string>() is { } binary)
            {
                buffer.WriteByte(2);
                Prefixed(buffer, Convert.FromBase64String(binary));
            }
            else
            {
                buffer.WriteByte(1);
                Prefixed(buffer, Encoding.UTF8.GetBytes(value?["StringValue"]?.GetValue<string>() ?? string.Empty));
            }
        }

        return Convert.ToHexStringLower(MD5.HashData(buffer.ToArray()));

        static void Prefixed(MemoryStream buffer, byte[] bytes)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }
    }

    // XML's characters: tab, line feed, carriage return, and U+0020 up, less the surrogates (unpaired) and U+FFFE, U+FFFF.
    private static bool IsAllowedText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || !(c is '\t' or '\n' or '\r' || (c >= '\u0020' && c <= '\uFFFD')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IEnumerable<string> Names(JsonNode? list) => (list as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? string.Empty);

    private static Dictionary<string, string> StringMap(JsonNode? map) =>
        (map as JsonObject ?? []).Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);

    private static JsonObject MapOf(IReadOnlyDictionary<string, string> values) => new(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(v.Value))));

    // A queue attribute SQS does not know is InvalidAttributeName, before the model's enum check would call it a validation error.
    private static Reply? UnknownAttribute(JsonObject? attributes) =>
        attributes?.Select(a => a.Key).FirstOrDefault(k => !SettableAttributes.Contains(k)) is { } unknown
            ? Error(400, "com.amazonaws.sqs#InvalidAttributeName", "InvalidAttributeName;Sender", $"Unknown Attribute {unknown}.")
            : null;

    private static Reply? Validate(string inputShape, JsonObject input) =>
        AwsServiceModel.Sqs.Validate(inputShape, input) is { } violation
            ? Error(400, "com.amazon.coral.validate#ValidationException", violation.Contains("must not be null", StringComparison.Ordinal) ? "MissingParameter;Sender" : "InvalidParameterValue;Sender", violation)
            : null;

    private static Reply NoQueue() => Error(400, "com.amazonaws.sqs#QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue;Sender", "The specified queue does not exist.");

    private static Reply BadReceipt(string receipt) => Error(400, "com.amazonaws.sqs#ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid;Sender", $"The input receipt handle \"{receipt}\" is not a valid receipt handle.");

    private static Reply Invalid(string message) => Error(400, "com.amazonaws.sqs#InvalidParameterValue", "InvalidParameterValue;Sender", message);

    private static Reply InvalidValue(string attribute) => Error(400, "com.amazonaws.sqs#InvalidAttributeValue", "InvalidAttributeValue;Sender", $"Invalid value for the parameter {attribute}.");

    // The verifier speaks the rest-json services' error types, which AWS JSON services share.
    private static Reply SignatureError((string Type, string Message) denied) => denied.Type switch
    {
        "IncompleteSignatureException" => Error(400, "com.amazon.coral.service#IncompleteSignatureException", "IncompleteSignature;Sender", denied.Message),
        "MissingAuthenticationTokenException" => Error(403, "com.amazon.coral.service#MissingAuthenticationTokenException", "MissingAuthenticationToken;Sender", denied.Message),
        "InvalidSignatureException" => Error(403, "com.amazon.coral.service#InvalidSignatureException", "SignatureDoesNotMatch;Sender", denied.Message),
        "UnrecognizedClientException" => Error(403, "com.amazon.coral.service#UnrecognizedClientException", "InvalidClientTokenId;Sender", denied.Message),
        "ExpiredTokenException" => Error(403, "com.amazon.coral.service#ExpiredTokenException", "ExpiredToken;Sender", denied.Message),
        _ => Error(403, "com.amazon.coral.service#AccessDeniedException", "AccessDenied;Sender", denied.Message),
    };

    private static Reply Ok(JsonObject? body = null) => new(200, body ?? [], null);

    private static Reply Error(int status, string type, string? queryError, string message) =>
        new(status, new JsonObject { ["__type"] = type, ["message"] = message }, queryError);

    private static Task WriteAsync(HttpContext http, Reply reply)
    {
        http.Response.StatusCode = reply.Status;
        http.Response.ContentType = ContentType;
        if (reply.QueryError is { } queryError)
        {
            http.Response.Headers["x-amzn-query-error"] = queryError;
        }

        return http.Response.WriteAsync(reply.Body.ToJsonString(), http.RequestAborted);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,75}(\\.fifo)?$|^[A-Za-z0-9_-]{1,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();

    [GeneratedRegex("^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?$", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeName();

    /// <summary>An answer: its status, its JSON body, and the query protocol's error code when it is an error.</summary>
    private sealed record Reply(int Status, JsonObject Body, string? QueryError);
}
