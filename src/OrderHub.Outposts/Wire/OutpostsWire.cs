using System.Text.Json.Serialization;

namespace OrderHub.Outposts.Wire;

// The JSON shapes of the Outposts order operations (rest-json, PascalCase members), as service-2.json defines them.
// Enumerations stay strings so that a value AWS adds later reads like any other.

internal sealed record OrderEnvelope
{
    public OutpostsOrder? Order { get; init; }
}

internal sealed record OutpostsOrder
{
    public string? OutpostId { get; init; }
    public string? QuoteIdentifier { get; init; }
    public string? QuoteOptionIdentifier { get; init; }
    public string? OrderId { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<OutpostsLineItem>? LineItems { get; init; }
    public string? PaymentOption { get; init; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderSubmissionDate { get; init; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderFulfilledDate { get; init; }

    public string? PaymentTerm { get; init; }
    public string? OrderType { get; init; }
}

internal sealed record OutpostsLineItem
{
    public string? CatalogItemId { get; init; }
    public string? LineItemId { get; init; }
    public int? Quantity { get; init; }
    public string? Status { get; init; }
    public OutpostsShipmentInformation? ShipmentInformation { get; init; }
    public IReadOnlyList<OutpostsAssetInformation>? AssetInformationList { get; init; }
    public string? PreviousLineItemId { get; init; }
    public string? PreviousOrderId { get; init; }
}

internal sealed record OutpostsShipmentInformation
{
    public string? ShipmentTrackingNumber { get; init; }
    public string? ShipmentCarrier { get; init; }
}

internal sealed record OutpostsAssetInformation
{
    public string? AssetId { get; init; }
    public IReadOnlyList<string>? MacAddressList { get; init; }
}

internal sealed record ListOrdersOutput
{
    public IReadOnlyList<OutpostsOrderSummary>? Orders { get; init; }
    public string? NextToken { get; init; }
}

internal sealed record OutpostsOrderSummary
{
    public string? OutpostId { get; init; }
    public string? OrderId { get; init; }
    public string? OrderType { get; init; }
    public string? Status { get; init; }
    public IReadOnlyDictionary<string, int>? LineItemCountsByStatus { get; init; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderSubmissionDate { get; init; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderFulfilledDate { get; init; }
}

internal sealed record CreateOrderInput
{
    public required string OutpostIdentifier { get; init; }
    public string? QuoteIdentifier { get; init; }
    public string? QuoteOptionIdentifier { get; init; }
    public IReadOnlyList<LineItemRequest>? LineItems { get; init; }
    public required string PaymentOption { get; init; }
    public string? PaymentTerm { get; init; }
}

internal sealed record LineItemRequest(string CatalogItemId, int Quantity);

/// <summary>The members of an AWS rest-json error body that OrderHub reads.</summary>
internal sealed record AwsErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }

    [JsonPropertyName("code")]
    public string? Code { get; init; }

    [JsonPropertyName("message")]
    public string? LowerMessage { get; init; }

    [JsonPropertyName("Message")]
    public string? Message { get; init; }

    public string? ResourceId { get; init; }

    public string? ResourceType { get; init; }
}
