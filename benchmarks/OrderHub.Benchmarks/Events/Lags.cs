using System.Diagnostics;
using System.Globalization;

namespace OrderHub.Benchmarks.Events;

/// <summary>p50, p99 and the maximum of a set of delays in milliseconds (nearest rank).</summary>
internal sealed record Lags(int Count, double P50, double P99, double Max)
{
    public static Lags Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted.Length == 0
            ? new Lags(0, double.NaN, double.NaN, double.NaN)
            : new Lags(sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1]);
    }

    /// <summary>How long from one <see cref="Stopwatch"/> timestamp to another, in milliseconds.</summary>
    public static double Between(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>The delay of each change from <paramref name="from"/> to <paramref name="to"/>, for the changes in both.</summary>
    public static IEnumerable<double> Each(IReadOnlyDictionary<string, long> from, IReadOnlyDictionary<string, long> to) =>
        from.Where(f => to.ContainsKey(f.Key)).Select(f => Between(f.Value, to[f.Key]));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Format(P50)} / {Format(P99)} / {Format(Max)} ms");

    public static string Format(double milliseconds) => milliseconds switch
    {
        double.NaN => "-",
        < 10 => milliseconds.ToString("0.00", CultureInfo.InvariantCulture),
        < 100 => milliseconds.ToString("0.0", CultureInfo.InvariantCulture),
        _ => milliseconds.ToString("#,0", CultureInfo.InvariantCulture),
    };

    private static double Rank(double[] sorted, double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
