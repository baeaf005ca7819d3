using System.Globalization;
using System.Text.Json.Nodes;

namespace OrderHub.Emulator.SellingPartner;

/// <summary>
/// The Orders API 2026-01-01 shape of an emulated order, built from the same record v0 serves: every value both
/// versions carry is translated (names, casing, enumerations), and what only 2026-01-01 has (items, packages, proceeds,
/// delivery preferences) is generated from the record's seed. Datasets not asked for in <c>includedData</c> are left out.
/// </summary>
internal static class Orders20260101View
{
    /// <summary>Every dataset getOrder 2026-01-01 documents.</summary>
    public static readonly string[] Datasets = ["BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS"];

    /// <summary>The 2026-01-01 fulfillment status of each v0 order status.</summary>
    internal static readonly Dictionary<string, string> FulfillmentStatuses = new(StringComparer.Ordinal)
    {
        ["Pending"] = "PENDING",
        ["PendingAvailability"] = "PENDING_AVAILABILITY",
        ["Unshipped"] = "UNSHIPPED",
        ["PartiallyShipped"] = "PARTIALLY_SHIPPED",
        ["Shipped"] = "SHIPPED",
        ["InvoiceUnconfirmed"] = "SHIPPED",
        ["Canceled"] = "CANCELLED",
        ["Unfulfillable"] = "UNFULFILLABLE",
    };

    private static readonly string[] PackageStatuses = ["SHIPPED", "IN_TRANSIT", "DELIVERED"];
    private static readonly string[] Units = ["KILOGRAMS", "POUNDS", "COUNT", "LITERS"];
    private static readonly string[] Conditions = ["NEW", "USED", "REFURBISHED", "COLLECTIBLE"];

    /// <summary>The datasets of a request that the application may have: without the restricted role, not BUYER or RECIPIENT.</summary>
    /// <param name="requested">The datasets asked for.</param>
    /// <param name="restrictedRoleGranted">Whether the application holds the restricted role.</param>
    /// <returns>The datasets to answer with.</returns>
    public static IReadOnlySet<string> Granted(IReadOnlySet<string> requested, bool restrictedRoleGranted) =>
        restrictedRoleGranted ? requested : requested.Where(d => d is not ("BUYER" or "RECIPIENT")).ToHashSet(StringComparer.Ordinal);

    /// <summary>Builds the <c>order</c> object of a getOrder answer.</summary>
    /// <param name="record">The emulated order.</param>
    /// <param name="includedData">The datasets asked for.</param>
    /// <returns>A fresh object.</returns>
    public static JsonObject Build(SpOrderRecord record, IReadOnlySet<string> includedData)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(includedData);
        var v0 = record.Order;
        var personal = record.PersonalData;
        var random = new Random(record.DetailSeed);
        var status = Text(v0, "OrderStatus")!;
        var isAmazonFulfilled = Text(v0, "FulfillmentChannel") == "AFN";
        var currency = Text(v0["OrderTotal"], "CurrencyCode")!;
        var total = decimal.Parse(Text(v0["OrderTotal"], "Amount")!, CultureInfo.InvariantCulture);
        var shipped = Number(v0, "NumberOfItemsShipped");
        var unshipped = Number(v0, "NumberOfItemsUnshipped");
        bool Has(string dataset) => includedData.Contains(dataset);

        var order = new JsonObject
        {
            ["orderId"] = record.OrderId,
            ["orderAliases"] = new JsonArray(new JsonObject { ["aliasId"] = Text(v0, "SellerOrderId"), ["aliasType"] = "SELLER_ORDER_ID" }),
            ["createdTime"] = Text(v0, "PurchaseDate"),
            ["lastUpdatedTime"] = Text(v0, "LastUpdateDate"),
            ["programs"] = Programs(v0),
            ["associatedOrders"] = Text(v0, "ReplacedOrderId") is { } replaced
                ? new JsonArray(new JsonObject { ["orderId"] = replaced, ["associationType"] = "REPLACEMENT_ORIGINAL_ID" })
                : new JsonArray(),
            ["salesChannel"] = new JsonObject
            {
                ["channelName"] = "AMAZON",
                ["marketplaceId"] = Text(v0, "MarketplaceId"),
                ["marketplaceName"] = Text(v0, "SalesChannel"),
            },
        };

        if (Has("BUYER") && record.ReleasesPersonalData && personal["BuyerInfo"] is JsonObject buyer)
        {
            order["buyer"] = new JsonObject
            {
                ["buyerName"] = Text(buyer, "BuyerName"),
                ["buyerEmail"] = Text(buyer, "BuyerEmail"),
                ["buyerCompanyName"] = Text(buyer["BuyerTaxInfo"], "CompanyLegalName"),
                ["buyerPurchaseOrderNumber"] = Text(buyer, "PurchaseOrderNumber"),
            };
        }

        if (Has("RECIPIENT") && record.ReleasesPersonalData && personal["ShippingAddress"] is JsonObject address)
        {
            order["recipient"] = new JsonObject
            {
                ["deliveryAddress"] = CustomerAddress(address),
                ["deliveryPreference"] = DeliveryPreference(random),
            };
        }

        if (Has("PROCEEDS"))
        {
            var breakdowns = new JsonArray(new JsonObject { ["type"] = "ITEM", ["subtotal"] = Money(total, currency) });
            if (random.Next(4) == 0)
            {
                breakdowns.Add(new JsonObject { ["type"] = "DELIVERY_TIP", ["status"] = "PENDING", ["subtotal"] = Money(2m, currency) });
            }

            order["proceeds"] = new JsonObject { ["grandTotal"] = Money(total, currency), ["breakdowns"] = breakdowns };
        }

        if (Has("PAYMENT"))
        {
            order["payment"] = new JsonObject
            {
                ["paymentExecutions"] = new JsonArray([.. (v0["PaymentExecutionDetail"] as JsonArray ?? []).Select(e => (JsonNode)new JsonObject
                {
                    ["paymentMethod"] = Text(e, "PaymentMethod"),
                    ["paymentAmount"] = new JsonObject { ["amount"] = Text(e?["Payment"], "Amount"), ["currencyCode"] = Text(e?["Payment"], "CurrencyCode") },
                    ["acquirerId"] = Text(e, "AcquirerId"),
                    ["cardBrand"] = Text(e, "CardBrand"),
                    ["authorizationCode"] = Text(e, "AuthorizationCode"),
                })]),
            };
        }

        if (Has("TAX"))
        {
            order["tax"] = Tax(v0, personal, includeBuyer: Has("BUYER"));
        }

        if (Has("FULFILLMENT"))
        {
            var fulfillment = new JsonObject
            {
                ["fulfillmentStatus"] = FulfillmentStatuses.GetValueOrDefault(status, status),
                ["fulfilledBy"] = isAmazonFulfilled ? "AMAZON" : "MERCHANT",
                ["fulfillmentServiceLevel"] = Text(v0, "ShipmentServiceLevelCategory")?.ToUpperInvariant(),
                ["shipByWindow"] = Window(Text(v0, "EarliestShipDate"), Text(v0, "LatestShipDate")),
                ["deliverByWindow"] = Window(Text(v0, "EarliestDeliveryDate"), Text(v0, "LatestDeliveryDate")),
            };
            if (!isAmazonFulfilled)
            {
                fulfillment["labelPrintingWindow"] = Window(Text(v0, "EarliestShipDate"), null);
            }

            order["fulfillment"] = fulfillment;
        }

        // Two items of one unit each: as many fulfilled as v0 counts shipped, as many open as it counts unshipped.
        var itemCount = Math.Max(2, shipped + unshipped);
        var firstPrice = decimal.Round(total * 0.6m, 2);
        var items = new JsonArray();
        var itemIds = new List<string>();
        for (var i = 0; i < itemCount; i++)
        {
            var itemId = string.Create(CultureInfo.InvariantCulture, $"{record.OrderId.Replace("-", string.Empty, StringComparison.Ordinal)[..11]}{i:D3}");
            itemIds.Add(itemId);
            var price = i == 0 ? firstPrice : i == 1 ? total - firstPrice : 0m;
            items.Add(Item(random, itemId, i, price, currency, fulfilled: i < shipped, open: i >= shipped && i < shipped + unshipped, status, Window(Text(v0, "EarliestDeliveryDate"), Text(v0, "LatestDeliveryDate")), includedData));
        }

        order["orderItems"] = items;

        if (Has("PACKAGES"))
        {
            var packages = new JsonArray();
            if (shipped > 0)
            {
                packages.Add(new JsonObject
                {
                    ["packageReferenceId"] = "1",
                    ["createdTime"] = Text(v0, "EarliestShipDate"),
                    ["packageStatus"] = new JsonObject { ["status"] = PackageStatuses[random.Next(PackageStatuses.Length)], ["detailedStatus"] = "PICKED_UP" },
                    ["carrier"] = random.Next(2) == 0 ? "UPS" : "USPS",
                    ["shipTime"] = Text(v0, "LatestShipDate"),
                    ["shippingService"] = "Ground",
                    ["trackingNumber"] = string.Create(CultureInfo.InvariantCulture, $"1Z{random.Next(100_000_000, 999_999_999)}"),
                    ["shipFromAddress"] = MerchantAddress((JsonObject)v0["DefaultShipFromLocationAddress"]!),
                    ["packageItems"] = new JsonArray([.. itemIds.Take(shipped).Select(id => (JsonNode)new JsonObject
                    {
                        ["orderItemId"] = id,
                        ["quantity"] = 1,
                        ["transparencyCodes"] = new JsonArray("AZ:TRANSPARENCY-1"),
                    })]),
                });
            }

            order["packages"] = packages;
        }

        if (Has("FULFILLMENT_ORDERS"))
        {
            order["fulfillmentOrders"] = isAmazonFulfilled
                ? new JsonArray(new JsonObject { ["fulfillmentOrderId"] = "FO-" + Text(v0, "SellerOrderId") })
                : new JsonArray();
        }

        return order;
    }

    private static JsonArray Programs(JsonObject v0)
    {
        var programs = new JsonArray();
        foreach (var (flag, program) in new[] { ("IsPrime", "PRIME"), ("IsBusinessOrder", "AMAZON_BUSINESS"), ("IsPremiumOrder", "PREMIUM"), ("IsISPU", "IN_STORE_PICK_UP") })
        {
            if (v0[flag]?.GetValue<bool>() == true)
            {
                programs.Add(program);
            }
        }

        if (Text(v0, "OrderType") == "Preorder")
        {
            programs.Add("PREORDER");
        }

        return programs;
    }

    private static JsonObject Item(Random random, string itemId, int index, decimal price, string currency, bool fulfilled, bool open, string status, JsonObject deliveryWindow, IReadOnlySet<string> includedData)
    {
        var item = new JsonObject
        {
            ["orderItemId"] = itemId,
            ["quantityOrdered"] = 1,
            ["measurement"] = new JsonObject { ["unit"] = Units[random.Next(Units.Length)], ["value"] = random.Next(1, 50) / 2m },
            ["programs"] = random.Next(3) == 0 ? new JsonArray("TRANSPARENCY") : new JsonArray(),
            ["product"] = new JsonObject
            {
                ["asin"] = string.Create(CultureInfo.InvariantCulture, $"B0{random.Next(10_000_000, 99_999_999)}"),
                ["title"] = string.Create(CultureInfo.InvariantCulture, $"Emulated item {index + 1}"),
                ["sellerSku"] = string.Create(CultureInfo.InvariantCulture, $"SKU-{random.Next(1000, 9999)}"),
                ["condition"] = new JsonObject { ["conditionType"] = Conditions[random.Next(Conditions.Length)], ["conditionSubtype"] = "GOOD", ["conditionNote"] = "As described" },
                ["price"] = new JsonObject { ["unitPrice"] = Money(price, currency), ["priceDesignation"] = random.Next(5) == 0 ? "BUSINESS_PRICE" : null },
                ["serialNumbers"] = fulfilled ? new JsonArray(string.Create(CultureInfo.InvariantCulture, $"SN-{random.Next(100_000, 999_999)}")) : new JsonArray(),
                ["customization"] = random.Next(6) == 0 ? new JsonObject { ["customizedUrl"] = "https://emulator.example/customization/1" } : null,
            },
        };
        if (index == 1)
        {
            item["associatedOrderItems"] = new JsonArray(new JsonObject { ["orderItemId"] = itemId[..^1] + "9", ["associationType"] = "VALUE_ADD_SERVICE" });
        }

        if (includedData.Contains("PROCEEDS"))
        {
            item["proceeds"] = new JsonObject
            {
                ["proceedsTotal"] = Money(price, currency),
                ["breakdowns"] = new JsonArray(new JsonObject
                {
                    ["type"] = "ITEM",
                    ["subtotal"] = Money(price, currency),
                    ["detailedBreakdowns"] = new JsonArray(new JsonObject { ["subtype"] = "ITEM", ["value"] = Money(price, currency) }),
                }),
            };
        }

        if (includedData.Contains("EXPENSE") && currency == "JPY")
        {
            item["expense"] = new JsonObject { ["pointsCost"] = new JsonObject { ["pointsGranted"] = new JsonObject { ["pointsNumber"] = 10, ["pointsMonetaryValue"] = Money(10m, "JPY") } } };
        }

        if (includedData.Contains("PROMOTION"))
        {
            item["promotion"] = new JsonObject { ["breakdowns"] = new JsonArray(new JsonObject { ["promotionId"] = string.Create(CultureInfo.InvariantCulture, $"PROMO-{random.Next(100, 999)}") }) };
        }

        if (includedData.Contains("CANCELLATION") && status == "Canceled")
        {
            item["cancellation"] = new JsonObject
            {
                ["cancellationRequest"] = new JsonObject { ["requester"] = "BUYER", ["cancelReason"] = "NO_LONGER_NEEDED" },
                ["cancellationExecution"] = new JsonObject { ["cancelledBy"] = "MERCHANT", ["cancelReason"] = "BUYER_CANCELED" },
            };
        }

        if (includedData.Contains("FULFILLMENT"))
        {
            item["fulfillment"] = new JsonObject
            {
                ["quantityFulfilled"] = fulfilled ? 1 : 0,
                ["quantityUnfulfilled"] = open ? 1 : 0,
                ["picking"] = new JsonObject
                {
                    ["substitutionPreference"] = new JsonObject
                    {
                        ["substitutionType"] = "CUSTOMER_PREFERENCE",
                        ["substitutionOptions"] = new JsonArray(new JsonObject { ["asin"] = "B000000001", ["quantityOrdered"] = 1, ["sellerSku"] = "SKU-ALT", ["title"] = "Alternative", ["measurement"] = new JsonObject { ["unit"] = "COUNT", ["value"] = 1 } }),
                    },
                },
                ["packing"] = new JsonObject
                {
                    ["giftOption"] = new JsonObject { ["giftMessage"] = "Happy birthday!", ["giftWrapLevel"] = "Classic" },
                    ["serialNumberRequirement"] = new JsonObject { ["requirementType"] = "REQUIRED" },
                },
                ["shipping"] = new JsonObject
                {
                    ["scheduledDeliveryWindow"] = deliveryWindow,
                    ["shippingConstraints"] = new JsonObject { ["signatureConfirmation"] = "MANDATORY", ["recipientAgeVerification"] = random.Next(2) == 0 ? "MANDATORY" : null },
                    ["internationalShipping"] = new JsonObject { ["iossNumber"] = "IM1234567890" },
                },
            };
        }

        if (includedData.Contains("TAX"))
        {
            item["tax"] = new JsonObject
            {
                ["taxCalculationBreakdowns"] = new JsonArray(new JsonObject { ["reportingScheme"] = "IOSS" }),
                ["taxCollections"] = new JsonArray(new JsonObject { ["model"] = "MARKETPLACE_FACILITATOR", ["responsibleParty"] = "Amazon Services LLC" }),
            };
        }

        return item;
    }

    private static JsonObject Tax(JsonObject v0, JsonObject personal, bool includeBuyer)
    {
        var registrations = new JsonArray(new JsonObject
        {
            ["entityType"] = "MERCHANT",
            ["legalName"] = Text(v0, "SellerDisplayName"),
            ["taxRegistrationType"] = "VAT",
            ["taxRegistrationNumber"] = "MERCHANT-VAT-1",
        });

        // The buyer's registration is personal data: only with the BUYER dataset.
        if (includeBuyer && personal["BuyerTaxInformation"] is JsonObject buyerTax)
        {
            registrations.Add(new JsonObject
            {
                ["entityType"] = "BUYER",
                ["legalName"] = Text(buyerTax, "BuyerLegalCompanyName"),
                ["taxRegistrationType"] = "BUSINESS",
                ["taxRegistrationNumber"] = Text(buyerTax, "BuyerTaxRegistrationId"),
                ["taxRegistrationAddress"] = new JsonObject { ["addressLine1"] = Text(buyerTax, "BuyerBusinessAddress"), ["countryCode"] = "TR" },
                ["taxRegistrationAttributes"] = new JsonArray(new JsonObject { ["key"] = "TAX_OFFICE", ["value"] = Text(buyerTax, "BuyerTaxOffice") }),
            });
        }

        return new JsonObject
        {
            ["taxRegistrations"] = registrations,
            ["taxInvoicing"] = new JsonObject
            {
                ["buyerInvoicePreference"] = Text(v0, "BuyerInvoicePreference"),
                ["invoiceStatus"] = ScreamingSnake(Text(v0, "ElectronicInvoiceStatus")),
            },
        };
    }

    private static JsonObject DeliveryPreference(Random random)
    {
        JsonArray Windows() => new(new JsonObject
        {
            ["startTime"] = new JsonObject { ["hour"] = 8, ["minute"] = 0 },
            ["endTime"] = new JsonObject { ["hour"] = 17, ["minute"] = 30 },
        });

        return new JsonObject
        {
            ["dropOffLocation"] = random.Next(2) == 0 ? "FRONT_DOOR" : "MAILROOM",
            ["addressInstruction"] = "Ring the bell twice",
            ["deliveryTime"] = new JsonObject
            {
                ["businessHours"] = new JsonArray(new JsonObject { ["dayOfWeek"] = "MON", ["timeWindows"] = Windows() }),
                ["exceptionDates"] = new JsonArray(new JsonObject { ["exceptionDate"] = "2026-12-25", ["exceptionDateType"] = "CLOSED", ["timeWindows"] = new JsonArray() }),
            },
            ["deliveryCapabilities"] = new JsonArray("HAS_ACCESS_POINT"),
        };
    }

    private static JsonObject CustomerAddress(JsonObject v0Address)
    {
        var address = MerchantAddress(v0Address);
        address["companyName"] = Text(v0Address, "CompanyName");
        address["phone"] = Text(v0Address, "Phone");
        address["addressType"] = Text(v0Address, "AddressType")?.ToUpperInvariant();
        if (v0Address["ExtendedFields"] is JsonObject extended)
        {
            address["extendedFields"] = new JsonObject
            {
                ["streetName"] = Text(extended, "StreetName"),
                ["streetNumber"] = Text(extended, "StreetNumber"),
                ["complement"] = Text(extended, "Complement"),
                ["neighborhood"] = Text(extended, "Neighborhood"),
            };
        }

        return address;
    }

    // 2026-01-01 has one districtOrCounty where v0 has District and County: the district is sent.
    private static JsonObject MerchantAddress(JsonObject v0Address) => new()
    {
        ["name"] = Text(v0Address, "Name"),
        ["addressLine1"] = Text(v0Address, "AddressLine1"),
        ["addressLine2"] = Text(v0Address, "AddressLine2"),
        ["addressLine3"] = Text(v0Address, "AddressLine3"),
        ["city"] = Text(v0Address, "City"),
        ["districtOrCounty"] = Text(v0Address, "District"),
        ["stateOrRegion"] = Text(v0Address, "StateOrRegion"),
        ["municipality"] = Text(v0Address, "Municipality"),
        ["postalCode"] = Text(v0Address, "PostalCode"),
        ["countryCode"] = Text(v0Address, "CountryCode"),
    };

    private static JsonObject Window(string? earliest, string? latest)
    {
        var window = new JsonObject { ["earliestDateTime"] = earliest };
        if (latest is not null)
        {
            window["latestDateTime"] = latest;
        }

        return window;
    }

    private static JsonObject Money(decimal amount, string currency) =>
        new() { ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["currencyCode"] = currency };

    private static string? Text(JsonNode? node, string name) => node?[name]?.GetValue<string>();

    private static int Number(JsonObject node, string name) => node[name]?.GetValue<int>() ?? 0;

    // NotRequired -> NOT_REQUIRED: 2026-01-01 spells v0's invoice statuses in capitals.
    private static string? ScreamingSnake(string? pascal) => pascal is null
        ? null
        : string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));
}
