using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrderHub.Testing;

/// <summary>
/// An OTLP/HTTP receiver on loopback (<c>POST /v1/traces</c>, <c>/v1/logs</c>, <c>/v1/metrics</c>): it keeps the
/// protobuf body of every export as it arrived, so a test can look for text in exactly what an exporter sent (protobuf
/// writes strings as UTF-8, unchanged).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();
    private LoopbackServer _server = null!;

    /// <summary>Gets the base address, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it.</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>Gets the address of one signal's export (<c>traces</c>, <c>logs</c>, <c>metrics</c>), as an exporter's <c>Endpoint</c> takes it.</summary>
    /// <param name="signal">The signal.</param>
    /// <returns>The address.</returns>
    public Uri EndpointOf(string signal) => new(_server.BaseAddress, "v1/" + signal);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext http, string signal) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            receiver._exports.Enqueue((signal, body.ToArray()));

            // An empty Export*ServiceResponse: everything was accepted.
            return Results.Bytes([], "application/x-protobuf");
        }));
        return receiver;
    }

    /// <summary>Gets every body received for a signal, one after the other.</summary>
    /// <param name="signal">The signal.</param>
    /// <returns>The bytes.</returns>
    public byte[] Received(string signal) => [.. _exports.Where(e => e.Signal == signal).SelectMany(e => e.Body)];

    /// <summary>Tells whether any export of a signal holds a text (its UTF-8 bytes).</summary>
    /// <param name="signal">The signal.</param>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Holds(string signal, string text) => Received(signal).AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>Tells whether any export of any signal holds a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> when one does.</returns>
    public bool AnyHolds(string text) => _exports.Any(e => e.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0);

    /// <summary>Gets the signals received so far, with how many bytes of each.</summary>
    public string Summary => string.Join(", ", _exports.GroupBy(e => e.Signal).Select(g => $"{g.Key}: {g.Count()} exports, {g.Sum(e => e.Body.Length)} bytes"));

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
