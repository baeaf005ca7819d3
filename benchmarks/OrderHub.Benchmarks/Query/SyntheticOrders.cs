using Amazon.Runtime;
using OrderHub.Benchmarks.Sync;
using OrderHub.Emulator.Hosting;
using OrderHub.Outposts;
using OrderHub.SellingPartner;

namespace OrderHub.Benchmarks.Query;

/// <summary>
/// Many stored orders of realistic size: a few dozen real orders read from the emulator (Selling Partner 2026-01-01 and
/// Outposts) as templates, cloned with new ids, accounts, statuses and times over two years, over three sources (two
/// Selling Partner sellers and one AWS account).
/// </summary>
internal sealed class SyntheticOrders
{
    public const string SellerUs = "sp-us";
    public const string SellerEu = "sp-eu";
    public const string Outposts = "outposts";

    /// <summary>The first creation time; the orders' creation times spread evenly over <see cref="Span"/> from here.</summary>
    public static readonly DateTimeOffset Start = new(2024, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Span = TimeSpan.FromDays(730);

    // Each source's own raw statuses, as its mapping reads them: together they cover every unified status.
    private static readonly (OrderStatus Status, string Raw)[] SellingPartnerStatuses =
    [
        (OrderStatus.Pending, "Pending"), (OrderStatus.InProgress, "Unshipped"), (OrderStatus.PartiallyShipped, "PartiallyShipped"),
        (OrderStatus.Shipped, "Shipped"), (OrderStatus.Shipped, "Shipped"), (OrderStatus.Shipped, "Shipped"),
        (OrderStatus.Cancelled, "Canceled"), (OrderStatus.Failed, "Unfulfillable"), (OrderStatus.Unknown, "ON_HOLD"),
    ];

    private static readonly (OrderStatus Status, string Raw)[] OutpostsStatuses =
    [
        (OrderStatus.Pending, "PREPARING"), (OrderStatus.InProgress, "IN_PROGRESS"), (OrderStatus.Delivered, "DELIVERED"),
        (OrderStatus.Completed, "COMPLETED"), (OrderStatus.Completed, "COMPLETED"), (OrderStatus.Cancelled, "CANCELLED"),
        (OrderStatus.Failed, "ERROR"),
    ];

    private static readonly string[] UsMarketplaces = ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"];
    private static readonly string[] EuMarketplaces = ["A1PA6795UKMFR9", "A1F83G8C2ARO7P", "A13V1IB3VIYZZH", "APJ6JRA9NG5V4"];
    private static readonly string[] OutpostIds = ["op-0a1b2c3d4e5f60718", "op-0f9e8d7c6b5a49382", "op-01234567890abcdef", "op-0fedcba9876543210"];

    private readonly Order[] _sellingPartner;
    private readonly Order[] _outposts;

    private SyntheticOrders(Order[] sellingPartner, Order[] outposts)
    {
        _sellingPartner = sellingPartner;
        _outposts = outposts;
    }

    public int TemplateCount => _sellingPartner.Length + _outposts.Length;

    /// <summary>Reads the templates from an emulator: Selling Partner orders through the 2026-01-01 API, and every Outposts order.</summary>
    public static async Task<SyntheticOrders> ReadTemplatesAsync(EmulatorHost emulator, int sellingPartnerTemplates)
    {
        var sp = SyncMeasurements.SellingPartner(emulator.BaseAddress, 10_000, permitsPerSecond: 10_000, ordersApiVersion: SellingPartnerOrdersApi.V20260101);
        using var outposts = new OutpostsOrderSource(new OutpostsOrderSourceOptions
        {
            Region = emulator.Outposts.Options.AwsRegion,
            Endpoint = emulator.BaseAddress,
            Credentials = new BasicAWSCredentials(emulator.Outposts.Options.AwsAccessKeyId, emulator.Outposts.Options.AwsSecretAccessKey),
        });
        var spOrders = new List<Order>();
        foreach (var id in emulator.SellingPartner.OrderIds.Take(sellingPartnerTemplates))
        {
            spOrders.Add(await sp.GetOrderAsync(id));
        }

        var outpostsOrders = new List<Order>();
        foreach (var id in emulator.Outposts.OrderIds)
        {
            outpostsOrders.Add(await outposts.GetOrderAsync(id));
        }

        return new SyntheticOrders([.. spOrders], [.. outpostsOrders]);
    }

    /// <summary>
    /// The <paramref name="index"/>th of <paramref name="count"/> orders, the same for the same arguments: creation times
    /// rise with the index (two years over the whole count), the last update follows within 30 days (never past the
    /// end), 45% of the orders are the US seller's, 35% the EU seller's and 20% Outposts'.
    /// </summary>
    public Order Make(int index, int count)
    {
        var random = new Random(index);
        var created = Start + (Span * ((index + random.NextDouble()) / count));
        var updated = created + TimeSpan.FromMinutes(random.Next(0, 30 * 24 * 60));
        if (updated > Start + Span)
        {
            updated = Start + Span;
        }

        // Times at whole milliseconds, as the upstreams send them.
        created = new DateTimeOffset(created.UtcTicks - (created.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        updated = new DateTimeOffset(updated.UtcTicks - (updated.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var share = random.Next(100);
        if (share < 80)
        {
            var us = share < 45;
            var template = _sellingPartner[random.Next(_sellingPartner.Length)];
            var status = SellingPartnerStatuses[random.Next(SellingPartnerStatuses.Length)];
            var marketplaces = us ? UsMarketplaces : EuMarketplaces;
            return template with
            {
                Source = us ? SellerUs : SellerEu,
                OrderId = SellingPartnerId(index),
                AccountId = marketplaces[random.Next(marketplaces.Length)],
                Status = new(status.Status, status.Raw),
                CreatedAt = created,
                LastUpdatedAt = updated,
            };
        }

        var outpostsTemplate = _outposts[random.Next(_outposts.Length)];
        var outpostsStatus = OutpostsStatuses[random.Next(OutpostsStatuses.Length)];
        return outpostsTemplate with
        {
            Source = Outposts,
            OrderId = OutpostsId(index),
            AccountId = OutpostIds[random.Next(OutpostIds.Length)],
            Status = new(outpostsStatus.Status, outpostsStatus.Raw),
            CreatedAt = created,
            LastUpdatedAt = updated,
        };
    }

    // Amazon's 3-7-7 digits and Outposts' oo- and 17 hex digits, unique per index.
    private static string SellingPartnerId(int index)
    {
        var digits = (902_0000000_0000000L + index).ToString("D17", System.Globalization.CultureInfo.InvariantCulture);
        return $"{digits[..3]}-{digits[3..10]}-{digits[10..]}";
    }

    private static string OutpostsId(int index) => $"oo-{index:x17}";
}
