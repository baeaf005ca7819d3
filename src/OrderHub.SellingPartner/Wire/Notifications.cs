using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

// The Notifications API v1 shapes OrderHub sends and reads (camelCase on the wire), each answer in its payload member.

internal sealed record CreateDestinationRequest(
    [property: JsonPropertyName("resourceSpecification")] DestinationResourceWire ResourceSpecification,
    [property: JsonPropertyName("name")] string Name);

internal sealed record DestinationResourceWire(
    [property: JsonPropertyName("sqs")] SqsResourceWire? Sqs);

internal sealed record SqsResourceWire(
    [property: JsonPropertyName("arn")] string? Arn);

internal sealed record DestinationWire(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("destinationId")] string? DestinationId,
    [property: JsonPropertyName("resource")] DestinationResourceWire? Resource);

internal sealed record DestinationResponse(
    [property: JsonPropertyName("payload")] DestinationWire? Payload);

internal sealed record DestinationsResponse(
    [property: JsonPropertyName("payload")] IReadOnlyList<DestinationWire?>? Payload);

internal sealed record CreateSubscriptionRequest(
    [property: JsonPropertyName("payloadVersion")] string PayloadVersion,
    [property: JsonPropertyName("destinationId")] string DestinationId,
    [property: JsonPropertyName("processingDirective")] ProcessingDirectiveWire? ProcessingDirective);

internal sealed record ProcessingDirectiveWire(
    [property: JsonPropertyName("eventFilter")] EventFilterWire? EventFilter);

internal sealed record EventFilterWire(
    [property: JsonPropertyName("eventFilterType")] string? EventFilterType,
    [property: JsonPropertyName("marketplaceIds")] IReadOnlyList<string>? MarketplaceIds,
    [property: JsonPropertyName("orderChangeTypes")] IReadOnlyList<string>? OrderChangeTypes);

internal sealed record SubscriptionWire(
    [property: JsonPropertyName("subscriptionId")] string? SubscriptionId,
    [property: JsonPropertyName("payloadVersion")] string? PayloadVersion,
    [property: JsonPropertyName("destinationId")] string? DestinationId,
    [property: JsonPropertyName("processingDirective")] ProcessingDirectiveWire? ProcessingDirective);

internal sealed record SubscriptionResponse(
    [property: JsonPropertyName("payload")] SubscriptionWire? Payload);
