namespace OrderHub.SellingPartner;

/// <summary>The order reports of the Reports API 2021-06-30 a Selling Partner source backfills through.</summary>
public static class SellingPartnerOrderReports
{
    /// <summary>Every order placed in the window, for windows less than two years old (tab-separated).</summary>
    public const string ByOrderDate = "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL";

    /// <summary>Every order placed in the window, for windows older than two years (tab-separated, the same columns).</summary>
    public const string ArchivedByOrderDate = "GET_FLAT_FILE_ARCHIVED_ORDERS_DATA_BY_ORDER_DATE";

    /// <summary>
    /// The <see cref="SellingPartnerOrderDetails.ApiVersion"/> of an order read from an order report
    /// (<c>reports-2021-06-30</c>): a <see cref="OrderCompleteness.Partial"/> copy, not an Orders API version.
    /// </summary>
    public const string ApiVersion = "reports-2021-06-30";
}
