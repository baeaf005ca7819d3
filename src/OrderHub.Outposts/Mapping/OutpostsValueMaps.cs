using OrderHub.Providers;

namespace OrderHub.Outposts.Mapping;

/// <summary>The Outposts enumerations and the unified members they map to (the README's tables).</summary>
internal static class OutpostsValueMaps
{
    public static ProviderValueMap<OrderStatus> OrderStatus { get; } = new(new Dictionary<string, OrderStatus>
    {
        ["RECEIVED"] = OrderHub.OrderStatus.Pending, // deprecated
        ["PENDING"] = OrderHub.OrderStatus.Pending, // deprecated
        ["PREPARING"] = OrderHub.OrderStatus.Pending,
        ["PROCESSING"] = OrderHub.OrderStatus.InProgress, // deprecated
        ["INSTALLING"] = OrderHub.OrderStatus.InProgress, // deprecated
        ["IN_PROGRESS"] = OrderHub.OrderStatus.InProgress,
        ["DELIVERED"] = OrderHub.OrderStatus.Delivered,
        ["FULFILLED"] = OrderHub.OrderStatus.Completed, // deprecated
        ["COMPLETED"] = OrderHub.OrderStatus.Completed,
        ["CANCELLED"] = OrderHub.OrderStatus.Cancelled,
        ["ERROR"] = OrderHub.OrderStatus.Failed,
    });

    public static ProviderValueMap<OrderLineStatus> LineItemStatus { get; } = new(new Dictionary<string, OrderLineStatus>
    {
        ["PREPARING"] = OrderLineStatus.Pending,
        ["BUILDING"] = OrderLineStatus.InProgress,
        ["SHIPPED"] = OrderLineStatus.Shipped,
        ["DELIVERED"] = OrderLineStatus.Delivered,
        ["INSTALLING"] = OrderLineStatus.Installing,
        ["INSTALLED"] = OrderLineStatus.Installed,
        ["ERROR"] = OrderLineStatus.Failed,
        ["CANCELLED"] = OrderLineStatus.Cancelled,
        ["REPLACED"] = OrderLineStatus.Replaced,
    });

    public static ProviderValueMap<OrderType> OrderType { get; } = new(new Dictionary<string, OrderType>
    {
        ["OUTPOST"] = OrderHub.OrderType.Standard,
        ["REPLACEMENT"] = OrderHub.OrderType.Replacement,
    });

    public static ProviderValueMap<PaymentOption> PaymentOption { get; } = new(new Dictionary<string, PaymentOption>
    {
        ["ALL_UPFRONT"] = OrderHub.PaymentOption.AllUpfront,
        ["NO_UPFRONT"] = OrderHub.PaymentOption.NoUpfront,
        ["PARTIAL_UPFRONT"] = OrderHub.PaymentOption.PartialUpfront,
    });

    public static ProviderValueMap<PaymentTerm> PaymentTerm { get; } = new(new Dictionary<string, PaymentTerm>
    {
        ["ONE_YEAR"] = OrderHub.PaymentTerm.OneYear,
        ["THREE_YEARS"] = OrderHub.PaymentTerm.ThreeYears,
        ["FIVE_YEARS"] = OrderHub.PaymentTerm.FiveYears,
    });

    public static ProviderValueMap<ShipmentCarrier> ShipmentCarrier { get; } = new(new Dictionary<string, ShipmentCarrier>
    {
        ["DHL"] = OrderHub.ShipmentCarrier.Dhl,
        ["DBS"] = OrderHub.ShipmentCarrier.Dbs,
        ["FEDEX"] = OrderHub.ShipmentCarrier.FedEx,
        ["UPS"] = OrderHub.ShipmentCarrier.Ups,
        ["EXPEDITORS"] = OrderHub.ShipmentCarrier.Expeditors,
    });

    /// <summary>The wire strings of the unified payment members, for requests.</summary>
    public static string ToWire(PaymentOption option) => option switch
    {
        OrderHub.PaymentOption.AllUpfront => "ALL_UPFRONT",
        OrderHub.PaymentOption.NoUpfront => "NO_UPFRONT",
        OrderHub.PaymentOption.PartialUpfront => "PARTIAL_UPFRONT",
        _ => throw new ArgumentOutOfRangeException(nameof(option), option, "Expected AllUpfront, NoUpfront or PartialUpfront."),
    };

    /// <summary>The wire strings of the unified payment terms, for requests.</summary>
    public static string ToWire(PaymentTerm term) => term switch
    {
        OrderHub.PaymentTerm.OneYear => "ONE_YEAR",
        OrderHub.PaymentTerm.ThreeYears => "THREE_YEARS",
        OrderHub.PaymentTerm.FiveYears => "FIVE_YEARS",
        _ => throw new ArgumentOutOfRangeException(nameof(term), term, "Expected OneYear, ThreeYears or FiveYears."),
    };
}
