using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using OrderHub.SellingPartner;
using OrderHub.SellingPartner.Http;
using OrderHub.SellingPartner.Wire;

namespace OrderHub.Benchmarks.SellingPartner;

/// <summary>
/// One full getOrder v0 body (all 47 Order properties): OrderHub's read-and-map against Newtonsoft.Json's
/// deserialization into equivalent plain classes, and against the floor of a bare reader pass over the same bytes.
/// </summary>
[MemoryDiagnoser]
public class GetOrderDeserializationBenchmarks
{
    private byte[] _body = [];
    private string _text = string.Empty;
    private SellingPartnerResponse _response = null!;
    private V0Order _wire = null!;
    private RawPayload _payload = null!;
    private readonly OrderErrorContext _context = new("sp-api", "902-3159896-1390916");

    [GlobalSetup]
    public void Setup()
    {
        _text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders-v0-full.json"));
        _body = Encoding.UTF8.GetBytes(_text);
        _response = new SellingPartnerResponse(HttpStatusCode.OK, _body, "req", null);
        _payload = RawPayload.FromElement(System.Text.Json.JsonDocument.Parse(_body).RootElement.GetProperty("payload"));
        _wire = System.Text.Json.JsonSerializer.Deserialize(_payload.Utf8Json.Span, SellingPartnerJsonContext.Default.V0Order)!;
    }

    /// <summary>The unified mapping alone, from already-deserialized wire types.</summary>
    [Benchmark]
    public Order MapOnly() => OrderHub.SellingPartner.Mapping.OrdersV0Mapper.Map(_wire, _payload, "sp-api");

    /// <summary>The floor: one bare <see cref="System.Text.Json.Utf8JsonReader"/> pass over the same bytes, allocating nothing.</summary>
    [Benchmark]
    public int BareReaderPassOnly() => BareReaderPass.CountTokens(_body);

    /// <summary>The baseline: Newtonsoft.Json from the UTF-16 string into plain classes (no mapping, no raw copy).</summary>
    [Benchmark(Baseline = true)]
    public NsGetOrderResponse? NewtonsoftDeserialize() => Newtonsoft.Json.JsonConvert.DeserializeObject<NsGetOrderResponse>(_text);

    /// <summary>Newtonsoft.Json from the UTF-8 bytes, as they come off the socket.</summary>
    [Benchmark]
    public NsGetOrderResponse? NewtonsoftDeserializeFromBytes()
    {
        using var reader = new StreamReader(new MemoryStream(_body), Encoding.UTF8);
        using var json = new Newtonsoft.Json.JsonTextReader(reader);
        return Newtonsoft.Json.JsonSerializer.CreateDefault().Deserialize<NsGetOrderResponse>(json);
    }

    /// <summary>System.Text.Json source-generated deserialization alone, from the UTF-8 bytes.</summary>
    [Benchmark]
    public object? SystemTextJsonDeserialize() => System.Text.Json.JsonSerializer.Deserialize(_body, SellingPartnerJsonContext.Default.GetOrderResponse);

    /// <summary>What OrderHub does per getOrder: parse, deserialize, map into the unified model, keep the raw payload.</summary>
    [Benchmark]
    public Order OrderHubReadAndMap() => SellingPartnerOrderSource.ReadOrder(_response, _context, "sp-api");
}
