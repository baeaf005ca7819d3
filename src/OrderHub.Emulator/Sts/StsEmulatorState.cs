using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using OrderHub.Emulator.Aws;
using OrderHub.Emulator.Hosting;

namespace OrderHub.Emulator.Sts;

/// <summary>
/// What the emulator's STS holds: the temporary credentials it issued (AssumeRole, AssumeRoleWithWebIdentity), which
/// the Outposts endpoints accept beside the long-term key until they expire. Publicly, only what a test reads: the
/// access key ids it issued and how many requests arrived.
/// </summary>
public sealed class StsEmulatorState
{
    /// <summary>The name of the IAM user the long-term key belongs to.</summary>
    internal const string UserName = "emulator";

    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly ConcurrentDictionary<string, IssuedCredentials> _issued = new(StringComparer.Ordinal);
    private readonly Regex _assumableRoles;
    private long _sequence;
    private int _requests;

    /// <summary>Initializes a new instance of the <see cref="StsEmulatorState"/> class.</summary>
    /// <param name="options">The emulator's options.</param>
    internal StsEmulatorState(EmulatorOptions options)
    {
        Options = options;
        TimeProvider = options.TimeProvider ?? TimeProvider.System;
        _assumableRoles = new Regex(
            "^" + Regex.Escape(options.StsRoleArnPattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline,
            TimeSpan.FromSeconds(1));
    }

    /// <summary>Gets the emulator's options.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Gets the access key ids of the temporary credentials issued, oldest first.</summary>
    public IReadOnlyList<string> IssuedAccessKeyIds => [.. _issued.Values.OrderBy(c => c.Sequence).Select(c => c.AccessKeyId)];

    /// <summary>Gets how many requests arrived, signed correctly or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the clock credentials expire on.</summary>
    internal TimeProvider TimeProvider { get; }

    /// <summary>Gets the regions a request to STS may be signed for: the emulator's, and <c>us-east-1</c>, the scope of STS's global endpoint.</summary>
    internal string[] StsRegions => [.. new[] { Options.AwsRegion, "us-east-1" }.Distinct(StringComparer.Ordinal)];

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    /// <summary>
    /// The keys a request may be signed with, judged as AWS judges them: the long-term key without a session token;
    /// issued temporary credentials with their own session token (<c>X-Amz-Security-Token</c>), until they expire.
    /// </summary>
    /// <param name="request">The request, for its session token.</param>
    /// <returns>The lookup the SigV4 verifier asks.</returns>
    internal Func<string, SigningKey> KeysFor(HttpRequest request) => accessKeyId =>
    {
        var sessionToken = SessionTokenOf(request);
        if (accessKeyId == Options.AwsAccessKeyId)
        {
            // A long-term key carries no session token; with one, AWS does not recognise the pair.
            return sessionToken is null ? SigningKey.Of(Options.AwsSecretAccessKey) : SigningKey.Unknown;
        }

        if (!_issued.TryGetValue(accessKeyId, out var issued) || sessionToken is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sessionToken), Encoding.UTF8.GetBytes(issued.SessionToken)))
        {
            return SigningKey.Unknown;
        }

        return TimeProvider.GetUtcNow() >= issued.Expiration
            ? SigningKey.Refused("ExpiredTokenException", "The security token included in the request is expired")
            : SigningKey.Of(issued.SecretAccessKey);
    };

    /// <summary>Who a key accepted by <see cref="KeysFor"/> belongs to.</summary>
    /// <param name="accessKeyId">The access key id.</param>
    /// <returns>The caller.</returns>
    internal Caller CallerOf(string accessKeyId) => _issued.TryGetValue(accessKeyId, out var issued)
        ? new Caller(issued.AssumedRoleId, AccountOf(issued.AssumedRoleArn), issued.AssumedRoleArn, Temporary: true)
        : new Caller(UserId, Options.AwsAccountId, $"arn:aws:iam::{Options.AwsAccountId}:user/{UserName}", Temporary: false);

    /// <summary>Whether the emulator lets a role be assumed (<see cref="EmulatorOptions.StsRoleArnPattern"/>).</summary>
    /// <param name="roleArn">The role's ARN.</param>
    /// <returns><see langword="true"/> when it matches the pattern.</returns>
    internal bool IsAssumable(string roleArn) => _assumableRoles.IsMatch(roleArn);

    /// <summary>Whether a web identity token is one the emulator accepts (<see cref="EmulatorOptions.StsWebIdentityTokens"/>).</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    internal bool AcceptsWebIdentityToken(string token) =>
        Options.StsWebIdentityTokens.Any(accepted => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(accepted), Encoding.UTF8.GetBytes(token)));

    /// <summary>Issues temporary credentials for a session of a role.</summary>
    /// <param name="role">The role's ARN, already checked to be a role's.</param>
    /// <param name="sessionName">The session's name.</param>
    /// <param name="duration">How long they last.</param>
    /// <returns>The credentials.</returns>
    internal IssuedCredentials Issue(RoleArn role, string sessionName, TimeSpan duration)
    {
        var issued = new IssuedCredentials(
            AccessKeyId: "ASIA" + RandomBase32(16),
            SecretAccessKey: Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            SessionToken: Convert.ToBase64String(RandomNumberGenerator.GetBytes(120)),
            Expiration: TimeProvider.GetUtcNow() + duration,
            AssumedRoleArn: $"arn:{role.Partition}:sts::{role.Account}:assumed-role/{role.Name}/{sessionName}",
            AssumedRoleId: $"{role.Id}:{sessionName}",
            Sequence: Interlocked.Increment(ref _sequence));
        _issued[issued.AccessKeyId] = issued;
        return issued;
    }

    // A session token signs with the request: in the header, or in the query of a presigned request.
    private static string? SessionTokenOf(HttpRequest request) =>
        request.Headers["X-Amz-Security-Token"].ToString() is { Length: > 0 } header ? header
        : request.Query["X-Amz-Security-Token"].ToString() is { Length: > 0 } query ? query
        : null;

    private static string AccountOf(string arn) => arn.Split(':') is { Length: >= 5 } parts ? parts[4] : string.Empty;

    private static string RandomBase32(int length) =>
        string.Create(length, RandomNumberGenerator.GetBytes(length), (chars, bytes) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Base32[bytes[i] % Base32.Length];
            }
        });

    // The user's id, as IAM shows it: AIDA and 17 characters, the same for one access key id.
    private string UserId => "AIDA" + StableId(Options.AwsAccessKeyId);

    /// <summary>Seventeen base-32 characters derived from a value, the same every time (IAM's unique ids have this form).</summary>
    internal static string StableId(string value)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        return string.Create(17, hash, (chars, bytes) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Base32[bytes[i] % Base32.Length];
            }
        });
    }
}

/// <summary>Temporary credentials the emulator's STS issued.</summary>
internal sealed record IssuedCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration, string AssumedRoleArn, string AssumedRoleId, long Sequence);

/// <summary>Who signed a request: the long-term key's user, or an assumed role's session.</summary>
internal sealed record Caller(string UserId, string Account, string Arn, bool Temporary);

/// <summary>An IAM role's ARN, taken apart: <c>arn:&lt;partition&gt;:iam::&lt;account&gt;:role/&lt;path&gt;&lt;name&gt;</c>.</summary>
internal sealed record RoleArn(string Partition, string Account, string Name)
{
    /// <summary>Gets the role's unique id, as IAM shows it: AROA and 17 characters, the same for one role.</summary>
    public string Id => "AROA" + StsEmulatorState.StableId($"{Partition}:{Account}:{Name}");

    /// <summary>Reads a role's ARN.</summary>
    /// <param name="arn">The ARN.</param>
    /// <param name="role">The role.</param>
    /// <returns><see langword="true"/> when it is an IAM role's ARN.</returns>
    public static bool TryParse(string arn, out RoleArn role)
    {
        role = null!;
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[1].Length == 0 || parts[2] != "iam" || parts[3].Length != 0
            || parts[4].Length != 12 || !parts[4].All(char.IsAsciiDigit) || !parts[5].StartsWith("role/", StringComparison.Ordinal))
        {
            return false;
        }

        var name = parts[5][(parts[5].LastIndexOf('/') + 1)..];
        if (name.Length == 0)
        {
            return false;
        }

        role = new RoleArn(parts[1], parts[4], name);
        return true;
    }
}
