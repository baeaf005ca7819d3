using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub serve</c> answers the requests Kestrel rejects before its pipeline with problem+json too.</summary>
public sealed class ServeRejectedRequestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-rejected-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task MalformedRequests_AreProblems_WithKestrelsStatus()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 5 });
        var port = LoopbackPorts.Free();
        var info = CliProcess.StartInfo(emulator, ["serve", "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(_folder, "api.db")]);
        info.Environment["ORDERHUB_API_KEYS"] = "rejected-reader-key";
        using var serve = Process.Start(info)!;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await CliProcess.WaitUntilServingAsync(http, serve);

            foreach (var (request, status) in new[] { ("GET /orders/a\0b HTTP/1.1\r\nHost: api\r\n\r\n", 400), ("GET / HTTP/9.9\r\nHost: api\r\n\r\n", 505) })
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                await tcp.GetStream().WriteAsync(Encoding.Latin1.GetBytes(request));
                using var received = new MemoryStream();
                await tcp.GetStream().CopyToAsync(received);
                var answer = Encoding.Latin1.GetString(received.ToArray());
                var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);

                answer.ShouldStartWith($"HTTP/1.1 {status} ");
                answer[..end].ShouldContain("Content-Type: application/problem+json");
                var problem = JsonDocument.Parse(answer[(end + 4)..]).RootElement;
                problem.GetProperty("status").GetInt32().ShouldBe(status);
                problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
            }
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }
}
