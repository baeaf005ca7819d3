using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderHub.Emulator.SellingPartner.Reports;

/// <summary>
/// What the emulator's Reports API remembers: every seller's reports, their documents (built once, on the first
/// download), the seeded draws that make some reports fail, the key its document URLs are signed with, and counters.
/// </summary>
internal sealed class SpReportState
{
    private readonly ConcurrentDictionary<string, EmulatedReport> _reports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EmulatedReport> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<byte[]>> _content = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Random _draws;
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);
    private long _sequence;
    private int _requests;
    private int _downloads;
    private int _downloadsRefused;
    private int _downloadsWithAccessToken;
    private int _fatal;

    /// <summary>Initializes a new instance of the <see cref="SpReportState"/> class.</summary>
    /// <param name="options">The Reports API's settings.</param>
    /// <param name="seed">The emulator's seed: the FATAL draws and the document ids come from it.</param>
    public SpReportState(SpReportOptions options, int seed)
    {
        Options = options;
        _draws = new Random(unchecked(seed * 31) ^ 0x5EED);
    }

    public SpReportOptions Options { get; }

    /// <summary>Gets how many Reports API requests arrived (accepted or not).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets how many reports were created.</summary>
    public int Created => (int)Interlocked.Read(ref _sequence);

    /// <summary>Gets how many of them end FATAL.</summary>
    public int Fatal => Volatile.Read(ref _fatal);

    /// <summary>Gets how many documents were downloaded.</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>Gets how many downloads were refused (an expired or altered URL, or an access token sent along).</summary>
    public int DownloadsRefused => Volatile.Read(ref _downloadsRefused);

    /// <summary>Gets how many downloads carried an access token, which belongs to the Selling Partner API alone.</summary>
    public int DownloadsWithAccessToken => Volatile.Read(ref _downloadsWithAccessToken);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountDownload() => Interlocked.Increment(ref _downloads);

    public void CountRefusedDownload(bool withAccessToken)
    {
        Interlocked.Increment(ref _downloadsRefused);
        if (withAccessToken)
        {
            Interlocked.Increment(ref _downloadsWithAccessToken);
        }
    }

    /// <summary>Creates a report: its id, its schedule on the clock, and how it ends (FATAL by a seeded draw, CANCELLED when empty).</summary>
    /// <param name="seller">The seller's refresh token.</param>
    /// <param name="region">The seller's region code (the document id names it).</param>
    /// <param name="reportType">The report type.</param>
    /// <param name="marketplaceIds">The marketplaces asked for.</param>
    /// <param name="start">The window's start.</param>
    /// <param name="end">The window's end.</param>
    /// <param name="now">The time of the request.</param>
    /// <param name="orders">The orders the window holds now.</param>
    /// <returns>The report.</returns>
    public EmulatedReport Create(string seller, string region, string reportType, IReadOnlyList<string> marketplaceIds, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, IReadOnlyList<SpOrderRecord> orders)
    {
        double draw;
        long sequence;
        byte[] documentBytes = new byte[16];
        lock (_lock)
        {
            sequence = ++_sequence;
            draw = _draws.NextDouble();
            _draws.NextBytes(documentBytes);
        }

        var outcome = draw < Options.FatalRate ? ReportOutcome.Fatal : orders.Count == 0 ? ReportOutcome.NoData : ReportOutcome.Done;
        if (outcome == ReportOutcome.Fatal)
        {
            Interlocked.Increment(ref _fatal);
        }
        var report = new EmulatedReport
        {
            ReportId = (50_000_000_000 + sequence).ToString(CultureInfo.InvariantCulture),
            Seller = seller,
            ReportType = reportType,
            MarketplaceIds = marketplaceIds,
            DataStartTime = start,
            DataEndTime = end,
            CreatedTime = now,
            ProcessingStartTime = now + (Options.ProcessingDelay / 2),
            ProcessingEndTime = now + Options.ProcessingDelay,
            Outcome = outcome,
            Orders = orders,
            DocumentId = outcome == ReportOutcome.NoData ? null : $"amzn1.spdoc.1.4.{region}.{new Guid(documentBytes):D}.T{sequence.ToString(CultureInfo.InvariantCulture)}",
        };
        _reports[report.ReportId] = report;
        if (report.DocumentId is { } documentId)
        {
            _documents[documentId] = report;
            _content[documentId] = new Lazy<byte[]>(() => Build(report));
        }

        return report;
    }

    /// <summary>Finds one of a seller's reports: another seller's is not found.</summary>
    public bool TryGet(string reportId, string seller, out EmulatedReport report) =>
        _reports.TryGetValue(reportId, out report!) && report.Seller == seller;

    /// <summary>Gets a seller's reports, the newest first.</summary>
    public IEnumerable<EmulatedReport> Of(string seller) =>
        _reports.Values.Where(r => r.Seller == seller).OrderByDescending(r => r.CreatedTime).ThenByDescending(r => r.ReportId, StringComparer.Ordinal);

    /// <summary>Finds the report of one of a seller's documents.</summary>
    public bool TryGetDocument(string documentId, string seller, out EmulatedReport report) =>
        _documents.TryGetValue(documentId, out report!) && report.Seller == seller;

    /// <summary>Finds the report of a document, whoever's it is (the download URL carries no seller).</summary>
    public bool TryGetDocument(string documentId, out EmulatedReport report) => _documents.TryGetValue(documentId, out report!);

    /// <summary>Gets a document's bytes: the gzip-compressed flat file of a done report, the error of a failed one.</summary>
    public byte[] Content(string documentId) => _content[documentId].Value;

    /// <summary>Signs a document URL's parameters, so a changed document, time or lifetime is refused.</summary>
    public string Sign(string documentId, string date, int expiresSeconds, string? contentEncoding) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(string.Join('\n', documentId, date, expiresSeconds.ToString(CultureInfo.InvariantCulture), contentEncoding ?? string.Empty))));

    // A failed report's document says why, in a line of JSON; it is not compressed, so a client meets both kinds.
    private static byte[] Build(EmulatedReport report) => report.Outcome == ReportOutcome.Fatal
        ? JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["errorDetails"] = "The report could not be generated because of an internal error. Request it again later." })
        : OrderReportFlatFile.WriteGzip(report.ReportType, report.Orders);
}
