using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>
/// Requests Kestrel rejects itself, before any middleware runs, sent as raw bytes over a real socket: the answer is
/// problem+json with Kestrel's status, like every other error of the API.
/// </summary>
public sealed class OrderApiRejectedRequestTests : IAsyncLifetime
{
    private ApiFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await ApiFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [InlineData("GET /orders/a\0b HTTP/1.1\r\nHost: api\r\n\r\n", 400)]
    [InlineData("GET /orders/902-3159896-1390916 HTTP/1.1\r\nHost: api\r\nX-Api-Key: reader\u00ffkey\r\n\r\n", 400)]
    [InlineData("GET /orders/\u00e9 HTTP/1.1\r\nHost: api\r\n\r\n", 400)]
    [InlineData("GET / HTTP/9.9\r\nHost: api\r\n\r\n", 505)]
    public async Task RequestKestrelRejects_IsAnsweredWithAProblem(string request, int status)
    {
        var answers = await SendAsync(Encoding.Latin1.GetBytes(request));

        var (statusLine, headers, problem) = answers.Single();
        statusLine.ShouldStartWith($"HTTP/1.1 {status} ");
        headers["Content-Type"].ShouldBe("application/problem+json");
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
        headers["Connection"].ShouldBe("close", "Kestrel still closes the connection it could not read");
    }

    [Fact]
    public async Task HeadersOverTheLimit_AreA431Problem()
    {
        var answers = await SendAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: api\r\nX-Padding: {new string('a', 40 * 1024)}\r\n\r\n"));

        var (statusLine, headers, problem) = answers.Single();
        statusLine.ShouldStartWith("HTTP/1.1 431 ");
        headers["Content-Type"].ShouldBe("application/problem+json");
        problem.GetProperty("status").GetInt32().ShouldBe(431);
    }

    [Fact]
    public async Task ARejectedRequestAfterAGoodOne_OnOneConnection_LeavesTheFirstAnswerAsItWas()
    {
        var answers = await SendAsync(Encoding.Latin1.GetBytes("GET /healthz HTTP/1.1\r\nHost: api\r\n\r\nGET /orders/a\0b HTTP/1.1\r\nHost: api\r\n\r\n"));

        answers.Count.ShouldBe(2);
        answers[0].StatusLine.ShouldStartWith("HTTP/1.1 200 ");
        answers[0].Body.GetProperty("store").GetString().ShouldBe("ok");
        answers[1].StatusLine.ShouldStartWith("HTTP/1.1 400 ");
        answers[1].Headers["Content-Type"].ShouldBe("application/problem+json");
        answers[1].Body.GetProperty("status").GetInt32().ShouldBe(400);
    }

    // Writes the bytes, reads until the server closes the connection, and splits what came into HTTP/1.1 answers.
    private async Task<List<(string StatusLine, Dictionary<string, string> Headers, JsonElement Body)>> SendAsync(byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_fixture.Api.BaseAddress.Host, _fixture.Api.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(received, timeout.Token);

        var text = Encoding.Latin1.GetString(received.ToArray());
        var answers = new List<(string, Dictionary<string, string>, JsonElement)>();
        while (text.Length > 0)
        {
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            end.ShouldBeGreaterThan(0, $"an HTTP head in: {text}");
            var lines = text[..end].Split("\r\n");
            var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
            text = text[(end + 4)..];
            var body = new StringBuilder();
            if (headers.TryGetValue("Content-Length", out var contentLength))
            {
                var length = int.Parse(contentLength, System.Globalization.CultureInfo.InvariantCulture);
                body.Append(text[..length]);
                text = text[length..];
            }
            else
            {
                headers["Transfer-Encoding"].ShouldBe("chunked");
                int size;
                do
                {
                    var lineEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
                    size = int.Parse(text[..lineEnd], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                    body.Append(text.AsSpan(lineEnd + 2, size));
                    text = text[(lineEnd + 2 + size + 2)..];
                }
                while (size > 0);
            }

            body.Length.ShouldBeGreaterThan(0, "every answer has a body: " + string.Join(" | ", lines));
            answers.Add((lines[0], headers, JsonDocument.Parse(Encoding.Latin1.GetBytes(body.ToString())).RootElement));
        }

        return answers;
    }
}
