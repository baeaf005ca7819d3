using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderHub.Testing;

/// <summary>
/// A real <c>redis-server</c> (Debian's package, installed by <c>.ci/run</c>) on a free loopback port in a temporary
/// folder, with no persistence; it can be stopped and started again on the same port to test outages.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-redis-").FullName;
    private readonly string? _password;
    private Process? _process;

    private RedisServer(int port, string? password)
    {
        Port = port;
        _password = password;
    }

    /// <summary>Gets the port.</summary>
    public int Port { get; }

    /// <summary>Gets a StackExchange.Redis configuration string for the server.</summary>
    public string Configuration => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>Starts a server on a free port.</summary>
    /// <param name="requirePassword">The password clients must give (<c>requirepass</c>); none by default.</param>
    /// <returns>The running server.</returns>
    public static async Task<RedisServer> StartAsync(string? requirePassword = null)
    {
        var server = new RedisServer(LoopbackPorts.Free(), requirePassword);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Finds <c>redis-server</c> on the PATH, or says how to install it.</summary>
    /// <returns>The executable's path.</returns>
    public static string Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed: run .ci/run (it installs it) or apt-get install redis-server.");

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on its port, and waits until it answers.</summary>
    /// <returns>A task that completes when the server accepts connections.</returns>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", _folder, "--protected-mode", "yes" })
        {
            info.ArgumentList.Add(arg);
        }

        if (_password is not null)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(_password);
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAsync(() => Answers(Port), TimeSpan.FromSeconds(20), "redis-server to accept connections");
    }

    /// <summary>Kills the server (its data is gone: no persistence) and waits for it to exit.</summary>
    /// <returns>A task that completes when the server has exited.</returns>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            using var stream = client.GetStream();
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);

            // "-NOAUTH": a server with requirepass answers too.
            return read > 0 && (buffer[0] == (byte)'+' || buffer.AsSpan(0, read).StartsWith("-NOAUTH"u8));
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
