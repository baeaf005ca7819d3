namespace OrderHub.Emulator.SellingPartner.Reports;

/// <summary>The order report types the emulator serves, and what it knows of the others.</summary>
internal static class OrderReportTypes
{
    /// <summary>Every order placed in the window.</summary>
    public const string ByOrderDate = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL";

    /// <summary>Every order updated in the window.</summary>
    public const string ByLastUpdate = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL";

    /// <summary>Orders older than two years, placed in the window.</summary>
    public const string Archived = "GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE";

    /// <summary>The flat-file order reports, which the emulator serves.</summary>
    public static readonly string[] Served = [ByOrderDate, ByLastUpdate, Archived];

    /// <summary>The XML order reports: real report types, which the emulator does not serve.</summary>
    public static readonly string[] NotServed = ["GET_XML_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL", "GET_XML_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL"];

    /// <summary>How old an order may be for the general reports: they cover orders less than two years old.</summary>
    public static readonly TimeSpan GeneralReach = TimeSpan.FromDays(730);

    /// <summary>The longest window the emulator accepts (callers report refusals for longer ones).</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(30);

    /// <summary>Gets whether a report type's window is on the purchase date (else on the last update).</summary>
    /// <param name="reportType">A served report type.</param>
    /// <returns>Whether it selects by purchase date.</returns>
    public static bool ByPurchaseDate(string reportType) => reportType != ByLastUpdate;
}
