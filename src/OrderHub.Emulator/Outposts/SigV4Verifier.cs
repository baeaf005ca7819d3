using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace OrderHub.Emulator.Outposts;

/// <summary>
/// Checks an incoming request's SigV4 signature as AWS does: it recomputes the signature with AWSSDK.Core's signer
/// over the same method, URI, signed headers, body, date and scope, and compares it in constant time.
/// </summary>
internal static class SigV4Verifier
{
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    // Headers the signer adds itself from its parameters; passing them in would sign them twice.
    private static readonly HashSet<string> SignerOwned = new(StringComparer.OrdinalIgnoreCase) { "host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization" };

    /// <summary>Returns the AWS error (type, message) when the signature is missing, stale or wrong; <see langword="null"/> when it holds.</summary>
    public static (string Type, string Message)? Verify(HttpRequest request, byte[] body, string accessKeyId, string secretAccessKey)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.ContainsKey("Signature"))
        {
            return ("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return ("IncompleteSignatureException", "The Credential is not of the form <key>/<date>/<region>/<service>/aws4_request.");
        }

        if (scope[0] != accessKeyId)
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (!DateTime.TryParseExact(request.Headers["X-Amz-Date"].ToString(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return ("IncompleteSignatureException", "X-Amz-Date is missing or not in the form yyyyMMddTHHmmssZ.");
        }

        var now = DateTime.UtcNow;
        if ((now - signedAt).Duration() > AllowedSkew)
        {
            return ("InvalidSignatureException", string.Create(CultureInfo.InvariantCulture, $"Signature expired: {signedAt:yyyyMMdd'T'HHmmss'Z'} is now earlier than {now - AllowedSkew:yyyyMMdd'T'HHmmss'Z'}."));
        }

        var signing = new AWSSigningRequest
        {
            HttpMethod = new HttpMethod(request.Method),
            RequestUri = new Uri(UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, request.QueryString)),
            Content = body,
        };
        foreach (var name in signedHeaders.Split(';'))
        {
            if (!SignerOwned.Contains(name))
            {
                signing.Headers[name] = request.Headers[name].ToString();
            }
        }

        var token = request.Headers["X-Amz-Security-Token"].ToString();
        AWSCredentials credentials = token.Length > 0
            ? new SessionAWSCredentials(accessKeyId, secretAccessKey, token)
            : new BasicAWSCredentials(accessKeyId, secretAccessKey);
        var expected = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.GetBySystemName(scope[2]),
            Service = scope[3],
            SignedAt = signedAt,
        }).Headers.First(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value;

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(authorization))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }
}
