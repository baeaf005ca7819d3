using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace OrderHub.Api.Tests;

/// <summary>Over HTTPS the rejection is rewritten where the middleware sees the decrypted bytes, and left alone where it cannot.</summary>
public sealed class OrderApiRejectedRequestTlsTests
{
    [Fact]
    public async Task AfterUseHttps_ARejectedRequestIsAProblem()
    {
        using var certificate = SelfSigned();
        await using var app = await StartAsync(kestrel => kestrel.Listen(IPAddress.Loopback, 0, endpoint =>
        {
            endpoint.UseHttps(certificate);
            endpoint.UseOrderApiRejectionProblems();
        }));

        var answer = await SendOverTlsAsync(app, "GET / HTTP/9.9\r\nHost: api\r\n\r\n");

        answer.ShouldStartWith("HTTP/1.1 505 ");
        answer.ShouldContain("Content-Type: application/problem+json");
        answer.ShouldContain("\"status\":505");
    }

    [Fact]
    public async Task AsAnEndpointDefault_OfAnHttpsUrl_KestrelsAnswerGoesOutUntouched()
    {
        using var certificate = SelfSigned();
        await using var app = await StartAsync(
            kestrel =>
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
                kestrel.ConfigureEndpointDefaults(endpoint => endpoint.UseOrderApiRejectionProblems());
            },
            "https://127.0.0.1:0");

        var answer = await SendOverTlsAsync(app, "GET / HTTP/9.9\r\nHost: api\r\n\r\n");

        answer.ShouldStartWith("HTTP/1.1 505 ", customMessage: "the encrypted answer is neither held back nor broken");
        answer.ShouldContain("Content-Length: 0");
    }

    private static async Task<WebApplication> StartAsync(Action<KestrelServerOptions> kestrel, string? urls = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapGet("/", () => Results.Ok());
        await app.StartAsync();
        return app;
    }

    private static async Task<string> SendOverTlsAsync(WebApplication app, string request)
    {
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await tls.CopyToAsync(received, timeout.Token);
        }
        catch (IOException)
        {
            // The server closed the connection without a TLS close: what arrived before counts.
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
