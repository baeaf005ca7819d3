namespace OrderHub.SellingPartner.Mapping;

/// <summary>The Selling Partner Orders API enumerations and the unified members they map to (the README's tables).</summary>
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
    });

    public static ProviderValueMap<AddressType> AddressType { get; } = new(new Dictionary<string, AddressType>
    {
        ["Residential"] = OrderHub.AddressType.Residential,
        ["Commercial"] = OrderHub.AddressType.Commercial,
    });
}
