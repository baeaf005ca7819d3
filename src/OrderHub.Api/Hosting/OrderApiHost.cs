using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderHub.Api.Lookup;
using OrderHub.Api.Security;
using OrderHub.Sync;

namespace OrderHub.Api.Hosting;

/// <summary>A running lookup API: Kestrel, the endpoints, the OpenAPI document at <c>/openapi/v1.json</c>.</summary>
public sealed partial class OrderApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OrderApiHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Gets the address the API listens on, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts the API.</summary>
    /// <param name="configure">Sets where to listen, keys, store age and the upstream budget (as <c>AddOrderHubApi</c> does: every option, nothing copied).</param>
    /// <param name="lookup">The sources.</param>
    /// <param name="store">The store read first and written back to; when it is an <see cref="IOrderQuery"/>, also the one <c>GET /orders</c> reads, and when it is an <see cref="IOrderChangeLog"/>, the one <c>GET /changes</c> reads.</param>
    /// <param name="timeProvider">The clock for store ages; <see langword="null"/> for the system clock.</param>
    /// <param name="configureLogging">Sets up logging; by default the console.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running API.</returns>
    public static async Task<OrderApiHost> StartAsync(
        Action<OrderApiOptions> configure,
        OrderLookup lookup,
        IOrderStore store,
        TimeProvider? timeProvider = null,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder();
        if (configureLogging is not null)
        {
            builder.Logging.ClearProviders();
            configureLogging(builder.Logging);
        }

        builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.UseOrderApiRejectionProblems()));
        builder.Services.AddSingleton(lookup);
        builder.Services.AddSingleton(store);

        // GET /orders and /orders/summary read the copy through the store's query, where it has one (both OrderHub stores do).
        if (store is IOrderQuery query)
        {
            builder.Services.AddSingleton(query);
        }

        // GET /changes reads the store's change log, where it has one (both OrderHub stores do).
        if (store is IOrderChangeLog changes)
        {
            builder.Services.AddSingleton(changes);
        }

        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddOrderHubApi(configure).AddOrderHubOpenApi();

        // ASP.NET Core's own request log prints whole URLs, query strings included (where a careless client puts its
        // key): this host keeps it to warnings; UseOrderApiConventions logs requests by method, route and status only.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        var app = builder.Build();
        foreach (var url in app.Services.GetRequiredService<OrderApiOptions>().Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            app.Urls.Add(url);
        }

        app.UseOrderApiConventions();
        app.MapOpenApi();
        app.MapOrderApi();

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new OrderApiHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Gets the options the running API uses.</summary>
    internal OrderApiOptions Options => _app.Services.GetRequiredService<OrderApiOptions>();

    /// <summary>Waits until the API is stopped.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes at shutdown.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
