using System.Text.Json;

namespace OrderHub.Cli.Configuration;

/// <summary>
/// The CLI's settings: environment variables, over an optional JSON file of the same names
/// (<c>--config</c> or <c>ORDERHUB_CONFIG</c>).
/// </summary>
internal sealed class CliSettings
{
    private readonly Dictionary<string, string> _file;
    private readonly Func<string, string?> _environment;

    private CliSettings(Dictionary<string, string> file, Func<string, string?> environment)
    {
        _file = file;
        _environment = environment;
    }

    /// <summary>Every variable the CLI reads, with what it is for (the README lists the same).</summary>
    public static IReadOnlyList<(string Name, string Meaning)> Variables { get; } =
    [
        ("ORDERHUB_SP_ENDPOINT", "Selling Partner API base URL (overrides the region's host)"),
        ("ORDERHUB_SP_REGION", "Selling Partner region: na, eu or fe (default na)"),
        ("ORDERHUB_SP_ORDERS_API", "Selling Partner Orders API version: v0 (default) or 2026-01-01"),
        ("ORDERHUB_LWA_ENDPOINT", "Login with Amazon token endpoint"),
        ("ORDERHUB_LWA_CLIENT_ID", "LWA client id"),
        ("ORDERHUB_LWA_CLIENT_SECRET", "LWA client secret"),
        ("ORDERHUB_LWA_REFRESH_TOKEN", "the selling partner's LWA refresh token"),
        ("ORDERHUB_DB", "SQLite file for sync and serve (default orderhub.db)"),
        ("ORDERHUB_API_KEYS", "serve: accepted API keys, comma-separated; a :pii suffix allows personal data"),
        ("AWS_REGION", "AWS region for Outposts"),
        ("AWS_ACCESS_KEY_ID", "AWS access key"),
        ("AWS_SECRET_ACCESS_KEY", "AWS secret key"),
        ("AWS_SESSION_TOKEN", "AWS session token"),
        ("AWS_PROFILE", "AWS shared-config profile"),
        ("AWS_ENDPOINT_URL_OUTPOSTS", "Outposts endpoint override"),
        ("AWS_ENDPOINT_URL", "endpoint override for every AWS service"),
    ];

    public static CliSettings Load(string? configFile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var path = configFile ?? environment("ORDERHUB_CONFIG");
        var file = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(path))
        {
            if (!File.Exists(path))
            {
                throw new InvalidOrderRequestException($"The config file '{path}' does not exist. Expected a JSON object of setting names (as the environment variables) to values.");
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    file[property.Name] = property.Value.ToString();
                }
            }
            catch (JsonException e)
            {
                throw new InvalidOrderRequestException($"The config file '{path}' is not a JSON object of setting names to values: {e.Message}");
            }
        }

        return new CliSettings(file, environment);
    }

    /// <summary>Gets a setting: the environment wins over the file.</summary>
    public string? this[string name] => _environment(name) is { Length: > 0 } value ? value : _file.GetValueOrDefault(name);

    /// <summary>Reads a setting for the AWS SDK lookups that take the environment as a function.</summary>
    public string? Get(string name) => this[name];
}
