using CsvHelper;

namespace OrderHub.SellingPartner.Reports;

/// <summary>
/// Where each column OrderHub reads sits in one report's header, found by name (an exact match, else ignoring case and
/// surrounding spaces); -1 for a column the report does not have. Any other column is kept in the raw payload only.
/// </summary>
internal readonly record struct OrderReportColumns
{
    public const string AmazonOrderId = "amazon-order-id";
    public const string PurchaseDateName = "purchase-date";

    public int OrderId { get; init; }

    public int MerchantOrderId { get; init; }

    public int PurchaseDate { get; init; }

    public int LastUpdatedDate { get; init; }

    public int OrderStatus { get; init; }

    public int FulfillmentChannel { get; init; }

    public int SalesChannel { get; init; }

    public int OrderChannel { get; init; }

    public int ShipServiceLevel { get; init; }

    public int ProductName { get; init; }

    public int Sku { get; init; }

    public int Asin { get; init; }

    public int NumberOfItems { get; init; }

    public int ItemStatus { get; init; }

    public int TaxCollectionModel { get; init; }

    public int TaxCollectionResponsibleParty { get; init; }

    public int Quantity { get; init; }

    public int Currency { get; init; }

    public int ItemPrice { get; init; }

    public int ItemTax { get; init; }

    public int ShippingPrice { get; init; }

    public int ShippingTax { get; init; }

    public int GiftWrapPrice { get; init; }

    public int GiftWrapTax { get; init; }

    public int ItemPromotionDiscount { get; init; }

    public int ShipPromotionDiscount { get; init; }

    public int AddressType { get; init; }

    public int ShipCity { get; init; }

    public int ShipState { get; init; }

    public int ShipPostalCode { get; init; }

    public int ShipCountry { get; init; }

    public int PromotionIds { get; init; }

    public int IsBusinessOrder { get; init; }

    public int PurchaseOrderNumber { get; init; }

    public int PriceDesignation { get; init; }

    /// <summary>Finds the columns in the header the reader has read.</summary>
    public static OrderReportColumns Resolve(CsvReader csv)
    {
        int Find(string name) => csv.TryGetFieldIndex(name, out var index) ? index : -1;
        return new OrderReportColumns
        {
            OrderId = Find(AmazonOrderId),
            MerchantOrderId = Find("merchant-order-id"),
            PurchaseDate = Find(PurchaseDateName),
            LastUpdatedDate = Find("last-updated-date"),
            OrderStatus = Find("order-status"),
            FulfillmentChannel = Find("fulfillment-channel"),
            SalesChannel = Find("sales-channel"),
            OrderChannel = Find("order-channel"),
            ShipServiceLevel = Find("ship-service-level"),
            ProductName = Find("product-name"),
            Sku = Find("sku"),
            Asin = Find("asin"),
            NumberOfItems = Find("number-of-items"),
            ItemStatus = Find("item-status"),
            TaxCollectionModel = Find("tax-collection-model"),
            TaxCollectionResponsibleParty = Find("tax-collection-responsible-party"),
            Quantity = Find("quantity"),
            Currency = Find("currency"),
            ItemPrice = Find("item-price"),
            ItemTax = Find("item-tax"),
            ShippingPrice = Find("shipping-price"),
            ShippingTax = Find("shipping-tax"),
            GiftWrapPrice = Find("gift-wrap-price"),
            GiftWrapTax = Find("gift-wrap-tax"),
            ItemPromotionDiscount = Find("item-promotion-discount"),
            ShipPromotionDiscount = Find("ship-promotion-discount"),
            AddressType = Find("address-type"),
            ShipCity = Find("ship-city"),
            ShipState = Find("ship-state"),
            ShipPostalCode = Find("ship-postal-code"),
            ShipCountry = Find("ship-country"),
            PromotionIds = Find("promotion-ids"),
            IsBusinessOrder = Find("is-business-order"),
            PurchaseOrderNumber = Find("purchase-order-number"),
            PriceDesignation = Find("price-designation"),
        };
    }
}
