using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderHub.Testing;

/// <summary>
/// A host that should never be called (WireMock.Net, answering <c>{}</c> to anything): it records every request that
/// reaches it, so a test can show that no credential was sent there. Its address names <c>localhost</c>, a different
/// host name from the servers under test on <c>127.0.0.1</c>.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WireMockServer _server;

    private RecordingServer(WireMockServer server)
    {
        _server = server;
        _server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
    }

    /// <summary>Gets the server's address, with <c>localhost</c> as its host.</summary>
    public Uri BaseAddress => new($"http://localhost:{_server.Ports[0]}/");

    /// <summary>Gets the requests that reached the server.</summary>
    public IReadOnlyCollection<RecordedRequest> Requests => [.. _server.LogEntries.Select(e => RecordedRequest.From(e.RequestMessage))];

    public static Task<RecordingServer> StartAsync() => Task.FromResult(new RecordingServer(WireMockServer.Start()));

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A request a WireMock.Net test server received.</summary>
/// <param name="Method">The method.</param>
/// <param name="PathAndQuery">The path and query string.</param>
/// <param name="Headers">The headers, names compared without case.</param>
/// <param name="Body">The body, as text.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string? Body = null)
{
    internal static RecordedRequest From(IRequestMessage request)
    {
        var url = new Uri(request.Url);
        return new RecordedRequest(
            request.Method,
            url.PathAndQuery,
            (request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>()).ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase),
            request.Body);
    }
}
