using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrderHub.Testing;

/// <summary>
/// A host that should never be called: it records every request that reaches it (method, path, headers), so a test
/// can show that no credential was sent there. It listens on <c>localhost</c>, a different host name from the
/// servers under test on <c>127.0.0.1</c>.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private LoopbackServer _server = null!;

    /// <summary>Gets the server's address, with <c>localhost</c> as its host.</summary>
    public Uri BaseAddress => new UriBuilder(_server.BaseAddress) { Host = "localhost" }.Uri;

    /// <summary>Gets the requests that reached the server.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static async Task<RecordingServer> StartAsync()
    {
        var recorder = new RecordingServer();
        recorder._server = await LoopbackServer.StartAsync(app => app.Run(http =>
        {
            recorder._requests.Enqueue(new RecordedRequest(
                http.Request.Method,
                http.Request.Path + http.Request.QueryString,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return http.Response.WriteAsync("{}");
        }));
        return recorder;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>A request that reached a <see cref="RecordingServer"/>.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);
