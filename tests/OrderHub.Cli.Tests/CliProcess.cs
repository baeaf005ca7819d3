using System.Net;
using System.Diagnostics;
using OrderHub.Emulator.Hosting;
using OrderHub.Testing;
using Shouldly;

namespace OrderHub.Cli.Tests;

/// <summary>Runs the built <c>orderhub</c> as a real child process, pointed at an emulator through its environment.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Out, string Error);

    /// <summary>Gets the rate-limit file the CLI processes of this test run share.</summary>
    public static string RateLimitsFile { get; } = Path.Combine(Directory.CreateTempSubdirectory("orderhub-cli-tests-").FullName, "rate-limits.db");

    public static ProcessStartInfo StartInfo(EmulatorHost? emulator, IEnumerable<string> args, string? workingDirectory = null) =>
        ProgramStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "OrderHub.Cli.dll"), .. args], emulator, workingDirectory);

    /// <summary>The same, with <paramref name="environment"/> set over the emulator's variables.</summary>
    public static ProcessStartInfo StartInfo(EmulatorHost? emulator, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var info = StartInfo(emulator, args);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    /// <summary>Starts another program (<c>dotnet pack</c>, an installed <c>orderhub</c>) with the same environment.</summary>
    public static ProcessStartInfo ProgramStartInfo(string program, IEnumerable<string> args, EmulatorHost? emulator, string? workingDirectory = null)
    {
        // Through env, with SIGINT's default handling: a test run started in the background inherits SIGINT ignored
        // (seen: SigIgn 0x1007), which the child keeps, and a test's Ctrl+C would then never arrive.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "ORDERHUB_SP_ENDPOINT", "ORDERHUB_LWA_ENDPOINT", "ORDERHUB_LWA_CLIENT_ID", "ORDERHUB_LWA_CLIENT_SECRET", "ORDERHUB_LWA_REFRESH_TOKEN", "ORDERHUB_SP_ORDERS_API", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_OUTPOSTS", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "ORDERHUB_DB", "ORDERHUB_CONFIG" })
        {
            info.Environment.Remove(name);
        }

        foreach (var name in new[] { "ORDERHUB_REDIS", "ORDERHUB_RATE_LIMITS" })
        {
            info.Environment.Remove(name);
        }

        // The test run's processes share one rate-limit file, as a user's do, but not the user's own.
        info.Environment["ORDERHUB_RATE_LIMITS_FILE"] = RateLimitsFile;
        info.Environment["NO_COLOR"] = "1";
        if (emulator is not null)
        {
            foreach (var (name, value) in Commands.DemoCommand.EnvironmentFor(emulator))
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    public static Task<Result> RunAsync(EmulatorHost? emulator, params string[] args) =>
        RunAsync(emulator, new Dictionary<string, string>(), args);

    public static async Task<Result> RunAsync(EmulatorHost? emulator, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(emulator, environment, args))!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    // Polls the health endpoint until the server answers (its start is another process's business: no fixed sleep).
    public static async Task WaitUntilServingAsync(HttpClient http, System.Diagnostics.Process process)
    {
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        return (await http.GetAsync("healthz")).StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false; // not listening yet
                    }
                },
                "orderhub serve answers",
                TimeSpan.FromSeconds(30),
                process);
        }
        catch (TimeoutException) when (process.HasExited)
        {
            throw new TimeoutException("orderhub serve stopped: " + await process.StandardError.ReadToEndAsync());
        }
    }

    /// <summary>Reads one number from a SQLite database a CLI process writes, read-only; 0 before the file or its schema exists.</summary>
    public static async Task<long> CountAsync(string db, string sql)
    {
        if (!File.Exists(db))
        {
            return 0;
        }

        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // the schema is not there yet
        }
    }
}
