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
    /// <param name="options">Where to listen, keys, store age, upstream budget.</param>
    /// <param name="lookup">The sources.</param>
    /// <param name="store">The store read first and written back to.</param>
    /// <param name="timeProvider">The clock for store ages; <see langword="null"/> for the system clock.</param>
    /// <param name="configureLogging">Sets up logging; by default the console.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running API.</returns>
    public static async Task<OrderApiHost> StartAsync(
        OrderApiOptions options,
        OrderLookup lookup,
        IOrderStore store,
        TimeProvider? timeProvider = null,
        Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.AuthenticationDisabled && options.ApiKeys.Count == 0)
        {
            throw new InvalidOrderRequestException("The API needs at least one API key, or authentication explicitly turned off.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        if (configureLogging is not null)
        {
            builder.Logging.ClearProviders();
            configureLogging(builder.Logging);
        }

        // ASP.NET Core's own request log prints whole URLs, query strings included (where a careless client puts its
        // key): it is kept to warnings, and requests are logged below by method, path and status only.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls(options.Urls);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new ApiKeyAuthenticator(options.ApiKeys));
        builder.Services.AddSingleton(new StoreFirstOrderReader(lookup, store, options, timeProvider ?? TimeProvider.System));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi(openApi => OrderApiDocument.Configure(openApi, options));
        var app = builder.Build();

        // Every error is problem+json: an unexpected failure (500, details only in the log) and unknown routes alike.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (http, next) =>
        {
            var started = TimeProvider.System.GetTimestamp();
            await next(http);
            LogRequest(app.Logger, http.Request.Method, http.Request.Path.Value ?? "/", http.Response.StatusCode, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        });
        app.MapOpenApi();
        app.MapOrderApi();
        if (options.AuthenticationDisabled)
        {
            LogAuthenticationOff(app.Logger);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new OrderApiHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication is OFF: anyone who can reach this address can read orders, personal data included.")]
    private static partial void LogAuthenticationOff(ILogger logger);
}
