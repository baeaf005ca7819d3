using System.Collections.Concurrent;
using System.Globalization;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.Sts;

namespace OrderHub.Emulator.Outposts;

/// <summary>
/// What the Outposts half of the emulator holds: Outposts, orders (seeded and created), counters. Publicly, only what a
/// test reads: the ids it serves and how many requests arrived; how it serves them is internal.
/// </summary>
public sealed class OutpostsEmulatorState
{
    /// <summary>Every documented order status, deprecated ones included.</summary>
    internal static readonly string[] OrderStatuses = ["RECEIVED", "PENDING", "PROCESSING", "INSTALLING", "FULFILLED", "CANCELLED", "PREPARING", "IN_PROGRESS", "DELIVERED", "COMPLETED", "ERROR"];

    /// <summary>Every documented line item status.</summary>
    internal static readonly string[] LineItemStatuses = ["PREPARING", "BUILDING", "SHIPPED", "DELIVERED", "INSTALLING", "INSTALLED", "ERROR", "CANCELLED", "REPLACED"];

    /// <summary>Every documented carrier.</summary>
    internal static readonly string[] Carriers = ["DHL", "DBS", "FEDEX", "UPS", "EXPEDITORS"];

    private static readonly string[] PaymentOptions = ["ALL_UPFRONT", "NO_UPFRONT", "PARTIAL_UPFRONT"];
    private static readonly string[] PaymentTerms = ["THREE_YEARS", "ONE_YEAR", "FIVE_YEARS"];

    private readonly ConcurrentDictionary<string, EmulatedOrder> _orders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Offset, string Filter)> _pageTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _acceptedKeys = new(StringComparer.Ordinal);
    private readonly Random _ids;
    private readonly Lock _idLock = new();
    private long _sequence;
    private long _acceptedSequence;
    private int _requests;
    private int _createRequests;

    /// <summary>Initializes a new instance of the <see cref="OutpostsEmulatorState"/> class.</summary>
    /// <param name="options">The emulator's options.</param>
    /// <param name="sts">The emulator's STS, which says which keys may sign.</param>
    internal OutpostsEmulatorState(EmulatorOptions options, StsEmulatorState sts)
    {
        Options = options;
        Sts = sts;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        _ids = new Random(options.Seed);
        OutpostIds = [NewId("op-"), NewId("op-")];
        Faults = new FaultInjector(options.Faults, options.Seed + 1);
        Seed();
    }

    /// <summary>Issues a ListOrders NextToken (in the model's <c>digits##text</c> form) for the next page of a query.</summary>
    /// <param name="offset">Where the next page starts.</param>
    /// <param name="filter">The query's Outpost filter.</param>
    /// <returns>The token.</returns>
    internal string IssuePageToken(int offset, string filter)
    {
        var token = string.Create(CultureInfo.InvariantCulture, $"{offset}##{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))}");
        _pageTokens[token] = (offset, filter);
        return token;
    }

    /// <summary>Finds where a NextToken this service issued, for this same query, continues; a token it never issued is refused.</summary>
    internal bool TryRedeemPageToken(string token, string filter, out int offset)
    {
        offset = 0;
        if (!_pageTokens.TryGetValue(token, out var page) || page.Filter != filter)
        {
            return false;
        }

        offset = page.Offset;
        return true;
    }

    /// <summary>Gets the fault injector of GetOrder.</summary>
    internal FaultInjector Faults { get; }

    /// <summary>Gets the emulator's options.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Gets the emulator's STS, which says which keys may sign.</summary>
    internal StsEmulatorState Sts { get; }

    /// <summary>Gets the access key ids whose signatures were accepted (the long-term key, temporary credentials from STS), first accepted first.</summary>
    public IReadOnlyList<string> AcceptedAccessKeyIds => [.. _acceptedKeys.OrderBy(k => k.Value).Select(k => k.Key)];

    /// <summary>Gets the clock orders progress on.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>Gets the ids of the emulated Outposts.</summary>
    public IReadOnlyList<string> OutpostIds { get; }

    /// <summary>Gets every order id, oldest first.</summary>
    public IReadOnlyList<string> OrderIds => [.. _orders.Values.OrderBy(o => o.Sequence).Select(o => o.OrderId)];

    /// <summary>Gets how many requests arrived, signed correctly or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets how many CreateOrder requests were accepted (after signature checks).</summary>
    public int CreateRequests => Volatile.Read(ref _createRequests);

    /// <summary>Gets how many faults were injected into GetOrder (<see cref="EmulatorOptions.Faults"/>).</summary>
    public int FaultsInjected => Faults.Injected;

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal void Accepted(string accessKeyId) => _acceptedKeys.TryAdd(accessKeyId, Interlocked.Increment(ref _acceptedSequence));

    internal void CountCreate() => Interlocked.Increment(ref _createRequests);

    internal bool TryGet(string orderId, out EmulatedOrder order) => _orders.TryGetValue(orderId, out order!);

    internal IEnumerable<EmulatedOrder> List() => _orders.Values.OrderBy(o => o.Sequence);

    internal EmulatedOrder Create(string outpostId, IReadOnlyList<(string CatalogItemId, int Quantity)> lines, string? quoteId, string? quoteOptionId, string paymentOption, string? paymentTerm)
    {
        var order = new EmulatedOrder
        {
            OrderId = NewId("oo-"),
            OutpostId = outpostId,
            Sequence = Interlocked.Increment(ref _sequence),
            SubmittedAt = TimeProvider.GetUtcNow(),
            Progresses = true,
            PaymentOption = paymentOption,
            PaymentTerm = paymentTerm,
            OrderType = "OUTPOST",
            QuoteIdentifier = quoteId,
            QuoteOptionIdentifier = quoteOptionId,
            Lines = [.. (lines.Count > 0 ? lines : [("OR-QUOTE01", 1)]).Select(l => new EmulatedLine { LineItemId = NewId("ooi-"), CatalogItemId = l.CatalogItemId, Quantity = l.Quantity })],
        };
        _orders[order.OrderId] = order;
        return order;
    }

    /// <summary>Where a progressing order is now: PREPARING, IN_PROGRESS, DELIVERED, then COMPLETED, one step apart.</summary>
    internal string StatusOf(EmulatedOrder order)
    {
        if (!order.Progresses || order.FixedStatus is not null)
        {
            return order.FixedStatus ?? "PREPARING";
        }

        var steps = (TimeProvider.GetUtcNow() - order.SubmittedAt) / Options.OutpostsStatusStep;
        return steps switch
        {
            < 1 => "PREPARING",
            < 2 => "IN_PROGRESS",
            < 3 => "DELIVERED",
            _ => "COMPLETED",
        };
    }

    internal DateTimeOffset? FulfilledAt(EmulatedOrder order) =>
        order.FixedFulfilledAt ?? (StatusOf(order) == "COMPLETED" && order.Progresses ? order.SubmittedAt + (3 * Options.OutpostsStatusStep) : null);

    internal string NewId(string prefix)
    {
        lock (_idLock)
        {
            var bytes = new byte[9];
            _ids.NextBytes(bytes);
            return prefix + Convert.ToHexStringLower(bytes)[..17];
        }
    }

    private void Seed()
    {
        // One order submitted a day, dated back from the start (on the emulator's clock) so that the last is submitted
        // and the fulfilled ones fulfilled (30 days after submission) in the past.
        var count = OrderStatuses.Length + 2 + Options.OutpostsOrderCount;
        var now = TimeProvider.GetUtcNow();
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-(count + 31));
        var index = 0;
        EmulatedOrder Add(string status, int lineCount)
        {
            var i = index++;
            var order = new EmulatedOrder
            {
                OrderId = NewId("oo-"),
                OutpostId = OutpostIds[i % OutpostIds.Count],
                Sequence = Interlocked.Increment(ref _sequence),
                SubmittedAt = start.AddDays(i).AddMilliseconds(123),
                FixedStatus = status,
                FixedFulfilledAt = status is "COMPLETED" or "FULFILLED" ? start.AddDays(i + 30) : null,
                PaymentOption = PaymentOptions[i % PaymentOptions.Length],
                PaymentTerm = PaymentTerms[i % PaymentTerms.Length],
                OrderType = "OUTPOST",
                Lines = [.. Enumerable.Range(0, lineCount).Select(l => new EmulatedLine
                {
                    LineItemId = NewId("ooi-"),
                    CatalogItemId = string.Create(CultureInfo.InvariantCulture, $"OR-{(char)('A' + (l % 26))}{i:D6}"),
                    Quantity = 1 + (l % 3),
                    FixedStatus = LineItemStatuses[(i + l) % LineItemStatuses.Length],
                    Carrier = Carriers[(i + l) % Carriers.Length],
                    TrackingNumber = string.Create(CultureInfo.InvariantCulture, $"TRACK{i:D4}{l:D3}"),
                    AssetId = string.Create(CultureInfo.InvariantCulture, $"asset{i}x{l}"),
                    MacAddresses = [string.Create(CultureInfo.InvariantCulture, $"0A:1B:2C:3D:{i % 256:X2}:{l % 256:X2}")],
                })],
            };
            _orders[order.OrderId] = order;
            return order;
        }

        // One order in every documented status, their lines covering every line status and carrier.
        EmulatedOrder? first = null;
        foreach (var status in OrderStatuses)
        {
            first ??= Add(status, 3);
            if (first.FixedStatus != status)
            {
                Add(status, 3);
            }
        }

        // A replacement order, whose line replaces a line of the first order.
        var replacement = Add("IN_PROGRESS", 1);
        replacement.OrderType = "REPLACEMENT";
        replacement.Lines[0].PreviousOrderId = first!.OrderId;
        replacement.Lines[0].PreviousLineItemId = first.Lines[0].LineItemId;

        // An order created from a quote.
        var quoted = Add("PREPARING", 1);
        quoted.QuoteIdentifier = NewId("oq-");
        quoted.QuoteOptionIdentifier = NewId("oqo-");

        for (var i = 0; i < Options.OutpostsOrderCount; i++)
        {
            Add(OrderStatuses[i % OrderStatuses.Length], 1 + (i % 2));
        }
    }
}

/// <summary>One emulated Outposts order.</summary>
internal sealed class EmulatedOrder
{
    public required string OrderId { get; init; }
    public required string OutpostId { get; init; }
    public required long Sequence { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public bool Progresses { get; init; }
    public string? FixedStatus { get; set; }
    public DateTimeOffset? FixedFulfilledAt { get; init; }
    public required string PaymentOption { get; init; }
    public string? PaymentTerm { get; init; }
    public required string OrderType { get; set; }
    public string? QuoteIdentifier { get; set; }
    public string? QuoteOptionIdentifier { get; set; }
    public required List<EmulatedLine> Lines { get; init; }
}

/// <summary>One emulated line item.</summary>
internal sealed class EmulatedLine
{
    public required string LineItemId { get; init; }
    public required string CatalogItemId { get; init; }
    public required int Quantity { get; init; }
    public string? FixedStatus { get; init; }
    public string? Carrier { get; init; }
    public string? TrackingNumber { get; init; }
    public string? AssetId { get; init; }
    public List<string> MacAddresses { get; init; } = [];
    public string? PreviousOrderId { get; set; }
    public string? PreviousLineItemId { get; set; }
}
