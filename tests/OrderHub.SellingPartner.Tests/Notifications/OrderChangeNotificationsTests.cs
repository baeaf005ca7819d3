using OrderHub.SellingPartner.Notifications;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Notifications;

/// <summary>The ORDER_CHANGE reader: the documented example, members and change types it does not know, and bodies it cannot read.</summary>
public sealed class OrderChangeNotificationsTests
{
    // The documented example (OrderChangeNotification.json), with a member and a change type added since.
    private const string Example = """
        {
          "NotificationVersion": "1.0",
          "NotificationType": "ORDER_CHANGE",
          "PayloadVersion": "1.0",
          "EventTime": "2020-01-11T00:09:53.109Z",
          "Payload": {
            "OrderChangeNotification": {
              "NotificationLevel": "OrderLevel",
              "SellerId": "A3TH9S8BH6GOGM",
              "AmazonOrderId": "903-8868176-2219830",
              "OrderChangeType": "SomethingNewChange",
              "OrderChangeTrigger": { "TimeOfOrderChange": "2022-11-29T19:42:04.284Z", "ChangeReason": "Buyer Requested Cancel" },
              "Summary": { "MarketplaceId": "ATVPDKIKX0DER", "OrderStatus": "Unshipped", "DestinationPostalCode": "48110", "SomeFutureMember": [1, 2] }
            }
          },
          "NotificationMetadata": {
            "ApplicationId": "amzn1.sellerapps.app.f1234566-aaec-55a6-b123-bcb752069ec5",
            "SubscriptionId": "93b098e1-c42-2f45-93a1-78910a6a8369",
            "PublishTime": "2020-01-11T00:02:50.501Z",
            "NotificationId": "17a10ba2-6d1c-4e3c-a8e1-2e1dcb6f1a4f"
          }
        }
        """;

    [Fact]
    public void TheDocumentedNotification_IsRead_WithWhatItSays()
    {
        OrderChangeNotifications.TryRead(Example, "receipt-1", 2, out var notice, out var problem).ShouldBeTrue(problem);

        notice.ShouldBe(new OrderNotice
        {
            NotificationId = "17a10ba2-6d1c-4e3c-a8e1-2e1dcb6f1a4f",
            OrderId = "903-8868176-2219830",
            ChangedAt = new DateTimeOffset(2022, 11, 29, 19, 42, 4, 284, TimeSpan.Zero),
            ChangeType = "SomethingNewChange",
            UpstreamStatus = "Unshipped",
            PublishedAt = new DateTimeOffset(2020, 1, 11, 0, 2, 50, 501, TimeSpan.Zero),
            DeliveryCount = 2,
            Receipt = "receipt-1",
        });
        notice!.ToString().ShouldNotContain("receipt-1");
        notice.ToString().ShouldNotContain("48110", Case.Sensitive, "a postal code is personal data");
    }

    [Fact]
    public void WithoutATriggerTime_TheEventTimeSays()
    {
        var body = Example.Replace("\"TimeOfOrderChange\": \"2022-11-29T19:42:04.284Z\", ", string.Empty, StringComparison.Ordinal);

        OrderChangeNotifications.TryRead(body, "r", null, out var notice, out _).ShouldBeTrue();

        notice!.ChangedAt.ShouldBe(new DateTimeOffset(2020, 1, 11, 0, 9, 53, 109, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("not json", "the body is not JSON")]
    [InlineData("[1]", "the body is not a JSON object")]
    [InlineData("""{"NotificationType":"ANY_OFFER_CHANGED"}""", "it is a ANY_OFFER_CHANGED notification, not ORDER_CHANGE")]
    [InlineData("""{"NotificationType":"ORDER_CHANGE","Payload":{"OrderChangeNotification":{"AmazonOrderId":"903-8868176-2219830"}}}""", "it has no NotificationMetadata.NotificationId")]
    [InlineData("""{"NotificationType":"ORDER_CHANGE","NotificationMetadata":{"NotificationId":"n"},"Payload":{}}""", "it has no Payload.OrderChangeNotification.AmazonOrderId")]
    [InlineData("""{"Type":"Notification","Message":"{\"secret\":\"903-8868176-2219830\"}"}""", "it has no NotificationType")]
    public void ABodyItCannotRead_SaysWhy_WithoutItsContent(string body, string expected)
    {
        OrderChangeNotifications.TryRead(body, "r", 1, out var notice, out var problem).ShouldBeFalse();

        notice.ShouldBeNull();
        problem.ShouldBe(expected);
    }
}
