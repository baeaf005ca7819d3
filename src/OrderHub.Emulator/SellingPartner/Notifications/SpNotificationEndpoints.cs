using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OrderHub.Emulator.SellingPartner.Notifications;

/// <summary>
/// The Notifications API v1, as the emulator answers it for <c>ORDER_CHANGE</c> to SQS destinations: destinations are
/// the application's, behind a grantless token of the scope <c>sellingpartnerapi::notifications</c>; a subscription is
/// a seller's, created and read with the seller's token and deleted by id with the grantless token. A destination is
/// refused, as Amazon refuses it, when its queue is FIFO, does not exist, or lets Amazon's account not send to it.
/// </summary>
internal static partial class SpNotificationEndpoints
{
    private const string Base = "/notifications/v1";
    private const string Scope = "sellingpartnerapi::notifications";
    private const string PayloadVersion = "1.0";

    public static void Map(IEndpointRouteBuilder app, SpEmulatorState state)
    {
        app.MapGet($"{Base}/destinations", (HttpContext http) => Grantless(http, state, "getDestinations", () => GetDestinations(state)));
        app.MapPost($"{Base}/destinations", (Delegate)((HttpContext http) => GrantlessAsync(http, state, "createDestination", body => CreateDestination(state, body))));
        app.MapGet($"{Base}/destinations/{{destinationId}}", (HttpContext http, string destinationId) => Grantless(http, state, "getDestination", () => GetDestination(state, destinationId)));
        app.MapDelete($"{Base}/destinations/{{destinationId}}", (HttpContext http, string destinationId) => Grantless(http, state, "deleteDestination", () => DeleteDestination(state, destinationId)));
        app.MapGet($"{Base}/subscriptions/{{notificationType}}", (HttpContext http, string notificationType) => Seller(http, state, "getSubscription", seller => GetSubscription(http, state, seller, notificationType)));
        app.MapPost($"{Base}/subscriptions/{{notificationType}}", (HttpContext http, string notificationType) => SellerAsync(http, state, "createSubscription", (seller, body) => CreateSubscription(state, seller, notificationType, body)));
        app.MapGet($"{Base}/subscriptions/{{notificationType}}/{{subscriptionId}}", (HttpContext http, string notificationType, string subscriptionId) => Grantless(http, state, "getSubscriptionById", () => GetSubscriptionById(state, notificationType, subscriptionId)));
        app.MapDelete($"{Base}/subscriptions/{{notificationType}}/{{subscriptionId}}", (HttpContext http, string notificationType, string subscriptionId) => Grantless(http, state, "deleteSubscriptionById", () => DeleteSubscriptionById(state, notificationType, subscriptionId)));
    }

    private static IResult Grantless(HttpContext http, SpEmulatorState state, string operation, Func<IResult> handle) =>
        Admit(http, state, operation, Scope, out _) ?? handle();

    private static async Task<IResult> GrantlessAsync(HttpContext http, SpEmulatorState state, string operation, Func<JsonObject, IResult> handle)
    {
        if (Admit(http, state, operation, Scope, out _) is { } refused)
        {
            return refused;
        }

        return await ReadBodyAsync(http) is { } body ? handle(body) : Invalid("The request body must be a JSON object.");
    }

    private static IResult Seller(HttpContext http, SpEmulatorState state, string operation, Func<string, IResult> handle) =>
        Admit(http, state, operation, grantlessScope: null, out var token) ?? handle(token.Seller);

    private static async Task<IResult> SellerAsync(HttpContext http, SpEmulatorState state, string operation, Func<string, JsonObject, IResult> handle)
    {
        if (Admit(http, state, operation, grantlessScope: null, out var token) is { } refused)
        {
            return refused;
        }

        return await ReadBodyAsync(http) is { } body ? handle(token.Seller, body) : Invalid("The request body must be a JSON object.");
    }

    // What every operation passes first: authentication with the right kind of token, then the operation's usage plan
    // (per seller for a seller's token, per application for the grantless one).
    private static IResult? Admit(HttpContext http, SpEmulatorState state, string operation, string? grantlessScope, out IssuedToken token)
    {
        token = null!;
        state.Notifications.CountRequest();
        SpEndpoints.AddRequestId(http);
        if (SpEndpoints.Authenticate(http, state, grantlessScope) is { } denied)
        {
            return denied;
        }

        token = (IssuedToken)http.Items[nameof(IssuedToken)]!;
        var options = state.Notifications.Options;
        var caller = grantlessScope is null ? token.Seller : "application";
        if (!state.QuotaFor(caller, "notifications:" + operation, options.Rate, options.Burst).TryAdmit(out _))
        {
            state.CountThrottled();
            return SpEndpoints.Errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
        }

        if (state.Options.SendRateLimitHeader)
        {
            http.Response.Headers["x-amzn-RateLimit-Limit"] = options.Rate.ToString(CultureInfo.InvariantCulture);
        }

        return null;
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult GetDestinations(SpEmulatorState state) =>
        Results.Json(new JsonObject { ["payload"] = new JsonArray([.. state.Notifications.Destinations().Select(ToJson)]) });

    private static IResult GetDestination(SpEmulatorState state, string destinationId) =>
        state.Notifications.Destination(destinationId) is { } destination
            ? Results.Json(new JsonObject { ["payload"] = ToJson(destination) })
            : SpEndpoints.Errors(404, "NotFound", "The resource you requested does not exist.", $"No destination {destinationId}.");

    private static IResult CreateDestination(SpEmulatorState state, JsonObject body)
    {
        if (body["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length is 0 or > 256)
        {
            return Invalid("name is required: a name of 1 to 256 characters for the destination.");
        }

        var specification = body["resourceSpecification"] as JsonObject;
        if (specification?["eventBridge"] is not null)
        {
            return Invalid("The emulator delivers to SQS destinations only (resourceSpecification.sqs).");
        }

        if (specification?["sqs"]?["arn"] is not JsonValue arnValue || !arnValue.TryGetValue<string>(out var arn) || arn.Length > 1000 || !SqsArn().IsMatch(arn))
        {
            return Invalid("resourceSpecification.sqs.arn is required: an SQS queue's ARN, arn:aws:sqs:<region>:<account>:<queue name>.");
        }

        if (arn.EndsWith(".fifo", StringComparison.Ordinal))
        {
            return Invalid("FIFO queues are not supported as a destination: use a standard SQS queue.");
        }

        if (state.Notifications.Queues.FindByArn(arn) is not { } queue)
        {
            return Invalid($"Unable to access the SQS queue {arn}: it does not exist, or is in another account or region.");
        }

        if (!LetsAmazonSend(queue.Policy, arn))
        {
            return Invalid($"Unable to send to the SQS queue {arn}: its access policy does not allow the account {SpNotificationState.AmazonAccount} sqs:SendMessage and sqs:GetQueueAttributes.");
        }

        return state.Notifications.CreateDestination(name, arn) is { } created
            ? Results.Json(new JsonObject { ["payload"] = ToJson(created) })
            : SpEndpoints.Errors(409, "Conflict", "A destination with the same resource already exists.", $"The queue {arn} is already a destination.");
    }

    private static IResult DeleteDestination(SpEmulatorState state, string destinationId) => state.Notifications.DeleteDestination(destinationId) switch
    {
        true => Results.Json(new JsonObject()),
        false => SpEndpoints.Errors(404, "NotFound", "The resource you requested does not exist.", $"No destination {destinationId}."),
        null => SpEndpoints.Errors(409, "Conflict", "The destination is in use.", "Delete the subscriptions that deliver to it first."),
    };

    private static IResult GetSubscription(HttpContext http, SpEmulatorState state, string seller, string notificationType)
    {
        if (notificationType != SpNotificationState.OrderChange)
        {
            return UnknownType(notificationType);
        }

        var payloadVersion = http.Request.Query["payloadVersion"].ToString();
        if (payloadVersion.Length > 0 && payloadVersion != PayloadVersion)
        {
            return Invalid($"payloadVersion {payloadVersion} is not a version of {notificationType}: expected {PayloadVersion}.");
        }

        return state.Notifications.SubscriptionOf(seller) is { } subscription
            ? Results.Json(new JsonObject { ["payload"] = ToJson(subscription) })
            : SpEndpoints.Errors(404, "NotFound", "The resource you requested does not exist.", $"The selling partner has no {notificationType} subscription.");
    }

    private static IResult CreateSubscription(SpEmulatorState state, string seller, string notificationType, JsonObject body)
    {
        if (notificationType != SpNotificationState.OrderChange)
        {
            return UnknownType(notificationType);
        }

        var payloadVersion = (body["payloadVersion"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? body["payloadVersion"]!.GetValue<string>() : null;
        var destinationId = (body["destinationId"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? body["destinationId"]!.GetValue<string>() : null;
        if (payloadVersion is null || destinationId is null)
        {
            return Invalid("payloadVersion and destinationId are required.");
        }

        if (payloadVersion != PayloadVersion)
        {
            return Invalid($"payloadVersion {payloadVersion} is not a version of {notificationType}: expected {PayloadVersion}.");
        }

        if (state.Notifications.Destination(destinationId) is null)
        {
            return Invalid($"The destination {destinationId} does not exist.");
        }

        var directive = body["processingDirective"] as JsonObject;
        if (ReadFilter(state, seller, directive, out var marketplaceIds, out var changeTypes) is { } refused)
        {
            return refused;
        }

        var subscription = state.Notifications.Subscribe(seller, destinationId, payloadVersion, (JsonObject?)directive?.DeepClone(), marketplaceIds, changeTypes);
        return subscription is not null
            ? Results.Json(new JsonObject { ["payload"] = ToJson(subscription) })
            : SpEndpoints.Errors(409, "Conflict", "The resource already exists.", $"The selling partner already has a {notificationType} subscription.");
    }

    // ORDER_CHANGE takes an eventFilter of its own type, with the seller's marketplaces and the documented change
    // types; an aggregation belongs to other notification types, and a filter expression is not supported here.
    private static IResult? ReadFilter(SpEmulatorState state, string seller, JsonObject? directive, out IReadOnlySet<string> marketplaceIds, out IReadOnlySet<string> changeTypes)
    {
        marketplaceIds = new HashSet<string>(StringComparer.Ordinal);
        changeTypes = new HashSet<string>(StringComparer.Ordinal);
        if (directive is null)
        {
            return null;
        }

        if (directive["filterExpression"] is not null)
        {
            return Invalid("processingDirective.filterExpression is not supported for ORDER_CHANGE.");
        }

        if (directive["eventFilter"] is not JsonObject filter)
        {
            return directive.Count == 0 ? null : Invalid("processingDirective takes an eventFilter.");
        }

        if (filter["eventFilterType"]?.GetValueKind() != JsonValueKind.String || filter["eventFilterType"]!.GetValue<string>() != SpNotificationState.OrderChange)
        {
            return Invalid("processingDirective.eventFilter.eventFilterType must be ORDER_CHANGE for an ORDER_CHANGE subscription.");
        }

        if (filter["aggregationSettings"] is not null)
        {
            return Invalid("aggregationSettings is not supported for ORDER_CHANGE.");
        }

        var sellerMarketplaces = state.MarketplaceIdsOf(state.Sellers.IndexOf(seller)).ToHashSet(StringComparer.Ordinal);
        if (Strings(filter["marketplaceIds"]) is not { } marketplaces)
        {
            return Invalid("eventFilter.marketplaceIds must be an array of marketplace ids.");
        }

        if (marketplaces.FirstOrDefault(m => !sellerMarketplaces.Contains(m)) is { } foreign)
        {
            return Invalid($"The marketplace {foreign} is not one the selling partner sells in.");
        }

        if (Strings(filter["orderChangeTypes"]) is not { } types)
        {
            return Invalid("eventFilter.orderChangeTypes must be an array of order change types.");
        }

        if (types.FirstOrDefault(t => !SpNotificationState.OrderChangeTypes.Contains(t, StringComparer.Ordinal)) is { } unknown)
        {
            return Invalid($"{unknown} is not an order change type: expected {string.Join(", ", SpNotificationState.OrderChangeTypes)}.");
        }

        marketplaceIds = marketplaces.ToHashSet(StringComparer.Ordinal);
        changeTypes = types.ToHashSet(StringComparer.Ordinal);
        return null;
    }

    private static string[]? Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array when array.All(i => i?.GetValueKind() == JsonValueKind.String) => [.. array.Select(i => i!.GetValue<string>())],
        _ => null,
    };

    private static IResult GetSubscriptionById(SpEmulatorState state, string notificationType, string subscriptionId) =>
        notificationType != SpNotificationState.OrderChange ? UnknownType(notificationType)
        : state.Notifications.SubscriptionById(subscriptionId) is { } subscription ? Results.Json(new JsonObject { ["payload"] = ToJson(subscription) })
        : SpEndpoints.Errors(404, "NotFound", "The resource you requested does not exist.", $"No subscription {subscriptionId}.");

    private static IResult DeleteSubscriptionById(SpEmulatorState state, string notificationType, string subscriptionId) =>
        notificationType != SpNotificationState.OrderChange ? UnknownType(notificationType)
        : state.Notifications.Unsubscribe(subscriptionId) ? Results.Json(new JsonObject())
        : SpEndpoints.Errors(404, "NotFound", "The resource you requested does not exist.", $"No subscription {subscriptionId}.");

    // Whether a queue policy lets Amazon's account send: a statement that allows the account (or its root) to call
    // sqs:SendMessage (or sqs:*) on the queue (or *).
    private static bool LetsAmazonSend(string? policy, string arn)
    {
        if (policy is null)
        {
            return false;
        }

        JsonNode? document;
        try
        {
            document = JsonNode.Parse(policy);
        }
        catch (JsonException)
        {
            return false;
        }

        var statements = document?["Statement"] switch
        {
            JsonArray many => many.OfType<JsonObject>(),
            JsonObject one => [one],
            _ => [],
        };
        return statements.Any(s =>
            Values(s["Effect"]).Contains("Allow")
            && Values(s["Principal"]?["AWS"]).Any(p => p == SpNotificationState.AmazonAccount || p == $"arn:aws:iam::{SpNotificationState.AmazonAccount}:root")
            && Values(s["Action"]).Any(a => a is "sqs:SendMessage" or "sqs:*" or "*")
            && Values(s["Resource"]).Any(r => r == arn || r == "*"));
    }

    private static string[] Values(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(i => i?.GetValueKind() == JsonValueKind.String ? i.GetValue<string>() : string.Empty)],
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    private static JsonObject ToJson(EmulatedDestination destination) => new()
    {
        ["name"] = destination.Name,
        ["destinationId"] = destination.DestinationId,
        ["resource"] = new JsonObject { ["sqs"] = new JsonObject { ["arn"] = destination.QueueArn } },
    };

    private static JsonObject ToJson(EmulatedSubscription subscription)
    {
        var json = new JsonObject
        {
            ["subscriptionId"] = subscription.SubscriptionId,
            ["payloadVersion"] = subscription.PayloadVersion,
            ["destinationId"] = subscription.DestinationId,
        };
        if (subscription.ProcessingDirective is { } directive)
        {
            json["processingDirective"] = directive.DeepClone();
        }

        return json;
    }

    private static IResult UnknownType(string notificationType) =>
        Invalid($"The emulator delivers ORDER_CHANGE notifications only, not {notificationType}.");

    // Amazon says what is wrong in the message itself (for example the queue it cannot reach), which clients show.
    private static IResult Invalid(string message) => SpEndpoints.Errors(400, "InvalidInput", message);

    [GeneratedRegex(@"^arn:aws:sqs:\S+:\S+:\S+", RegexOptions.CultureInvariant)]
    private static partial Regex SqsArn();
}
