using System.Text.Json;

namespace OrderHub.Benchmarks.SellingPartner;

/// <summary>The floor of any read: one <see cref="Utf8JsonReader"/> pass over every token of a body, allocating nothing.</summary>
internal static class BareReaderPass
{
    /// <summary>Reads every token and returns how many there were (so the pass cannot be optimized away).</summary>
    public static int CountTokens(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
