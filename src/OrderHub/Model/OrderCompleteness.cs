namespace OrderHub;

/// <summary>How much of an order a copy holds.</summary>
public enum OrderCompleteness
{
    /// <summary>The whole order as its provider's order API gives it (getOrder, searchOrders, GetOrder, ListOrders).</summary>
    Full = 0,

    /// <summary>
    /// What a bulk export holds (for Selling Partner, an order report's rows): enough to list, count, filter and total,
    /// but without what only the order API has (item ids, marketplace id, order total, payment, ship-by windows). A
    /// store never lets a partial copy replace a full one of the same or a newer update.
    /// </summary>
    Partial,
}
