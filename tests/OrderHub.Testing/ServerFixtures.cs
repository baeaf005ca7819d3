using System.Net;
using System.Net.Sockets;
using Xunit;

namespace OrderHub.Testing;

/// <summary>A real redis-server for a test class (<c>IClassFixture&lt;RedisServerFixture&gt;</c>).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    /// <summary>Gets the server.</summary>
    public RedisServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A throwaway PostgreSQL cluster for a test class or collection; each test creates a database of its own.</summary>
public sealed class PostgreSqlServerFixture : IAsyncLifetime
{
    /// <summary>Gets the server.</summary>
    public PostgreSqlServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await PostgreSqlServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Free loopback ports for the servers tests start.</summary>
public static class LoopbackPorts
{
    /// <summary>Gets a port no one listens on now (the OS picks it).</summary>
    /// <returns>The port.</returns>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
