using System.Security.Cryptography;
using System.Text;

namespace OrderHub.Api.Security;

/// <summary>
/// Checks the <c>X-Api-Key</c> header. Keys are compared as SHA-256 digests with a fixed-time comparison, so neither
/// a key's content nor its length leaks through timing; every configured key is compared, whichever matches.
/// </summary>
internal sealed class ApiKeyAuthenticator
{
    public const string HeaderName = "X-Api-Key";
    private readonly (byte[] Digest, bool AllowPersonalData)[] _keys;

    public ApiKeyAuthenticator(IEnumerable<ApiKey> keys)
    {
        _keys = [.. keys.Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.AllowPersonalData))];
    }

    /// <summary>Returns whether the presented key is accepted, and what it allows.</summary>
    public (bool Accepted, bool AllowPersonalData) Check(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return (false, false);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var accepted = false;
        var allowPersonalData = false;
        foreach (var (key, allow) in _keys)
        {
            var match = CryptographicOperations.FixedTimeEquals(digest, key);
            accepted |= match;
            allowPersonalData |= match && allow;
        }

        return (accepted, allowPersonalData);
    }
}
