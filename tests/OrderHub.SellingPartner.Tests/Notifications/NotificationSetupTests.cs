using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using OrderHub.Emulator.Hosting;
using OrderHub.RateLimits;
using OrderHub.SellingPartner.Notifications;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests.Notifications;

/// <summary>
/// Setting up ORDER_CHANGE notifications against the emulator's Notifications API and SQS: the destination and the
/// subscription created once and found again; the queue's policy, a FIFO queue and a refused filter explained; removal.
/// </summary>
public sealed class NotificationSetupTests : IAsyncLifetime
{
    private EmulatorHost _emulator = null!;
    private AmazonSQSClient _sqs = null!;
    private SellingPartnerOrderSource _source = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 10 });
        _sqs = Sqs(_emulator);
        _source = new SellingPartnerOrderSource(EmulatorClient.Options(_emulator), OrderHub.Http.UpstreamContext.Create(), new RateLimiterRegistry());
    }

    public async Task DisposeAsync()
    {
        _source.Dispose();
        _sqs.Dispose();
        await _emulator.DisposeAsync();
    }

    internal static AmazonSQSClient Sqs(EmulatorHost emulator) => new(
        new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, emulator.Outposts.Options.AwsSecretAccessKey),
        new AmazonSQSConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = emulator.Outposts.Options.AwsRegion, MaxErrorRetry = 0 });

    /// <summary>Creates a standard queue whose policy lets Amazon send to it, as <c>orderhub notifications setup</c> tells a user to.</summary>
    internal static async Task<(string Url, string Arn)> QueueForAmazonAsync(AmazonSQSClient sqs, string name, bool withPolicy = true)
    {
        var url = (await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name })).QueueUrl;
        var arn = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] })).QueueARN;
        if (withPolicy)
        {
            await sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest { QueueUrl = url, Attributes = new() { ["Policy"] = SellingPartnerNotifications.QueuePolicy(arn) } });
        }

        return (url, arn);
    }

    [Fact]
    public async Task Setup_CreatesTheDestinationAndTheSubscription_AndRunAgainFindsThem()
    {
        var (_, arn) = await QueueForAmazonAsync(_sqs, "sp-order-changes");
        var marketplace = _emulator.SellingPartner.MarketplaceIdsOf(0)[0];

        var first = await _source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = arn, MarketplaceIds = [marketplace], ChangeTypes = ["OrderStatusChange"] });
        var again = await _source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = arn });

        (first.DestinationCreated, first.SubscriptionCreated).ShouldBe((true, true));
        first.Destination.QueueArn.ShouldBe(arn);
        first.Subscription.DestinationId.ShouldBe(first.Destination.DestinationId);
        first.Subscription.MarketplaceIds.ShouldBe([marketplace]);
        first.Subscription.ChangeTypes.ShouldBe(["OrderStatusChange"]);
        (again.DestinationCreated, again.SubscriptionCreated, again.DeliversElsewhere).ShouldBe((false, false, false));
        again.Subscription.SubscriptionId.ShouldBe(first.Subscription.SubscriptionId);
        (await _source.Notifications.GetDestinationsAsync()).Select(d => d.QueueArn).ShouldBe([arn]);
    }

    [Fact]
    public async Task AQueueWithoutAmazonsPolicy_IsRefused_WithWhatThePolicyNeeds()
    {
        var (_, arn) = await QueueForAmazonAsync(_sqs, "no-policy", withPolicy: false);

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => _source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = arn }));

        error.Message.ShouldContain("437568002678");
        error.Message.ShouldContain("sqs:SendMessage");
        error.RequestId.ShouldNotBeNullOrEmpty();
        _emulator.SellingPartner.Notifications.Destinations().ShouldBeEmpty();
    }

    [Fact]
    public async Task AFifoQueue_IsRefusedBeforeAnyRequest()
    {
        var before = _emulator.SellingPartner.Notifications.Requests;

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => _source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = "arn:aws:sqs:us-west-2:123456789012:changes.fifo" }));

        error.Message.ShouldContain("FIFO");
        _emulator.SellingPartner.Notifications.Requests.ShouldBe(before);
    }

    [Fact]
    public async Task AMarketplaceTheSellerDoesNotSellIn_IsRefused_WithTheFilterExplained()
    {
        var (_, arn) = await QueueForAmazonAsync(_sqs, "sp-order-changes");
        var foreign = new[] { "ATVPDKIKX0DER", "A1PA6795UKMFR9", "A1VC38T7YXB528", "A1F83G8C2ARO7P", "A2Q3Y263D00KWC", "A33AVAJ2PDY3EV", "A2EUQ1WTGCTBG2" }
            .First(m => !_emulator.SellingPartner.MarketplaceIdsOf(0).Contains(m));

        var error = await Should.ThrowAsync<InvalidOrderRequestException>(() => _source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = arn, MarketplaceIds = [foreign] }));

        error.Message.ShouldContain("refused the subscription's filter");
        error.Message.ShouldContain(foreign);
        (await _source.Notifications.GetSubscriptionAsync()).ShouldBeNull();
    }

    [Fact]
    public async Task Remove_DeletesTheSubscriptionAndTheDestination_AndRemovingAgainFindsNone()
    {
        var (_, arn) = await QueueForAmazonAsync(_sqs, "sp-order-changes");
        var setup = await _source.Notifications.SetUpOrderChangesAsync(new OrderChangeSubscriptionRequest { QueueArn = arn });

        var removed = await _source.Notifications.RemoveOrderChangesAsync(removeDestination: true);
        var again = await _source.Notifications.RemoveOrderChangesAsync(removeDestination: true);

        removed.ShouldNotBeNull().SubscriptionId.ShouldBe(setup.Subscription.SubscriptionId);
        again.ShouldBeNull();
        (await _source.Notifications.GetDestinationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheGrantlessOperations_TakeTheApplicationsToken_AndRefuseASellers()
    {
        using var http = new HttpClient { BaseAddress = _emulator.BaseAddress };
        var sellerToken = await TokenAsync(http, new()
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = _emulator.SellingPartner.Options.RefreshTokens[0],
        });
        var grantless = await TokenAsync(http, new() { ["grant_type"] = "client_credentials", ["scope"] = "sellingpartnerapi::notifications" });

        var withSellerToken = await GetAsync(http, "notifications/v1/destinations", sellerToken);
        var withGrantless = await GetAsync(http, "notifications/v1/destinations", grantless);
        var subscriptionWithGrantless = await GetAsync(http, "notifications/v1/subscriptions/ORDER_CHANGE", grantless);

        withSellerToken.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        withGrantless.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        subscriptionWithGrantless.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
    }

    private async Task<string> TokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        form["client_id"] = _emulator.SellingPartner.Options.ClientId;
        form["client_secret"] = _emulator.SellingPartner.Options.ClientSecret;
        using var response = await http.PostAsync("auth/o2/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-amz-access-token", token);
        return await http.SendAsync(request);
    }
}
