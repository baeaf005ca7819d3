using OrderHub.Providers;

namespace OrderHub.SellingPartner.Mapping;

/// <summary>
/// The Selling Partner Orders API enumerations, v0 and 2026-01-01, and the unified members they map to (the README's
/// tables). Maps ignore case, so 2026-01-01's <c>SHIPPED</c> finds v0's <c>Shipped</c>; only spellings that differ
/// otherwise are listed twice.
/// </summary>
internal static class SellingPartnerValueMaps
{
    public static ProviderValueMap<OrderStatus> OrderStatus { get; } = new(new Dictionary<string, OrderStatus>
    {
        ["Pending"] = OrderHub.OrderStatus.Pending,
        ["PendingAvailability"] = OrderHub.OrderStatus.Pending,
        ["Unshipped"] = OrderHub.OrderStatus.InProgress,
        ["PartiallyShipped"] = OrderHub.OrderStatus.PartiallyShipped,
        ["Shipped"] = OrderHub.OrderStatus.Shipped,
        ["InvoiceUnconfirmed"] = OrderHub.OrderStatus.Shipped,
        ["Canceled"] = OrderHub.OrderStatus.Cancelled,
        ["Unfulfillable"] = OrderHub.OrderStatus.Failed,

        // 2026-01-01 fulfillmentStatus
        ["PENDING_AVAILABILITY"] = OrderHub.OrderStatus.Pending,
        ["PARTIALLY_SHIPPED"] = OrderHub.OrderStatus.PartiallyShipped,
        ["CANCELLED"] = OrderHub.OrderStatus.Cancelled,
    });

    // An order report's order-status, in words. Amazon adds what became of a shipment after a dash ("Shipped -
    // Delivered to Buyer"); such a value not listed here is still Shipped (ReportStatus), with the words kept.
    public static ProviderValueMap<OrderStatus> ReportOrderStatus { get; } = new(new Dictionary<string, OrderStatus>
    {
        ["Pending"] = OrderHub.OrderStatus.Pending,
        ["Pending - Waiting for Pick Up"] = OrderHub.OrderStatus.Pending,
        ["Unshipped"] = OrderHub.OrderStatus.InProgress,
        ["Shipping"] = OrderHub.OrderStatus.PartiallyShipped,
        ["PartiallyShipped"] = OrderHub.OrderStatus.PartiallyShipped,
        ["Shipped"] = OrderHub.OrderStatus.Shipped,
        ["Shipped - Delivered to Buyer"] = OrderHub.OrderStatus.Delivered,
        ["Cancelled"] = OrderHub.OrderStatus.Cancelled,
        ["Canceled"] = OrderHub.OrderStatus.Cancelled,
    });

    // An order report's item-status.
    public static ProviderValueMap<OrderLineStatus> ReportItemStatus { get; } = new(new Dictionary<string, OrderLineStatus>
    {
        ["Pending"] = OrderLineStatus.Pending,
        ["Unshipped"] = OrderLineStatus.Pending,
        ["Shipped"] = OrderLineStatus.Shipped,
        ["Cancelled"] = OrderLineStatus.Cancelled,
        ["Canceled"] = OrderLineStatus.Cancelled,
    });

    /// <summary>Maps an order report's <c>order-status</c>: the table, then any other <c>Shipped - ...</c> as shipped; anything else is unknown, with its words kept.</summary>
    public static ProviderValue<OrderStatus> ReportStatus(string raw)
    {
        var mapped = ReportOrderStatus.Map(raw);
        return !mapped.IsKnown && raw.StartsWith("Shipped - ", StringComparison.OrdinalIgnoreCase)
            ? new ProviderValue<OrderStatus>(OrderHub.OrderStatus.Shipped, raw)
            : mapped;
    }

    // 2026-01-01 has no order type: a pre-order is marked by its program.
    public static ProviderValueMap<OrderType> ProgramOrderType { get; } = new(new Dictionary<string, OrderType>
    {
        ["PREORDER"] = OrderHub.OrderType.Preorder,
    });

    // 2026-01-01 packageStatus.status, the status of the lines a package carries.
    public static ProviderValueMap<OrderLineStatus> PackageStatus { get; } = new(new Dictionary<string, OrderLineStatus>
    {
        ["PENDING"] = OrderLineStatus.Pending,
        ["IN_TRANSIT"] = OrderLineStatus.Shipped,
        ["SHIPPED"] = OrderLineStatus.Shipped,
        ["DELIVERED"] = OrderLineStatus.Delivered,
        ["CANCELLED"] = OrderLineStatus.Cancelled,
        ["UNDELIVERABLE"] = OrderLineStatus.Failed,
    });

    public static ProviderValueMap<ShipmentCarrier> Carrier { get; } = new(new Dictionary<string, ShipmentCarrier>
    {
        ["UPS"] = ShipmentCarrier.Ups,
        ["FedEx"] = ShipmentCarrier.FedEx,
        ["DHL"] = ShipmentCarrier.Dhl,
    });

    public static ProviderValueMap<OrderType> OrderType { get; } = new(new Dictionary<string, OrderType>
    {
        ["StandardOrder"] = OrderHub.OrderType.Standard,
        ["LongLeadTimeOrder"] = OrderHub.OrderType.LongLeadTime,
        ["Preorder"] = OrderHub.OrderType.Preorder,
        ["BackOrder"] = OrderHub.OrderType.BackOrder,
        ["SourcingOnDemandOrder"] = OrderHub.OrderType.SourcingOnDemand,
    });

    public static ProviderValueMap<PaymentMethod> PaymentMethod { get; } = new(new Dictionary<string, PaymentMethod>
    {
        ["COD"] = OrderHub.PaymentMethod.CashOnDelivery,
        ["CVS"] = OrderHub.PaymentMethod.ConvenienceStore,
        ["Other"] = OrderHub.PaymentMethod.Other,
    });

    public static ProviderValueMap<FulfillmentChannel> FulfillmentChannel { get; } = new(new Dictionary<string, FulfillmentChannel>
    {
        ["MFN"] = SellingPartner.FulfillmentChannel.Merchant,
        ["AFN"] = SellingPartner.FulfillmentChannel.Amazon,

        // 2026-01-01 fulfilledBy
        ["MERCHANT"] = SellingPartner.FulfillmentChannel.Merchant,
        ["AMAZON"] = SellingPartner.FulfillmentChannel.Amazon,
    });

    public static ProviderValueMap<AddressType> AddressType { get; } = new(new Dictionary<string, AddressType>
    {
        ["Residential"] = OrderHub.AddressType.Residential,
        ["Commercial"] = OrderHub.AddressType.Commercial,
        ["PICKUP_POINT"] = OrderHub.AddressType.PickupPoint,
    });
}
