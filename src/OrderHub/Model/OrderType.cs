namespace OrderHub;

/// <summary>The unified kind of an order.</summary>
public enum OrderType
{
    /// <summary>A kind this version of OrderHub does not know; the provider's string is kept beside it.</summary>
    Unknown = 0,

    /// <summary>An ordinary order for goods in stock (Selling Partner <c>StandardOrder</c>, Outposts <c>OUTPOST</c>).</summary>
    Standard,

    /// <summary>An order that replaces an earlier order or its lines.</summary>
    Replacement,

    /// <summary>An order for items released in the future.</summary>
    Preorder,

    /// <summary>An order for items with a long lead time to ship.</summary>
    LongLeadTime,

    /// <summary>An order for released items that are out of stock for now.</summary>
    BackOrder,

    /// <summary>A sourcing-on-demand order.</summary>
    SourcingOnDemand,
}
