using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderHub.Testing;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OrderHub.Benchmarks.Events;

/// <summary>
/// A webhook receiver on a loopback Kestrel server that notes when each change first arrives (delivery is at least
/// once), by the position in its <c>webhook-id</c> (<c>msg_&lt;position&gt;</c>), as soon as the body is read; it then
/// checks the signature with the Standard Webhooks verifier, as a real receiver would, and answers 200 at once.
/// </summary>
internal sealed class ArrivalReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, long> _arrivedAt = new();
    private readonly string _secret;
    private LoopbackServer? _server;
    private int _requests;
    private int _unverified;
    private long _bodyBytes;

    private ArrivalReceiver(string secret) => _secret = secret;

    public Uri Url => new(_server!.BaseAddress, "hooks/orders");

    /// <summary>Gets how many distinct changes arrived.</summary>
    public int Count => _arrivedAt.Count;

    /// <summary>Gets how many requests arrived, repeats included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets how many requests the verifier refused (or that carried no position).</summary>
    public int Unverified => Volatile.Read(ref _unverified);

    public double MeanBodyBytes => Requests == 0 ? 0 : (double)Interlocked.Read(ref _bodyBytes) / Requests;

    /// <summary>Gets the first arrival of each change, by position.</summary>
    public IReadOnlyDictionary<long, long> ArrivedAt => _arrivedAt;

    public static async Task<ArrivalReceiver> StartAsync(string secret)
    {
        var receiver = new ArrivalReceiver(secret);
        receiver._server = await LoopbackServer.StartAsync(app => app.Run(receiver.ReceiveAsync));
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var at = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _bodyBytes, http.Request.ContentLength ?? Encoding.UTF8.GetByteCount(body));
        var id = http.Request.Headers["webhook-id"].ToString();
        var known = false;
        if (id.StartsWith("msg_", StringComparison.Ordinal) && long.TryParse(id.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            _arrivedAt.TryAdd(position, at);
            known = true;
        }

        try
        {
            new StandardWebhook(_secret).Verify(body, http.Request.Headers);
        }
        catch (Exception e) when (e is WebhookVerificationException or FormatException or ArgumentException)
        {
            known = false;
        }

        if (!known)
        {
            Interlocked.Increment(ref _unverified);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
