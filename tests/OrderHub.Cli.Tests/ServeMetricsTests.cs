using System.Diagnostics;
using System.Net;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary><c>orderhub serve</c> exposes Prometheus metrics at /metrics, behind the API key unless told to leave it open.</summary>
public sealed class ServeMetricsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-metrics-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(Process Process, HttpClient Http)> ServeAsync(EmulatorHost emulator, params string[] extra)
    {
        var port = LoopbackPorts.Free();
        var info = CliProcess.StartInfo(emulator, ["serve", "--urls", $"http://127.0.0.1:{port}", "--db", Path.Combine(_folder, $"api-{port}.db"), .. extra]);
        info.Environment["ORDERHUB_API_KEYS"] = "metrics-reader-key";
        var process = Process.Start(info)!;
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await CliProcess.WaitUntilServingAsync(http, process);
        return (process, http);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Metrics_NeedTheApiKey_AndCountLookupsAndUpstreamCalls()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 5 });
        var (process, http) = await ServeAsync(emulator);
        try
        {
            var orderId = emulator.SellingPartner.OrderIds[0];
            (await GetAsync(http, $"orders/{orderId}", "metrics-reader-key")).StatusCode.ShouldBe(HttpStatusCode.OK);

            var refused = await GetAsync(http, "metrics", null);
            var scraped = await GetAsync(http, "metrics", "metrics-reader-key");

            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            scraped.StatusCode.ShouldBe(HttpStatusCode.OK);
            var text = await scraped.Content.ReadAsStringAsync();
            text.ShouldContain("orderhub_lookup_store");
            text.ShouldContain("orderhub_upstream_requests");
            text.ShouldContain("orderhub_ratelimit_permits");
            text.ShouldNotContain(orderId, Case.Sensitive, "metrics never carry an order id");
            text.ShouldNotContain(emulator.SellingPartner.Options.ClientSecret);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Metrics_CanBeLeftOpen_ForAScraperInATrustedNetwork()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { SpOrderCount = 5 });
        var (process, http) = await ServeAsync(emulator, "--metrics-open");
        try
        {
            (await GetAsync(http, "metrics", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await GetAsync(http, $"orders/{emulator.SellingPartner.OrderIds[0]}", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the orders still need a key");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
