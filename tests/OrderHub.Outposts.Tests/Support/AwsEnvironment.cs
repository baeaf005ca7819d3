using System.Runtime.CompilerServices;
using System.Text;
using OrderHub.Emulator.Hosting;
using Xunit;

namespace OrderHub.Outposts.Tests.Support;

/// <summary>
/// The tests that set the process's AWS environment variables (the SDK's credential chain reads them from the process):
/// they run alone, after every parallel test, so no other test sees their variables.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment";
}

/// <summary>
/// The shared config and credentials files of this test process. AWSSDK.Core reads <c>AWS_CONFIG_FILE</c> and
/// <c>AWS_SHARED_CREDENTIALS_FILE</c> once per process and keeps the paths (it rereads the files' contents), so they are
/// set before any test runs, to files of this process's own: no test reads the machine's <c>~/.aws</c>, and each test
/// that needs profiles writes them there.
/// </summary>
internal static class AwsSharedFiles
{
    public static string Folder { get; } = Directory.CreateTempSubdirectory("orderhub-aws-").FullName;

    public static string ConfigFile => Path.Combine(Folder, "config");

    public static string CredentialsFile => Path.Combine(Folder, "credentials");

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The SDK keeps the first paths it reads: they must be set before any test touches it.")]
    internal static void PointTheSdkAtThisProcesssFiles()
    {
        File.WriteAllText(ConfigFile, string.Empty);
        File.WriteAllText(CredentialsFile, string.Empty);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", ConfigFile);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", CredentialsFile);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>
/// A temporary AWS setup for one test: the process's shared config and credentials files written, every other AWS
/// variable cleared, and the emulator as STS's endpoint; disposing empties the files, deletes what the test wrote
/// beside them and restores the process's variables.
/// </summary>
internal sealed class AwsEnvironment : IDisposable
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
        "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_OUTPOSTS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_EC2_METADATA_DISABLED",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly List<string> _written = [];

    public AwsEnvironment(EmulatorHost emulator, string config = "", string credentials = "", bool stsFromEnvironment = true)
    {
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        // No instance metadata lookups (the last link of the chain) while a test looks for credentials.
        Set("AWS_EC2_METADATA_DISABLED", "true");
        File.WriteAllText(AwsSharedFiles.ConfigFile, config, new UTF8Encoding(false));
        File.WriteAllText(AwsSharedFiles.CredentialsFile, credentials, new UTF8Encoding(false));
        if (stsFromEnvironment)
        {
            Set("AWS_ENDPOINT_URL_STS", emulator.StsEndpoint.ToString());
        }
    }

    public void Set(string variable, string? value) => Environment.SetEnvironmentVariable(variable, value);

    /// <summary>Writes the shared config file.</summary>
    public void WriteConfig(string content) => File.WriteAllText(AwsSharedFiles.ConfigFile, content, new UTF8Encoding(false));

    /// <summary>Writes a file beside the shared ones (a token, a script) and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(AwsSharedFiles.Folder, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        _written.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        File.WriteAllText(AwsSharedFiles.ConfigFile, string.Empty);
        File.WriteAllText(AwsSharedFiles.CredentialsFile, string.Empty);
        foreach (var path in _written)
        {
            File.Delete(path);
        }
    }
}
