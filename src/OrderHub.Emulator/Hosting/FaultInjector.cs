using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrderHub.Emulator.Hosting;

/// <summary>Decides, from a seeded random sequence, which order reads fail and how, and carries the failure out.</summary>
internal sealed class FaultInjector(FaultOptions options, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private int _injected;

    /// <summary>Gets how many faults were injected.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>
    /// Applies the latency, then perhaps a fault. Returns <see langword="true"/> when the response has been dealt with
    /// (an error written, or the connection dropped); <paramref name="errorBody"/> writes the provider's error shape.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="errorBody">Writes an error of the provider's shape: status, code, message.</param>
    /// <returns>Whether a fault was injected.</returns>
    public async Task<bool> TryInjectAsync(HttpContext http, Func<int, string, string, Task> errorBody)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(errorBody);
        if (!options.Any)
        {
            return false;
        }

        if (options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(options.Latency, http.RequestAborted);
        }

        double roll;
        lock (_lock)
        {
            roll = _random.NextDouble();
        }

        if ((roll -= options.ServerErrorRate) < 0)
        {
            Interlocked.Increment(ref _injected);
            await (roll < -options.ServerErrorRate / 2
                ? errorBody(500, "InternalFailure", "We encountered an internal error. Please try again.")
                : errorBody(503, "ServiceUnavailable", "Service temporarily unavailable."));
            return true;
        }

        if ((roll -= options.ThrottleRate) < 0)
        {
            Interlocked.Increment(ref _injected);
            await errorBody(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
            return true;
        }

        if ((roll -= options.TruncateRate) < 0)
        {
            Interlocked.Increment(ref _injected);
            var partial = Encoding.UTF8.GetBytes("{\"payload\":{\"AmazonOrderId\":\"");
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = partial.Length * 10;
            await http.Response.Body.WriteAsync(partial);
            await http.Response.Body.FlushAsync();
            http.Abort();
            return true;
        }

        if ((roll -= options.DropRate) < 0)
        {
            Interlocked.Increment(ref _injected);
            http.Abort();
            return true;
        }

        return false;
    }
}
