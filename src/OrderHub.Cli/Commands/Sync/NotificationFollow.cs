using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Cli.Commands.Notifications;
using OrderHub.Cli.Configuration;
using OrderHub.SellingPartner.Notifications;
using OrderHub.Sync;

namespace OrderHub.Cli.Commands.Sync;

/// <summary>
/// <c>sync --source NAME --follow --notifications QUEUE-URL</c>: the seller's ORDER_CHANGE notifications consumed for
/// freshness, beside the cursor's polls at the backup interval; the store keeps the newer copy whichever brings it.
/// </summary>
internal static class NotificationFollow
{
    public static async Task<IncrementalSyncProgress> RunAsync(CliHost host, IncrementalSyncRequest request, string queueUrl, IProgress<IncrementalSyncProgress> pages, bool quiet, CancellationToken cancel)
    {
        var seller = NotificationsCommand.SellerOf(host.Lookup, request.Source);
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var url))
        {
            throw new InvalidOrderRequestException($"--notifications '{queueUrl}' is not a URL: give the SQS queue's URL, such as https://sqs.us-east-1.amazonaws.com/123456789012/sp-order-changes.") { ParameterName = "--notifications" };
        }

        using var queue = new SqsOrderChangeQueue(
            new SqsOrderChangeQueueOptions { Source = seller.Name, QueueUrl = url },
            host.Services.GetService<ILogger<SqsOrderChangeQueue>>());
        var poller = host.Services.GetRequiredService<IncrementalOrderSync>();
        var consumer = host.Services.GetRequiredService<OrderNotificationSync>();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"following {seller.Name} ({request.Scope}) through the notifications in {queue.Address}, polling every {request.PollInterval:g} as the backup; Ctrl+C stops after what is being stored."));

        // Either one ending for a reason other than Ctrl+C (refused credentials, an unknown queue, a failing store)
        // ends the other: the follow is one command.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var polling = poller.FollowAsync(request, pages, stop.Token);
        var notices = consumer.FollowAsync(queue, progress: new NoticeProgress(quiet), cancellationToken: stop.Token);
        await Task.WhenAny(polling, notices);
        await stop.CancelAsync();
        var (polled, noticed) = (await polling, await notices);
        if (!quiet)
        {
            Console.Error.WriteLine(NoticeProgress.Line("notifications", noticed));
        }

        return polled;
    }

    /// <summary>One line per receive that brought notices, on standard error: what it did, and the totals so far.</summary>
    internal sealed class NoticeProgress(bool quiet, TextWriter? output = null) : IProgress<OrderNotificationProgress>
    {
        private OrderNotificationProgress? _last;

        public void Report(OrderNotificationProgress value)
        {
            var before = _last ?? new OrderNotificationProgress { Source = value.Source };
            _last = value;
            if (quiet)
            {
                return;
            }

            var writer = output ?? Console.Error;
            if (value.ChannelFailures > before.ChannelFailures)
            {
                writer.WriteLine($"notifications: {value.LastChannelFailure} The backup polls keep the copy fresh meanwhile; trying again.");
                return;
            }

            var received = value.Received - before.Received;
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"notifications: {received} received, {value.Inserted - before.Inserted} new, {value.Updated - before.Updated} updated, {value.Unchanged - before.Unchanged} unchanged, {value.AlreadyCurrent - before.AlreadyCurrent} already current, {value.Duplicates - before.Duplicates} duplicate(s), {value.LeftForRedelivery - before.LeftForRedelivery} left for redelivery"));
        }

        public static string Line(string label, OrderNotificationProgress totals) => string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: {totals.Received} received in all, {totals.Inserted} new, {totals.Updated} updated, {totals.Unchanged} unchanged, {totals.AlreadyCurrent} already current, {totals.Duplicates} duplicate(s), {totals.LeftForRedelivery} left for redelivery, {totals.ChannelFailures} receive(s) failed");
    }
}
