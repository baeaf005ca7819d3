using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrderHub.Emulator.Hosting;
using OrderHub.Emulator.Aws;
using OrderHub.Outposts.Tests.Support;
using static OrderHub.Outposts.Tests.Support.SigV4Vectors;
using Shouldly;
using Xunit;

namespace OrderHub.Outposts.Tests.Http;

/// <summary>
/// The emulator accepts any valid SigV4 request, as AWS does, not just the shape OrderHub's client sends: the requests
/// botocore and aws-c-auth signed in their published test suites (no x-amz-content-sha256 signed; a session token; a
/// presigned query string), and AWSSDK.Core signing with settings the client does not use.
/// </summary>
public sealed class EmulatorSigV4VerifierTests
{
    private static readonly DateTimeOffset SignedAtUtc = new(SignedAt);
    private static readonly Func<string, SigningKey> Keys = SigV4Verifier.Only(AccessKey, SecretKey);

    // The suite's signed request, with the Authorization it publishes as the answer (one .sreq of the suite carries a
    // stale one).
    private static string BotocoreSignedRequest(string name) => string.Join('\n', Read(name, $"{name}.sreq").Split('\n')
        .Select(line => line.StartsWith("Authorization:", StringComparison.Ordinal) ? "Authorization: " + Read(name, $"{name}.authz").Trim() : line));

    /// <summary>Turns a signed request as the test suites write it into the request the emulator's verifier sees.</summary>
    private static (HttpRequest Request, byte[] Body) Parse(string signedRequest, Func<string, string>? tamper = null)
    {
        var text = tamper?.Invoke(signedRequest) ?? signedRequest;
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = (blank < 0 ? text : text[..blank]).Split('\n');
        var body = Encoding.UTF8.GetBytes(blank < 0 ? string.Empty : text[(blank + 2)..]);
        var requestLine = head[0].Split(' ');
        var target = requestLine[1];
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        var request = context.Request;
        request.Method = requestLine[0];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        request.Path = question < 0 ? target : target[..question];
        request.QueryString = question < 0 ? QueryString.Empty : new QueryString(target[question..]);
        string? lastName = null;
        foreach (var line in head.Skip(1))
        {
            if (line.StartsWith(' ') && lastName is not null)
            {
                request.Headers[lastName] = request.Headers[lastName] + "," + line; // a folded continuation
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            request.Headers.Append(name, value);
            lastName = name;
        }

        return (request, body);
    }

    [Theory]
    [InlineData("get-vanilla")]
    [InlineData("get-vanilla-query-order-key-case")]
    [InlineData("get-vanilla-with-session-token")]
    [InlineData("post-vanilla")]
    [InlineData("post-x-www-form-urlencoded")]
    public void BotocoreSignedRequest_NotSigningTheContentHash_IsAccepted(string name)
    {
        var (request, body) = Parse(BotocoreSignedRequest(name));

        SigV4Verifier.Verify(request, body, Keys, ["us-east-1"], "service", SignedAtUtc).ShouldBeNull();
    }

    [Theory]
    [InlineData("header-signed-request.txt", 0)]
    [InlineData("query-signed-request.txt", 30)]
    public void AwsCAuthSignedRequest_InTheHeaderOrPresignedInTheQuery_IsAccepted(string file, int minutesLater)
    {
        var (request, body) = Parse(Read("aws-c-auth-v4", "post-x-www-form-urlencoded", file));

        SigV4Verifier.Verify(request, body, Keys, ["us-east-1"], "service", SignedAtUtc.AddMinutes(minutesLater)).ShouldBeNull();
    }

    [Theory]
    [InlineData("get-vanilla", "Host:example.amazonaws.com", "Host:example.amazonaws.org")]
    [InlineData("post-x-www-form-urlencoded", "Param1=value1", "Param1=value2")]
    [InlineData("get-vanilla-with-session-token", "X-Amz-Security-Token:6e", "X-Amz-Security-Token:7e")]
    public void SignedRequest_ChangedAfterSigning_IsRefused(string name, string from, string to)
    {
        var (request, body) = Parse(BotocoreSignedRequest(name), text => text.Replace(from, to, StringComparison.Ordinal));

        SigV4Verifier.Verify(request, body, Keys, ["us-east-1"], "service", SignedAtUtc)!.Value.Type.ShouldBe("InvalidSignatureException");
    }

    [Fact]
    public void PresignedRequest_PastItsExpiry_IsRefused()
    {
        var (request, body) = Parse(Read("aws-c-auth-v4", "post-x-www-form-urlencoded", "query-signed-request.txt"));

        SigV4Verifier.Verify(request, body, Keys, ["us-east-1"], "service", SignedAtUtc.AddHours(2))!.Value.Message.ShouldContain("expired");
    }

    [Fact]
    public void SignedRequest_ScopedToAnotherRegion_IsRefused()
    {
        var (request, body) = Parse(BotocoreSignedRequest("get-vanilla"));

        var denied = SigV4Verifier.Verify(request, body, Keys, ["us-west-2"], "service", SignedAtUtc);

        denied!.Value.Message.ShouldContain("valid region");
    }

    [Fact]
    public void SignedRequest_ScopedToAnotherService_IsRefused()
    {
        var (request, body) = Parse(BotocoreSignedRequest("get-vanilla"));

        var denied = SigV4Verifier.Verify(request, body, Keys, ["us-east-1"], "outposts", SignedAtUtc);

        denied!.Value.Message.ShouldBe("Credential should be scoped to correct service: 'outposts'.");
    }

    [Fact]
    public void HeaderSignedRequest_StaleBeyondFiveMinutes_IsRefused()
    {
        var (request, body) = Parse(BotocoreSignedRequest("get-vanilla"));

        SigV4Verifier.Verify(request, body, Keys, ["us-east-1"], "service", SignedAtUtc.AddMinutes(6))!.Value.Message.ShouldContain("Signature expired");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestsSignedByAWSSDKCoreWithTemporaryCredentialsFromSts_InTheHeaderOrPresigned_AreAnsweredOverHttp(bool presigned)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var session = await EmulatorSts.AssumeRoleAsync(emulator);
        var orderId = emulator.Outposts.OrderIds[0];
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri(emulator.BaseAddress, $"orders/{orderId}") };
        var parameters = new AWSSigV4Parameters
        {
            Credentials = session.AsSession(),
            Region = RegionEndpoint.USWest2,
            Service = "outposts",
        };
        using var message = new HttpRequestMessage(HttpMethod.Get, signing.RequestUri);
        if (presigned)
        {
            var presign = AWSSigV4Signer.Presign(signing, parameters, TimeSpan.FromMinutes(5));
            message.RequestUri = presign.Uri;
            foreach (var (name, value) in presign.SignedHeaders.Where(h => !h.Key.Equals("host", StringComparison.OrdinalIgnoreCase)))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        else
        {
            foreach (var (name, value) in AWSSigV4Signer.Sign(signing, parameters).Headers)
            {
                if (!name.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(message);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldContain(orderId);
    }
}
