using System.Globalization;
using System.Text.Json;

namespace OrderHub.SellingPartner.Notifications;

/// <summary>
/// Reads the Selling Partner API's <c>ORDER_CHANGE</c> notification (payload version 1.0) into an <see cref="OrderNotice"/>:
/// <c>NotificationMetadata.NotificationId</c>, <c>Payload.OrderChangeNotification.AmazonOrderId</c>, the change's time
/// (<c>OrderChangeTrigger.TimeOfOrderChange</c>, else <c>EventTime</c>), its type and the order's status in the
/// summary. Members it does not know, and change types or statuses added later, are carried or ignored, never an error.
/// </summary>
public static class OrderChangeNotifications
{
    /// <summary>The notification type: <c>ORDER_CHANGE</c>.</summary>
    public const string NotificationType = "ORDER_CHANGE";

    /// <summary>The payload version this reader knows: <c>1.0</c>.</summary>
    public const string PayloadVersion = "1.0";

    /// <summary>Reads a notification's JSON.</summary>
    /// <param name="body">The message body.</param>
    /// <param name="receipt">What acknowledges this delivery.</param>
    /// <param name="deliveryCount">How many times the message has been delivered, when known.</param>
    /// <param name="notice">The notice, when the body is an <c>ORDER_CHANGE</c> notification with an id and an order id.</param>
    /// <param name="problem">Why it is not, otherwise: a phrase without any of the body's content.</param>
    /// <returns>Whether the body was read.</returns>
    public static bool TryRead(string body, string receipt, int? deliveryCount, out OrderNotice? notice, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(receipt);
        notice = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            problem = "the body is not JSON";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the body is not a JSON object";
                return false;
            }

            var type = Text(root, "NotificationType");
            if (!string.Equals(type, NotificationType, StringComparison.Ordinal))
            {
                problem = type is null ? "it has no NotificationType" : $"it is a {Printable(type)} notification, not {NotificationType}";
                return false;
            }

            var change = Member(Member(root, "Payload"), "OrderChangeNotification");
            var orderId = Text(change, "AmazonOrderId");
            var notificationId = Text(Member(root, "NotificationMetadata"), "NotificationId");
            if (notificationId is null || orderId is null)
            {
                problem = notificationId is null ? "it has no NotificationMetadata.NotificationId" : "it has no Payload.OrderChangeNotification.AmazonOrderId";
                return false;
            }

            notice = new OrderNotice
            {
                NotificationId = notificationId,
                OrderId = orderId,
                ChangedAt = Time(Member(change, "OrderChangeTrigger"), "TimeOfOrderChange") ?? Time(root, "EventTime"),
                ChangeType = Text(change, "OrderChangeType"),
                UpstreamStatus = Text(Member(change, "Summary"), "OrderStatus"),
                PublishedAt = Time(Member(root, "NotificationMetadata"), "PublishTime"),
                DeliveryCount = deliveryCount,
                Receipt = receipt,
            };
            problem = null;
            return true;
        }
    }

    private static JsonElement? Member(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? parent, string name) =>
        Member(parent, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Time(JsonElement? parent, string name) =>
        Text(parent, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;

    // A type name is the upstream's word, not customer data; kept short and printable all the same.
    private static string Printable(string value) => value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? value : "differently named";
}
