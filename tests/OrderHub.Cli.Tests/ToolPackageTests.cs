using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using OrderHub.Emulator.Hosting;
using Shouldly;
using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// The tool as a user gets it: packed for this machine's runtime, installed with <c>dotnet tool install</c>, the
/// runtime's own package chosen (self-contained, compiled ahead of time with the .NET runtime), and run against the emulator.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-tool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task TheInstalledTool_IsThisRuntimesReadyToRunPackage_AndReadsAnOrder()
    {
        var runtime = RuntimeInformation.RuntimeIdentifier;
        var feed = Path.Combine(_folder, "feed");
        var tools = Path.Combine(_folder, "tools");

        // Packed from this checkout as its README says, for this runtime only (the build of the tests has restored it).
        var pack = await RunAsync("dotnet", ["pack", Path.Combine(RepositoryRoot(), "src", "OrderHub.Cli"), "--no-restore", "-o", feed, $"-p:ToolRuntimes={runtime}"]);
        pack.ExitCode.ShouldBe(0, pack.Output);
        Directory.GetFiles(feed).Select(Path.GetFileName).ShouldBe(["OrderHub.Cli.0.1.0.nupkg", "OrderHub.Cli.any.0.1.0.nupkg", $"OrderHub.Cli.{runtime}.0.1.0.nupkg"], ignoreOrder: true);
        using (var package = ZipFile.OpenRead(Path.Combine(feed, $"OrderHub.Cli.{runtime}.0.1.0.nupkg")))
        {
            var files = package.Entries.Select(e => e.FullName).ToArray();
            files.ShouldContain($"tools/any/{runtime}/OrderHub.Cli.r2r.dll", "the composite ReadyToRun image of the program and the runtime");
            files.ShouldContain(f => f.StartsWith($"tools/any/{runtime}/System.Private.CoreLib.dll", StringComparison.Ordinal), "self-contained: the runtime is in the package");
        }

        var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "OrderHub.Cli"]);
        install.ExitCode.ShouldBe(0, install.Output);
        Directory.Exists(Path.Combine(tools, ".store", "orderhub.cli", "0.1.0", $"orderhub.cli.{runtime}")).ShouldBeTrue("the runtime's package was installed, not the framework-dependent one");

        await using var emulator = await EmulatorHost.StartAsync();
        var order = emulator.Outposts.OrderIds[0];
        var get = await RunAsync(Path.Combine(tools, "orderhub"), ["get", order, "--source", "outposts", "--json"], emulator);

        get.ExitCode.ShouldBe(0, get.Output);
        get.Output.ShouldContain($"\"orderId\": \"{order}\"");
        emulator.Outposts.Requests.ShouldBe(1);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "OrderHub.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: no OrderHub.sln above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, EmulatorHost? emulator = null)
    {
        var info = CliProcess.ProgramStartInfo(program, args, emulator);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
