using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderHub.Emulator.SellingPartner;

/// <summary>
/// The emulator's Selling Partner orders: generated from a seed and dated back from the start, so the same seed and start
/// give the same ones, dealt out to the sellers in turn, each seller's covering every
/// order status, order type, fulfillment channel and payment method the Orders API documents.
/// </summary>
internal sealed class SpOrderCatalog
{
    /// <summary>Every documented <c>OrderStatus</c>.</summary>
    public static readonly string[] Statuses = ["Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled", "Unfulfillable", "InvoiceUnconfirmed", "PendingAvailability"];

    /// <summary>Every documented <c>OrderType</c>.</summary>
    public static readonly string[] OrderTypes = ["StandardOrder", "LongLeadTimeOrder", "Preorder", "BackOrder", "SourcingOnDemandOrder"];

    /// <summary>Every documented <c>FulfillmentChannel</c>.</summary>
    public static readonly string[] Channels = ["MFN", "AFN"];

    /// <summary>Every documented <c>PaymentMethod</c>.</summary>
    public static readonly string[] PaymentMethods = ["COD", "CVS", "Other"];

    private static readonly string[] EasyShip = ["PendingSchedule", "PendingPickUp", "PendingDropOff", "LabelCanceled", "PickedUp", "DroppedOff", "AtOriginFC", "AtDestinationFC", "Delivered", "RejectedByBuyer", "Undeliverable", "ReturningToSeller", "ReturnedToSeller", "Lost", "OutForDelivery", "Damaged"];
    private static readonly string[] InvoiceStatuses = ["NotRequired", "NotFound", "Processing", "Errored", "Accepted"];

    // The newest seeded order is this much older than the start: a search at the start (which ends two minutes before
    // the request) sees every one, and what changes after the start is newer than all of them.
    private static readonly TimeSpan Settled = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly List<string> _ids = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SpOrderRecord> _orders = new(StringComparer.Ordinal);
    private readonly int _seed;
    private readonly int _seededCount;
    private readonly SpSellers _sellers;
    private readonly DateTimeOffset _newest;
    private readonly TimeSpan _history;
    private long _changesApplied;

    /// <summary>Initializes a new instance of the <see cref="SpOrderCatalog"/> class.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="count">How many orders to generate.</param>
    /// <param name="sellers">The sellers the orders are dealt out to, each in its marketplaces.</param>
    /// <param name="start">When the emulator started: the orders are dated before it.</param>
    /// <param name="history">How far back before the start the orders reach.</param>
    public SpOrderCatalog(int seed, int count, SpSellers sellers, DateTimeOffset start, TimeSpan history)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(history, TimeSpan.Zero);
        _seed = seed;
        _seededCount = count;
        _sellers = sellers;
        _newest = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) - Settled;
        _history = history;
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            Add(Generate(random, i) with { DetailSeed = unchecked((seed * 397) ^ i) });
        }
    }

    /// <summary>Gets the ids of every order, in generation order (those that arrived later last).</summary>
    public IReadOnlyList<string> OrderIds
    {
        get
        {
            lock (_lock)
            {
                return [.. _ids];
            }
        }
    }

    /// <summary>Gets every order now, in generation order.</summary>
    public IReadOnlyList<SpOrderRecord> Orders
    {
        get
        {
            lock (_lock)
            {
                return [.. _ids.Select(id => _orders[id])];
            }
        }
    }

    /// <summary>Gets an order's place in generation order, or -1.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>Its index.</returns>
    public int IndexOf(string orderId) => _positions.GetValueOrDefault(orderId, -1);

    /// <summary>Finds an order.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="record">The order.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGet(string orderId, out SpOrderRecord record) => _orders.TryGetValue(orderId, out record!);

    /// <summary>
    /// Brings the orders up to a time, one change per <paramref name="interval"/> since <paramref name="start"/>: at
    /// each step one existing order moves on (Pending, Unshipped, PartiallyShipped, Shipped) or is touched, and a new
    /// order arrives, both stamped with the step's time. Deterministic: the same steps give the same orders.
    /// </summary>
    /// <param name="start">When the first step's interval began.</param>
    /// <param name="interval">The time between steps.</param>
    /// <param name="now">The time to bring the orders to.</param>
    /// <returns>The changes this call made, two per step (the order moved on, then the one that arrived); none when the orders were already there.</returns>
    public IReadOnlyList<SpOrderChange> ApplyChangesUntil(DateTimeOffset start, TimeSpan interval, DateTimeOffset now)
    {
        var due = (long)Math.Floor((now - start) / interval);
        if (due <= Interlocked.Read(ref _changesApplied))
        {
            return [];
        }

        var changes = new List<SpOrderChange>();
        lock (_lock)
        {
            for (var step = _changesApplied + 1; step <= due; step++)
            {
                // The whole milliseconds the orders' dates are written in, so a change's time is the one a read shows.
                var at = start + (interval * step);
                at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));
                var existing = _ids[(int)((step * 7919) % _seededCount)];
                _orders[existing] = Progress(_orders[existing], at);
                changes.Add(new SpOrderChange(existing, at, Arrived: false));
                var index = _ids.Count;
                var arrived = Generate(new Random(HashCode.Combine(_seed, index)), index, arrivedAt: at) with { DetailSeed = unchecked((_seed * 397) ^ index) };
                arrived.Order["PurchaseDate"] = Stamp(at);
                arrived.Order["LastUpdateDate"] = Stamp(at);
                arrived.Order["OrderStatus"] = "Pending";
                arrived.Order["NumberOfItemsShipped"] = 0;
                arrived.Order["NumberOfItemsUnshipped"] = 2;
                AddLocked(arrived);
                changes.Add(new SpOrderChange(arrived.OrderId, at, Arrived: true));
                Interlocked.Exchange(ref _changesApplied, step);
            }
        }

        return changes;
    }

    private static SpOrderRecord Progress(SpOrderRecord record, DateTimeOffset at)
    {
        var order = (JsonObject)record.Order.DeepClone();
        var next = order["OrderStatus"]?.GetValue<string>() switch
        {
            "Pending" or "PendingAvailability" => "Unshipped",
            "Unshipped" => "PartiallyShipped",
            "PartiallyShipped" => "Shipped",
            var same => same,
        };
        order["OrderStatus"] = next;
        order["NumberOfItemsShipped"] = next == "Shipped" ? 2 : next == "PartiallyShipped" ? 1 : order["NumberOfItemsShipped"]?.GetValue<int>() ?? 0;
        order["NumberOfItemsUnshipped"] = next == "Shipped" ? 0 : next == "PartiallyShipped" ? 1 : order["NumberOfItemsUnshipped"]?.GetValue<int>() ?? 0;
        order["LastUpdateDate"] = Stamp(at);
        return record with { Order = order };
    }

    private static string Stamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private void Add(SpOrderRecord record)
    {
        lock (_lock)
        {
            AddLocked(record);
        }
    }

    private void AddLocked(SpOrderRecord record)
    {
        if (_orders.TryAdd(record.OrderId, record))
        {
            _positions[record.OrderId] = _ids.Count;
            _ids.Add(record.OrderId);
        }
    }

    // A purchase spread over the history (by a draw of 0 to 400,000), and an update up to about two weeks later (by a
    // draw of 1 to 20,000 minutes), scaled down where that would pass the newest time. Whole seconds, as the API sends.
    private (DateTimeOffset Purchased, DateTimeOffset Updated) Dates(int purchaseDraw, int updateDraw)
    {
        var oldest = _newest - _history;
        var purchased = oldest + TimeSpan.FromSeconds(Math.Floor(_history.TotalSeconds * purchaseDraw / 400_000));
        var room = _newest - purchased;
        var later = TimeSpan.FromMinutes(updateDraw);
        var updated = purchased + (later <= room ? later : TimeSpan.FromSeconds(Math.Floor(room.TotalSeconds * updateDraw / 20_000)));
        return (purchased, updated);
    }

    // An order's values cycle with its place among its seller's orders, so each seller's orders cover every documented
    // value; its id, amount and dates come from the seeded sequence, in generation order.
    private SpOrderRecord Generate(Random random, int index, DateTimeOffset? arrivedAt = null)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{random.Next(100, 1000)}-{random.Next(0, 10_000_000):D7}-{random.Next(0, 10_000_000):D7}");
        var place = _sellers.PlaceOf(index);
        var status = Statuses[place % Statuses.Length];
        var type = OrderTypes[place % OrderTypes.Length];
        var channel = Channels[place % Channels.Length];
        var payment = PaymentMethods[place % PaymentMethods.Length];
        var (purchased, updated) = Dates(random.Next(0, 400_000), random.Next(1, 20_000));
        if (arrivedAt is { } at)
        {
            (purchased, updated) = (at, at);
        }

        var marketplace = _sellers.MarketplaceOf(index);
        var currency = marketplace.Currency;
        var amount = (random.Next(100, 1_000_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        var isReplacement = place % 11 == 0;
        // Alternate date forms, as the API sends both: with and without fractional seconds.
        string Stamp(DateTimeOffset value) => place % 2 == 0
            ? value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        var order = new JsonObject
        {
            ["AmazonOrderId"] = id,
            ["SellerOrderId"] = string.Create(CultureInfo.InvariantCulture, $"SO-{index:D6}"),
            ["PurchaseDate"] = Stamp(purchased),
            ["LastUpdateDate"] = Stamp(updated),
            ["OrderStatus"] = status,
            ["FulfillmentChannel"] = channel,
            ["SalesChannel"] = marketplace.Site,
            ["OrderChannel"] = channel == "AFN" ? marketplace.Site : "Web",
            ["ShipServiceLevel"] = "Std US D2D Dom",
            ["OrderTotal"] = new JsonObject { ["CurrencyCode"] = currency, ["Amount"] = amount },
            ["NumberOfItemsShipped"] = status is "Shipped" or "InvoiceUnconfirmed" ? 2 : status == "PartiallyShipped" ? 1 : 0,
            ["NumberOfItemsUnshipped"] = status is "Shipped" or "InvoiceUnconfirmed" or "Canceled" ? 0 : status == "PartiallyShipped" ? 1 : 2,
            ["PaymentMethod"] = payment,
            ["PaymentMethodDetails"] = new JsonArray(payment == "COD" ? "CashOnDelivery" : "CreditCard", "GiftCertificate"),
            ["MarketplaceId"] = marketplace.Id,
            ["ShipmentServiceLevelCategory"] = place % 3 == 0 ? "Expedited" : "Standard",
            ["EasyShipShipmentStatus"] = EasyShip[place % EasyShip.Length],
            ["CbaDisplayableShippingLabel"] = "CBA-LABEL",
            ["OrderType"] = type,
            ["EarliestShipDate"] = Stamp(purchased.AddHours(2)),
            ["LatestShipDate"] = Stamp(purchased.AddDays(2)),
            ["EarliestDeliveryDate"] = Stamp(purchased.AddDays(3)),
            ["LatestDeliveryDate"] = Stamp(purchased.AddDays(7)),
            ["IsBusinessOrder"] = place % 4 == 0,
            ["IsPrime"] = place % 2 == 1,
            ["IsPremiumOrder"] = place % 5 == 0,
            ["IsGlobalExpressEnabled"] = place % 6 == 0,
            ["IsReplacementOrder"] = isReplacement,
            ["IsEstimatedShipDateSet"] = type == "SourcingOnDemandOrder",
            ["IsSoldByAB"] = place % 7 == 0,
            ["IsIBA"] = place % 7 == 0,
            ["DefaultShipFromLocationAddress"] = new JsonObject
            {
                ["Name"] = "Emulator Warehouse",
                ["AddressLine1"] = "2201 WESTLAKE AVE",
                ["City"] = "SEATTLE",
                ["StateOrRegion"] = "WA",
                ["PostalCode"] = "98121-2778",
                ["CountryCode"] = "US",
                ["AddressType"] = "Commercial",
            },
            ["BuyerInvoicePreference"] = place % 2 == 0 ? "INDIVIDUAL" : "BUSINESS",
            ["FulfillmentInstruction"] = new JsonObject { ["FulfillmentSupplySourceId"] = string.Create(CultureInfo.InvariantCulture, $"supply-{place % 4}") },
            ["IsISPU"] = place % 9 == 0,
            ["IsAccessPointOrder"] = place % 10 == 0,
            ["MarketplaceTaxInfo"] = new JsonObject { ["TaxClassifications"] = new JsonArray(new JsonObject { ["Name"] = "VATNumber", ["Value"] = "XXX123" }) },
            ["SellerDisplayName"] = "Emulator Seller",
            ["AutomatedShippingSettings"] = new JsonObject { ["HasAutomatedShippingSettings"] = place % 2 == 0, ["AutomatedCarrier"] = "UPS", ["AutomatedShipMethod"] = "UPS_GROUND" },
            ["HasRegulatedItems"] = place % 8 == 0,
            ["ElectronicInvoiceStatus"] = InvoiceStatuses[place % InvoiceStatuses.Length],
        };
        if (isReplacement)
        {
            order["ReplacedOrderId"] = string.Create(CultureInfo.InvariantCulture, $"{random.Next(100, 1000)}-{random.Next(0, 10_000_000):D7}-{random.Next(0, 10_000_000):D7}");
        }

        if (type == "SourcingOnDemandOrder")
        {
            order["PromiseResponseDueDate"] = Stamp(purchased.AddDays(1));
        }

        if (payment == "COD")
        {
            order["PaymentExecutionDetail"] = new JsonArray(
                new JsonObject { ["Payment"] = new JsonObject { ["CurrencyCode"] = currency, ["Amount"] = amount }, ["PaymentMethod"] = "COD", ["AcquirerId"] = "ACQ-1", ["CardBrand"] = "VISA", ["AuthorizationCode"] = "AUTH-1" });
        }

        var personal = new JsonObject
        {
            ["ShippingAddress"] = new JsonObject
            {
                ["Name"] = string.Create(CultureInfo.InvariantCulture, $"Buyer {index}"),
                ["CompanyName"] = "Buyer Co",
                ["AddressLine1"] = string.Create(CultureInfo.InvariantCulture, $"{index + 1} Cross St."),
                ["AddressLine2"] = "Unit 2",
                ["AddressLine3"] = "Building B",
                ["City"] = "Canton",
                ["County"] = "Wayne",
                ["District"] = "Downtown",
                ["StateOrRegion"] = "MI",
                ["Municipality"] = "Canton Township",
                ["PostalCode"] = "48817",
                ["CountryCode"] = "US",
                ["Phone"] = "+1 555 0100",
                ["AddressType"] = "Residential",
                ["ExtendedFields"] = new JsonObject
                {
                    ["StreetName"] = "Cross St.",
                    ["StreetNumber"] = string.Create(CultureInfo.InvariantCulture, $"{index + 1}"),
                    ["Complement"] = "Apt 4",
                    ["Neighborhood"] = "Old Town",
                    ["GeoCoordinates"] = new JsonObject { ["Latitude"] = 42.3, ["Longitude"] = -83.4 },
                },
            },
            ["BuyerInfo"] = new JsonObject
            {
                ["BuyerEmail"] = string.Create(CultureInfo.InvariantCulture, $"buyer{index}@marketplace.amazon.example"),
                ["BuyerName"] = string.Create(CultureInfo.InvariantCulture, $"Buyer {index}"),
                ["BuyerCounty"] = "Wayne",
                ["BuyerTaxInfo"] = new JsonObject
                {
                    ["CompanyLegalName"] = "Buyer Co Ltd",
                    ["TaxingRegion"] = "MI",
                    ["TaxClassifications"] = new JsonArray(new JsonObject { ["Name"] = "VATNumber", ["Value"] = "BUY123" }),
                },
                ["PurchaseOrderNumber"] = string.Create(CultureInfo.InvariantCulture, $"PO-{index:D6}"),
            },
            ["BuyerTaxInformation"] = new JsonObject
            {
                ["BuyerLegalCompanyName"] = "Buyer Co Ltd",
                ["BuyerBusinessAddress"] = "1 Tax Street",
                ["BuyerTaxRegistrationId"] = "TR-REG-1",
                ["BuyerTaxOffice"] = "Istanbul",
            },
        };

        return new SpOrderRecord(id, order, personal);
    }
}

/// <summary>One change the catalog made to its orders.</summary>
/// <param name="OrderId">The order changed.</param>
/// <param name="At">The order's new last-update time: the step's time.</param>
/// <param name="Arrived">Whether the order is new (Pending), rather than an existing one moved on.</param>
internal sealed record SpOrderChange(string OrderId, DateTimeOffset At, bool Arrived);

/// <summary>
/// One emulated order: what everyone sees, and the personal data only a restricted data token unlocks, in the v0
/// shape. The 2026-01-01 shape is built from the same record (<see cref="Orders20260101View"/>), with its items and
/// packages generated from <see cref="DetailSeed"/> on each read so that they cost no memory.
/// </summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Order">The order without personal data.</param>
/// <param name="PersonalData">The personal-data properties.</param>
internal sealed record SpOrderRecord(string OrderId, JsonObject Order, JsonObject PersonalData)
{
    /// <summary>Gets the seed of what only the 2026-01-01 shape has (items, packages, proceeds breakdowns).</summary>
    public int DetailSeed { get; init; }

    /// <summary>
    /// Gets whether the order's status releases its personal data: Amazon gives the shipping address (and the buyer)
    /// only for Unshipped, PartiallyShipped, Shipped and InvoiceUnconfirmed orders, whatever token asks.
    /// </summary>
    public bool ReleasesPersonalData => Order["OrderStatus"]?.GetValue<string>() is "Unshipped" or "PartiallyShipped" or "Shipped" or "InvoiceUnconfirmed";

    // The v0 getOrder body of each version of an order, serialized on its first read: a change to an order makes a
    // new Order object (and a new record), so a body never outlives the version it was made from.
    private static readonly ConditionalWeakTable<JsonObject, byte[]> V0Bodies = new();
    private static readonly ConditionalWeakTable<JsonObject, byte[]> V0PersonalBodies = new();

    /// <summary>Gets the whole v0 getOrder response body (<c>{"payload": Order}</c>), with or without personal data.</summary>
    /// <param name="includePersonalData">Whether the caller holds a restricted data token.</param>
    /// <returns>The body, UTF-8 JSON.</returns>
    public byte[] GetOrderV0Body(bool includePersonalData) => includePersonalData
        ? V0PersonalBodies.GetValue(Order, _ => JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["payload"] = ToPayload(includePersonalData: true) }))
        : V0Bodies.GetValue(Order, order => Envelope(order));

    // {"payload": order}, written straight from the order: without personal data there is nothing to add, so no copy.
    private static byte[] Envelope(JsonObject order)
    {
        var body = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("payload");
            order.WriteTo(writer);
            writer.WriteEndObject();
        }

        return body.WrittenSpan.ToArray();
    }

    /// <summary>Builds the getOrder payload, with or without personal data.</summary>
    /// <param name="includePersonalData">Whether the caller holds a restricted data token.</param>
    /// <returns>A fresh copy of the payload.</returns>
    public JsonObject ToPayload(bool includePersonalData)
    {
        var payload = (JsonObject)Order.DeepClone();
        if (includePersonalData && ReleasesPersonalData)
        {
            foreach (var (name, value) in PersonalData)
            {
                payload[name] = value?.DeepClone();
            }
        }

        return payload;
    }
}
