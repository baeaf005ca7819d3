namespace OrderHub.Outposts.Tests.Support;

/// <summary>The published SigV4 test suites in Fixtures/sigv4: their credentials, their date, their files.</summary>
internal static class SigV4Vectors
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);

    /// <summary>Reads a file of the suites, with Unix line ends.</summary>
    public static string Read(params string[] path) =>
        File.ReadAllText(Path.Combine([AppContext.BaseDirectory, "Fixtures", "sigv4", .. path])).Replace("\r\n", "\n", StringComparison.Ordinal);
}
