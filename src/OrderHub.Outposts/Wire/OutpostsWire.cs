using System.Text.Json.Serialization;

namespace OrderHub.Outposts.Wire;

// The JSON shapes of the Outposts order operations (rest-json, PascalCase members), as service-2.json defines them.
// Enumerations stay strings so that a value AWS adds later reads like any other.

// The envelope is read in the one pass that deserializes the order and finds its bytes (the raw payload).
internal sealed class OrderEnvelope
{
    [JsonConverter(typeof(OrderHub.Json.LocatedJsonConverter<OutpostsOrder>))]
    public OrderHub.Json.Located<OutpostsOrder> Order { get; set; }
}

internal sealed record OutpostsOrder
{
    public string? OutpostId { get; set; }
    public string? QuoteIdentifier { get; set; }
    public string? QuoteOptionIdentifier { get; set; }
    public string? OrderId { get; set; }
    public string? Status { get; set; }
    public IReadOnlyList<OutpostsLineItem>? LineItems { get; set; }
    public string? PaymentOption { get; set; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderSubmissionDate { get; set; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderFulfilledDate { get; set; }

    public string? PaymentTerm { get; set; }
    public string? OrderType { get; set; }
}

internal sealed record OutpostsLineItem
{
    public string? CatalogItemId { get; set; }
    public string? LineItemId { get; set; }
    public int? Quantity { get; set; }
    public string? Status { get; set; }
    public OutpostsShipmentInformation? ShipmentInformation { get; set; }
    public IReadOnlyList<OutpostsAssetInformation>? AssetInformationList { get; set; }
    public string? PreviousLineItemId { get; set; }
    public string? PreviousOrderId { get; set; }
}

internal sealed record OutpostsShipmentInformation
{
    public string? ShipmentTrackingNumber { get; set; }
    public string? ShipmentCarrier { get; set; }
}

internal sealed record OutpostsAssetInformation
{
    public string? AssetId { get; set; }
    public IReadOnlyList<string>? MacAddressList { get; set; }
}

internal sealed record ListOrdersOutput
{
    public IReadOnlyList<OutpostsOrderSummary>? Orders { get; set; }
    public string? NextToken { get; set; }
}

internal sealed record OutpostsOrderSummary
{
    public string? OutpostId { get; set; }
    public string? OrderId { get; set; }
    public string? OrderType { get; set; }
    public string? Status { get; set; }
    public IReadOnlyDictionary<string, int>? LineItemCountsByStatus { get; set; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderSubmissionDate { get; set; }

    [JsonConverter(typeof(AwsTimestampConverter))]
    public DateTimeOffset? OrderFulfilledDate { get; set; }
}

internal sealed record CreateOrderInput
{
    public required string OutpostIdentifier { get; set; }
    public string? QuoteIdentifier { get; set; }
    public string? QuoteOptionIdentifier { get; set; }
    public IReadOnlyList<LineItemRequest>? LineItems { get; set; }
    public required string PaymentOption { get; set; }
    public string? PaymentTerm { get; set; }
}

internal sealed record LineItemRequest(string CatalogItemId, int Quantity);

/// <summary>The members of an AWS rest-json error body that OrderHub reads.</summary>
internal sealed record AwsErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; set; }

    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? LowerMessage { get; set; }

    [JsonPropertyName("Message")]
    public string? Message { get; set; }

    public string? ResourceId { get; set; }

    public string? ResourceType { get; set; }
}
