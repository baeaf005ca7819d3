using OrderHub.Outposts.Wire;

namespace OrderHub.Outposts.Mapping;

/// <summary>Maps Outposts <c>Order</c>, <c>LineItem</c> and <c>OrderSummary</c> into the unified model, every member accounted for.</summary>
internal static class OutpostsMapper
{
    public static Order Map(OutpostsOrder wire, RawPayload raw, string sourceName) => new()
    {
        Source = sourceName,
        OrderId = wire.OrderId ?? string.Empty,
        AccountId = wire.OutpostId,
        Status = wire.Status is null ? new(OrderStatus.Unknown, string.Empty) : OutpostsValueMaps.OrderStatus.Map(wire.Status),
        Type = OutpostsValueMaps.OrderType.MapOptional(wire.OrderType),
        CreatedAt = wire.OrderSubmissionDate,
        FulfilledAt = wire.OrderFulfilledDate,
        QuoteId = wire.QuoteIdentifier,
        QuoteOptionId = wire.QuoteOptionIdentifier,
        Payment = wire.PaymentOption is null && wire.PaymentTerm is null
            ? null
            : new OrderPayment
            {
                Option = OutpostsValueMaps.PaymentOption.MapOptional(wire.PaymentOption),
                Term = OutpostsValueMaps.PaymentTerm.MapOptional(wire.PaymentTerm),
            },
        Lines = wire.LineItems?.Select(MapLine).ToArray() ?? [],
        RawPayload = raw,
    };

    public static OrderSummary Map(OutpostsOrderSummary wire, RawPayload raw, string sourceName) => new()
    {
        Source = sourceName,
        OrderId = wire.OrderId ?? string.Empty,
        AccountId = wire.OutpostId,
        Status = wire.Status is null ? new(OrderStatus.Unknown, string.Empty) : OutpostsValueMaps.OrderStatus.Map(wire.Status),
        Type = OutpostsValueMaps.OrderType.MapOptional(wire.OrderType),
        CreatedAt = wire.OrderSubmissionDate,
        FulfilledAt = wire.OrderFulfilledDate,
        LineCountsByStatus = wire.LineItemCountsByStatus ?? new Dictionary<string, int>(),
        RawPayload = raw,
    };

    private static OrderLine MapLine(OutpostsLineItem line) => new()
    {
        LineId = line.LineItemId,
        CatalogItemId = line.CatalogItemId,
        Quantity = line.Quantity,
        Status = OutpostsValueMaps.LineItemStatus.MapOptional(line.Status),
        Shipment = line.ShipmentInformation is { } shipment
            ? new LineShipment(OutpostsValueMaps.ShipmentCarrier.MapOptional(shipment.ShipmentCarrier), shipment.ShipmentTrackingNumber)
            : null,
        Assets = line.AssetInformationList?.Select(a => new LineAsset(a.AssetId, a.MacAddressList ?? [])).ToArray() ?? [],
        ReplacesOrderId = line.PreviousOrderId,
        ReplacesLineId = line.PreviousLineItemId,
    };
}
