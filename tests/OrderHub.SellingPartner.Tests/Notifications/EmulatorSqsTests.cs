using System.Diagnostics;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Time.Testing;
using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using OrderHub.SellingPartner.Notifications;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Notifications;

/// <summary>
/// The emulator's SQS judged by clients that are not OrderHub's: boto3 (AWS JSON 1.0 from botocore 1.31 on, the query
/// protocol before it: each Python with boto3 on the machine is run) receiving the ORDER_CHANGE notifications the
/// emulator sent and working a message through visibility and delete; AWSSDK.SQS (which checks every MD5) through a
/// long poll, message attributes and a redrive to a dead-letter queue, on a clock the test moves.
/// </summary>
public sealed class EmulatorSqsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private EmulatorHost _emulator = null!;
    private AmazonSQSClient _sqs = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 10, TimeProvider = _clock });
        _sqs = NotificationSetupTests.Sqs(_emulator);
    }

    public async Task DisposeAsync()
    {
        _sqs.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Boto3_ReceivesTheNotifications_AndWorksAMessageThroughVisibilityAndDelete()
    {
        var pythons = PythonsWithBoto3();
        pythons.ShouldNotBeEmpty("no python3 here imports boto3: install Debian's python3-boto3 (.ci/run does)");

        // boto3 long-polls on the emulator's own clock: this emulator runs on the real one.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 10 });
        using var sqs = NotificationSetupTests.Sqs(emulator);
        var (_, arn) = await NotificationSetupTests.QueueForAmazonAsync(sqs, "sp-order-changes");
        using (var source = new SellingPartnerOrderSource(EmulatorClient.Options(emulator), OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry()))
        {
            await source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = arn });
        }

        // Two steps of changes for each Python (an order moved on and one arrived in each), counted from a day ago.
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        foreach (var (python, run) in pythons.Select((p, i) => (p, i + 1)))
        {
            var before = emulator.SellingPartner.Notifications.Changes.Count;
            emulator.SellingPartner.ApplyChangesUntil(start, TimeSpan.FromHours(1), start.AddHours(2 * run));
            var changed = emulator.SellingPartner.Notifications.Changes.Skip(before).Select(c => c.OrderId).ToList();
            changed.Count.ShouldBe(4);

            using var seen = JsonDocument.Parse(await RunAsync(python, emulator.SqsEndpoint.ToString().TrimEnd('/'), emulator.Outposts.Options.AwsRegion, emulator.Outposts.Options.AwsAccessKeyId, emulator.Outposts.Options.AwsSecretAccessKey, "sp-order-changes"));
            var root = seen.RootElement;
            var label = $"{python} (botocore {root.GetProperty("botocore").GetString()}, {root.GetProperty("protocol").GetString()})";

            var notices = root.GetProperty("notices").EnumerateArray().ToList();
            notices.Select(n => n.GetProperty("orderId").GetString()).Order().ShouldBe(changed.Order(), label);
            notices.ShouldAllBe(n => n.GetProperty("type").GetString() == "ORDER_CHANGE" && n.GetProperty("md5Matches").GetBoolean() && n.GetProperty("receiveCount").GetInt32() == 1, label);
            var own = root.GetProperty("own");
            own.GetProperty("sameMessage").GetBoolean().ShouldBeTrue(label);
            own.GetProperty("body").GetString().ShouldBe("hello from boto3 \u00e9", label);
            own.GetProperty("kind").GetString().ShouldBe("probe", label);
            own.GetProperty("firstCount").GetInt32().ShouldBe(1, label);
            own.GetProperty("inFlightReceived").GetInt32().ShouldBe(0, label);
            own.GetProperty("secondCount").GetInt32().ShouldBe(2, label);
            own.GetProperty("leftAfterDelete").GetInt32().ShouldBe(0, label);
            own.GetProperty("queueArn").GetString().ShouldBe(arn, label);
            var errors = root.GetProperty("errors");
            errors.GetProperty("missingQueue").GetProperty("code").GetString().ShouldBe("AWS.SimpleQueueService.NonExistentQueue", label);
            errors.GetProperty("missingQueue").GetProperty("modeled").GetBoolean().ShouldBeTrue(label);
            errors.GetProperty("wrongSecret").GetProperty("code").GetString().ShouldBe("SignatureDoesNotMatch", label);
            errors.GetProperty("wrongSecret").GetProperty("status").GetInt32().ShouldBe(403, label);
        }

        emulator.Sqs.MessageCount("sp-order-changes").ShouldBe(0);
    }

    [Fact]
    public async Task ALongPoll_AnswersWhenAMessageArrives_WithItsAttributesAndTheirDigest()
    {
        var url = (await _sqs.CreateQueueAsync("waiting")).QueueUrl;

        // The emulator's clock stands still: only the message can end this 20-second poll.
        var polling = _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 20, MessageAttributeNames = ["All"] });
        var sent = await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "{\"hello\":1}",
            MessageAttributes = new()
            {
                ["kind"] = new MessageAttributeValue { DataType = "String", StringValue = "probe" },
                ["blob"] = new MessageAttributeValue { DataType = "Binary", BinaryValue = new MemoryStream([1, 2, 3]) },
            },
        });
        var received = await polling.WaitAsync(TimeSpan.FromSeconds(30));

        // AWSSDK.SQS checks MD5OfMessageBody and MD5OfMessageAttributes of both answers itself, and throws when one is off.
        sent.MD5OfMessageAttributes.ShouldNotBeNullOrEmpty();
        var message = received.Messages.ShouldHaveSingleItem();
        message.MessageId.ShouldBe(sent.MessageId);
        message.MessageAttributes["kind"].StringValue.ShouldBe("probe");
        message.MessageAttributes["blob"].BinaryValue.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        message.MD5OfMessageAttributes.ShouldBe(sent.MD5OfMessageAttributes);
    }

    [Fact]
    public async Task AMessageReceivedMaxReceiveCountTimes_MovesToTheDeadLetterQueue()
    {
        var deadLetters = (await _sqs.CreateQueueAsync("dead-letters")).QueueUrl;
        var deadLetterArn = (await _sqs.GetQueueAttributesAsync(deadLetters, ["QueueArn"])).QueueARN;
        var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = "work",
            Attributes = new() { ["RedrivePolicy"] = $"{{\"deadLetterTargetArn\":\"{deadLetterArn}\",\"maxReceiveCount\":\"2\"}}", ["VisibilityTimeout"] = "30" },
        })).QueueUrl;
        var workArn = (await _sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN;
        await _sqs.SendMessageAsync(url, "cannot be read");

        var deliveries = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var got = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MessageSystemAttributeNames = ["ApproximateReceiveCount"] });
            deliveries.AddRange((got.Messages ?? []).Select(m => int.Parse(m.Attributes["ApproximateReceiveCount"], System.Globalization.CultureInfo.InvariantCulture)));
            _clock.Advance(TimeSpan.FromSeconds(31));
        }

        var moved = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = deadLetters, MessageSystemAttributeNames = ["All"] });

        deliveries.ShouldBe([1, 2], "two deliveries, then the move instead of a third");
        var message = moved.Messages.ShouldHaveSingleItem();
        message.Body.ShouldBe("cannot be read");
        message.Attributes["DeadLetterQueueSourceArn"].ShouldBe(workArn);
        _emulator.Sqs.MessageCount("work").ShouldBe(0);
    }

    [Fact]
    public async Task BadRequests_GetSqsOwnErrors()
    {
        var fifo = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = "ordered.fifo", Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;

        var noGroup = await Should.ThrowAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(fifo, "no group"));
        var unknown = await Should.ThrowAsync<QueueDoesNotExistException>(() => _sqs.SendMessageAsync(fifo.Replace("ordered.fifo", "missing", StringComparison.Ordinal), "to nowhere"));
        var badReceipt = await Should.ThrowAsync<ReceiptHandleIsInvalidException>(() => _sqs.DeleteMessageAsync(fifo, "not-a-receipt"));
        var badAttribute = await Should.ThrowAsync<InvalidAttributeNameException>(() => _sqs.SetQueueAttributesAsync(fifo, new Dictionary<string, string> { ["Colour"] = "blue" }));
        var tooLong = await Should.ThrowAsync<AmazonSQSException>(() => _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = fifo, WaitTimeSeconds = 21 }));
        var badToken = await Should.ThrowAsync<AmazonSQSException>(() => _sqs.ListQueuesAsync(new ListQueuesRequest { MaxResults = 5, NextToken = "not a token!" }));

        noGroup.ErrorCode.ShouldBe("MissingParameter");
        noGroup.Message.ShouldContain("MessageGroupId");
        unknown.ErrorCode.ShouldBe("AWS.SimpleQueueService.NonExistentQueue");
        badReceipt.Message.ShouldContain("not a valid receipt handle");
        badAttribute.Message.ShouldContain("Colour");
        tooLong.ErrorCode.ShouldBe("InvalidParameterValue");
        tooLong.Message.ShouldContain("WaitTimeSeconds");
        badToken.ErrorCode.ShouldBe("InvalidParameterValue");
        badToken.Message.ShouldContain("NextToken");
    }

    // Each distinct Python on the machine that imports boto3: python3 on the PATH, and Debian's own.
    private static List<string> PythonsWithBoto3()
    {
        var found = new List<string>();
        var real = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                var info = new ProcessStartInfo(candidate, ["-c", "import boto3, sys; print(sys.executable)"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var process = Process.Start(info)!;
                var executable = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
                if (process.ExitCode == 0 && real.Add(executable))
                {
                    found.Add(candidate);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not on this machine.
            }
        }

        return found;
    }

    private static async Task<string> RunAsync(string python, params string[] args)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sqs-with-boto3.py"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        process.ExitCode.ShouldBe(0, await errors);
        return await output;
    }
}
