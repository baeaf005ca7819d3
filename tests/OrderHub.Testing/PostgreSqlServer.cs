using System.Diagnostics;
using System.Globalization;

namespace OrderHub.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster (Debian's server package, installed by <c>.ci/run</c>): <c>initdb</c> in a temporary
/// folder and <c>pg_ctl</c> on a free loopback port, removed at the end. <c>initdb</c> refuses to run as root, so as
/// root the cluster belongs to the <c>postgres</c> system user the package creates.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    private const string Password = "orderhub-test";
    private readonly string _folder;
    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private int _databases;

    private PostgreSqlServer(string folder, string bin, bool asPostgresUser, int port)
    {
        _folder = folder;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>Gets the port.</summary>
    public int Port { get; }

    /// <summary>Gets a connection string to the <c>postgres</c> database as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>Initialises and starts a cluster.</summary>
    /// <returns>The running server.</returns>
    public static async Task<PostgreSqlServer> StartAsync()
    {
        var bin = FindBin();
        var asPostgres = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), $"orderhub-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        }

        var server = new PostgreSqlServer(folder, bin, asPostgres, LoopbackPorts.Free());
        var passwordFile = Path.Combine(folder, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", passwordFile], asPostgres: false);
        }

        var data = Path.Combine(folder, "data");
        await server.RunToolAsync("initdb", ["-D", data, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, as by an administrator), keeping its data.</summary>
    /// <returns>A task that completes when it is down.</returns>
    public Task StopAsync() => RunToolAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop"]);

    /// <summary>Starts the server again on the same port after <see cref="StopAsync"/>.</summary>
    /// <returns>A task that completes when it accepts connections.</returns>
    public Task StartAgainAsync() => RunToolAsync("pg_ctl", [
        "-D", Path.Combine(_folder, "data"), "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{_folder}' -c fsync=off -c max_connections=200",
    ]);

    /// <summary>Finds the server's programs: on the PATH, or where Debian's package puts them.</summary>
    /// <returns>The folder holding <c>initdb</c> and <c>pg_ctl</c>.</returns>
    public static string FindBin()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : []);
        return candidates.FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
            ?? throw new InvalidOperationException("PostgreSQL's server is not installed: run .ci/run (it installs it) or apt-get install postgresql.");
    }

    /// <summary>Gets a connection string to a database of this server.</summary>
    /// <param name="database">The database.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password={Password};Database={database}";

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    /// <returns>The connection string.</returns>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture)}_{Guid.NewGuid():N}"[..20];
        await using var connection = new Npgsql.NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        try
        {
            await RunToolAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunToolAsync(string tool, IEnumerable<string> args) => RunAsync(Path.Combine(_bin, tool), args, _asPostgresUser);

    private static async Task RunAsync(string program, IEnumerable<string> args, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var arg in new[] { "-u", "postgres", "--", program })
            {
                info.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
