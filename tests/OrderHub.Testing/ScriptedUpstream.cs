using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderHub.Testing;

/// <summary>
/// An upstream on WireMock.Net whose every answer comes from a script (<see cref="ScriptedSequence"/>): status, body
/// and headers, each with the request id <c>req-N</c> of its step; what was sent is read back from the request log.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WireMockServer _server;
    private readonly ScriptedSequence _answers;

    private ScriptedUpstream(WireMockServer server, int status, string body)
    {
        _server = server;
        _answers = new ScriptedSequence(server, "upstream", [("GET", ".*"), ("POST", ".*"), ("PUT", ".*"), ("DELETE", ".*"), ("PATCH", ".*")], _ => Answer(status, body, null, "req-default"));
    }

    /// <summary>Gets the server's address, on 127.0.0.1.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{_server.Ports[0]}/");

    /// <summary>Gets the requests received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _server.LogEntries.Select(e => RecordedRequest.From(e.RequestMessage))];

    /// <summary>Starts a server that answers <paramref name="status"/> and <paramref name="body"/> until scripted otherwise.</summary>
    public static ScriptedUpstream Start(int status, string body) => new(WireMockServer.Start(), status, body);

    /// <summary>Appends an answer; the step's request id is <c>req-N</c>, N counting from 1.</summary>
    public void Enqueue(int status, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var requestId = $"req-{_answers.Count + 1}";
        _answers.Add(_ => Answer(status, body, headers, requestId));
    }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IResponseBuilder Answer(int status, string body, IReadOnlyDictionary<string, string>? headers, string requestId)
    {
        var answer = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("x-amzn-RequestId", requestId).WithBody(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            answer = answer.WithHeader(name, value);
        }

        return answer;
    }
}
