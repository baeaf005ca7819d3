using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using OrderHub.SellingPartner;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.Benchmarks.SellingPartner;

/// <summary>
/// One full Orders API 2026-01-01 getOrder body (every property of the spec's Order, two items, a package): OrderHub's
/// read-and-map against Newtonsoft.Json's deserialization into equivalent plain classes, against the floor of a bare
/// reader pass over the same bytes, and beside the v0 read of the full v0 body.
/// </summary>
[MemoryDiagnoser]
public class Orders20260101ReadBenchmarks
{
    private readonly OrderErrorContext _context = new("sp-api", "902-3159896-1390916");
    private string _text = string.Empty;
    private byte[] _body = [];
    private SellingPartnerResponse _response = null!;
    private SellingPartnerResponse _v0Response = null!;

    [GlobalSetup]
    public void Setup()
    {
        _text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders-2026-01-01-full.json"));
        _body = Encoding.UTF8.GetBytes(_text);
        _response = new SellingPartnerResponse(HttpStatusCode.OK, _body, "req", null);
        _v0Response = new SellingPartnerResponse(HttpStatusCode.OK, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders-v0-full.json")), "req", null);
    }

    /// <summary>The baseline: Newtonsoft.Json from the UTF-16 string into plain classes of the 2026-01-01 Order (no mapping, no raw copy).</summary>
    [Benchmark(Baseline = true)]
    public Ns2026GetOrderResponse? NewtonsoftDeserialize() => Newtonsoft.Json.JsonConvert.DeserializeObject<Ns2026GetOrderResponse>(_text);

    /// <summary>The floor: one bare <see cref="System.Text.Json.Utf8JsonReader"/> pass over the same bytes, allocating nothing.</summary>
    [Benchmark]
    public int BareReaderPassOnly() => BareReaderPass.CountTokens(_body);

    /// <summary>System.Text.Json source-generated deserialization alone.</summary>
    [Benchmark]
    public object? SystemTextJsonDeserialize() => System.Text.Json.JsonSerializer.Deserialize(_body, Orders20260101JsonContext.Default.V2026GetOrderResponse);

    /// <summary>What OrderHub does per 2026-01-01 getOrder: find the order, deserialize, map, keep the raw payload.</summary>
    [Benchmark]
    public Order OrderHubReadAndMap() => SellingPartnerOrderSource.ReadOrder20260101(_response, _context, "sp-api");

    /// <summary>The same for the full v0 body, for comparison between the versions.</summary>
    [Benchmark]
    public Order OrderHubReadAndMapV0() => SellingPartnerOrderSource.ReadOrder(_v0Response, _context, "sp-api");
}
