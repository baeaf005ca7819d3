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
    private readonly (byte[] Digest, bool AllowPersonalData, bool AllowRefresh)[] _keys;

    public ApiKeyAuthenticator(IEnumerable<ApiKey> keys)
    {
        _keys = [.. keys.Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.AllowPersonalData, k.AllowRefresh))];
    }

    // Names under which clients commonly put a key in a URL.
    private static readonly string[] KeyParameterNames = ["api_key", "apikey", "api-key", "x-api-key", "key", "access_key", "token"];

    /// <summary>
    /// Tells whether the query string carries an API key: a parameter named like one, or any value equal to a
    /// configured key. Such a request is refused whatever else it holds.
    /// </summary>
    public bool IsKeyInQuery(Microsoft.AspNetCore.Http.IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (KeyParameterNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }

            foreach (var value in values)
            {
                if (Check(value).Accepted)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Returns whether the presented key is accepted, and what it allows.</summary>
    public (bool Accepted, bool AllowPersonalData, bool AllowRefresh) Check(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return (false, false, false);
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var accepted = false;
        var allowPersonalData = false;
        var allowRefresh = false;
        foreach (var (key, allow, refresh) in _keys)
        {
            var match = CryptographicOperations.FixedTimeEquals(digest, key);
            accepted |= match;
            allowPersonalData |= match && allow;
            allowRefresh |= match && refresh;
        }

        return (accepted, allowPersonalData, allowRefresh);
    }
}
