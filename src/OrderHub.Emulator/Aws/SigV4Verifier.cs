using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime.Internal.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrderHub.Emulator.Aws;

/// <summary>
/// Checks an incoming request's SigV4 signature as AWS does, for any client: the Authorization header or a presigned
/// query string, whatever headers the client chose to sign (as long as <c>host</c> and the date are among them), the
/// payload hash from <c>x-amz-content-sha256</c> when sent and computed from the body when not. The canonical request
/// is rebuilt from the request as received; AWSSDK.Core derives the key and the signature, compared in constant time.
/// Which keys exist (a long-term key, temporary credentials the emulator's STS issued) is the caller's to say.
/// </summary>
internal static class SigV4Verifier
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxPresignedLifetime = TimeSpan.FromDays(7);

    /// <summary>What a signed request claims: who, when, where, and over which headers.</summary>
    private sealed record Claim(string AccessKeyId, string Date, string Region, string Service, string SignedHeaders, string Signature, DateTime SignedAt, TimeSpan? Expires, bool InQuery);

    /// <summary>A lookup that knows one key only (the published test suites' keys).</summary>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="secretAccessKey">Its secret.</param>
    /// <returns>The lookup.</returns>
    public static Func<string, SigningKey> Only(string accessKeyId, string secretAccessKey) =>
        id => id == accessKeyId ? SigningKey.Of(secretAccessKey) : SigningKey.Unknown;

    /// <summary>
    /// Returns the AWS error (type, message) when the signature is missing, malformed, stale, by a key
    /// <paramref name="keyOf"/> refuses, for another region or service, or wrong; <see langword="null"/> when it holds.
    /// </summary>
    /// <param name="request">The request as received.</param>
    /// <param name="body">Its body.</param>
    /// <param name="keyOf">The secret of an access key id, or why it is refused.</param>
    /// <param name="regions">The regions the endpoint serves (the first is the one named in errors).</param>
    /// <param name="service">The signing name the endpoint answers to, for example <c>outposts</c>.</param>
    /// <param name="now">The verifier's clock.</param>
    /// <returns>The refusal, or <see langword="null"/>.</returns>
    public static (string Type, string Message)? Verify(HttpRequest request, byte[] body, Func<string, SigningKey> keyOf, IReadOnlyCollection<string> regions, string service, DateTimeOffset now)
    {
        var parsed = request.Query.ContainsKey("X-Amz-Signature") ? ParseQuery(request) : ParseHeader(request);
        if (parsed.Error is { } error)
        {
            return error;
        }

        var claim = parsed.Claim!;
        var key = keyOf(claim.AccessKeyId);
        if (key.Refusal is { } refusal)
        {
            return refusal;
        }

        var secretAccessKey = key.SecretAccessKey ?? string.Empty;

        var signed = claim.SignedHeaders.Split(';');
        if (!signed.Contains("host") || (!claim.InQuery && !signed.Contains("x-amz-date")))
        {
            return ("IncompleteSignatureException", "The signed headers must include host and x-amz-date.");
        }

        if (claim.Date != claim.SignedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
        {
            return ("InvalidSignatureException", "The credential's date does not match the request's date.");
        }

        if (!regions.Contains(claim.Region))
        {
            return ("InvalidSignatureException", $"Credential should be scoped to a valid region. This endpoint serves '{regions.First()}', not '{claim.Region}'.");
        }

        if (claim.Service != service)
        {
            return ("InvalidSignatureException", $"Credential should be scoped to correct service: '{service}'.");
        }

        var utcNow = now.UtcDateTime;
        if (claim.Expires is { } lifetime)
        {
            if (utcNow > claim.SignedAt + lifetime)
            {
                return ("AccessDeniedException", "Request has expired.");
            }
        }
        else if ((utcNow - claim.SignedAt).Duration() > AllowedSkew)
        {
            return ("InvalidSignatureException", string.Create(CultureInfo.InvariantCulture, $"Signature expired: {claim.SignedAt:yyyyMMdd'T'HHmmss'Z'} is now earlier than {utcNow - AllowedSkew:yyyyMMdd'T'HHmmss'Z'}."));
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        if (!claim.InQuery && request.Headers["x-amz-content-sha256"].ToString() is { Length: 64 } declaredHash && !declaredHash.Equals(bodyHash, StringComparison.OrdinalIgnoreCase))
        {
            return ("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match what was computed.");
        }

        var canonicalRequest = CanonicalRequest(request, bodyHash, claim);
        var expected = AWS4Signer.ComputeSignature(claim.AccessKeyId, secretAccessKey, claim.Region, claim.SignedAt, claim.Service, claim.SignedHeaders, canonicalRequest).Signature;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(claim.Signature))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    private static ((string Type, string Message)? Error, Claim? Claim) ParseHeader(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return (("MissingAuthenticationTokenException", "Missing Authentication Token"), null);
        }

        var parts = authorization[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signedHeaders) || !parts.TryGetValue("Signature", out var signature))
        {
            return (("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'."), null);
        }

        return Build(credential, signedHeaders, signature, request.Headers["X-Amz-Date"].ToString(), null, inQuery: false);
    }

    private static ((string Type, string Message)? Error, Claim? Claim) ParseQuery(HttpRequest request)
    {
        if (request.Query["X-Amz-Algorithm"].ToString() != Algorithm)
        {
            return (("IncompleteSignatureException", $"X-Amz-Algorithm must be {Algorithm}."), null);
        }

        TimeSpan? expires = null;
        if (request.Query.TryGetValue("X-Amz-Expires", out var expiresValue))
        {
            if (!int.TryParse(expiresValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || TimeSpan.FromSeconds(seconds) > MaxPresignedLifetime)
            {
                return (("AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds from 1 to 604800."), null);
            }

            expires = TimeSpan.FromSeconds(seconds);
        }

        return Build(
            request.Query["X-Amz-Credential"].ToString(),
            request.Query["X-Amz-SignedHeaders"].ToString(),
            request.Query["X-Amz-Signature"].ToString(),
            request.Query["X-Amz-Date"].ToString(),
            expires ?? MaxPresignedLifetime,
            inQuery: true);
    }

    private static ((string Type, string Message)? Error, Claim? Claim) Build(string credential, string signedHeaders, string signature, string date, TimeSpan? expires, bool inQuery)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return (("IncompleteSignatureException", "The Credential is not of the form <key>/<date>/<region>/<service>/aws4_request."), null);
        }

        if (!DateTime.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return (("IncompleteSignatureException", "X-Amz-Date is missing or not in the form yyyyMMddTHHmmssZ."), null);
        }

        if (signedHeaders.Length == 0 || signature.Length == 0)
        {
            return (("IncompleteSignatureException", "The signature names no signed headers or no signature."), null);
        }

        return (null, new Claim(scope[0], scope[1], scope[2], scope[3], signedHeaders, signature, signedAt, expires, inQuery));
    }

    // The canonical request of the SigV4 specification, from the request as it arrived.
    private static string CanonicalRequest(HttpRequest request, string bodyHash, Claim claim)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.Path + request.QueryString);
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var rawQuery = question < 0 ? string.Empty : rawTarget[(question + 1)..];

        // Services other than S3 encode the path as sent once more, segment by segment.
        var canonicalUri = string.Join('/', (rawPath.Length == 0 ? "/" : rawPath).Split('/').Select(Uri.EscapeDataString));

        var canonicalQuery = string.Join('&', rawQuery
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(pair[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(pair.Length == 2 ? pair[1] : string.Empty))))
            .Where(p => !(claim.InQuery && p.Name == "X-Amz-Signature"))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));

        var canonicalHeaders = new StringBuilder();
        foreach (var name in claim.SignedHeaders.Split(';'))
        {
            var values = request.Headers[name].Select(v => CollapseSpaces(v ?? string.Empty));
            canonicalHeaders.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        var payloadHash = !claim.InQuery && request.Headers["x-amz-content-sha256"].ToString() is { Length: > 0 } declared
            ? declared
            : bodyHash;
        return $"{request.Method}\n{canonicalUri}\n{canonicalQuery}\n{canonicalHeaders}\n{claim.SignedHeaders}\n{payloadHash}";
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        var builder = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c != ' ' || builder.Length == 0 || builder[^1] != ' ')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>The secret an access key id signs with, or why the key is refused (unknown, expired, without its session token).</summary>
/// <param name="SecretAccessKey">The secret, when the key is accepted.</param>
/// <param name="Refusal">The AWS error (type, message), when it is not.</param>
internal readonly record struct SigningKey(string? SecretAccessKey, (string Type, string Message)? Refusal)
{
    /// <summary>Gets the refusal of a key AWS does not know.</summary>
    public static SigningKey Unknown => new(null, ("UnrecognizedClientException", "The security token included in the request is invalid."));

    /// <summary>An accepted key.</summary>
    /// <param name="secretAccessKey">Its secret.</param>
    /// <returns>The key.</returns>
    public static SigningKey Of(string secretAccessKey) => new(secretAccessKey, null);

    /// <summary>A refused key.</summary>
    /// <param name="type">The AWS error type.</param>
    /// <param name="message">Its message.</param>
    /// <returns>The refusal.</returns>
    public static SigningKey Refused(string type, string message) => new(null, (type, message));
}
