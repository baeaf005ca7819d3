using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderHub.Http;

/// <summary>
/// What a source takes from where it is built, the same for every provider: where its exchanges end, its clock, where
/// it logs, and how it reads environment variables. Every source's internal constructor takes its options, this, and
/// then only what its own features need; its public constructor and its DI registration each make one.
/// </summary>
/// <param name="Transport">Where the source's exchanges end; the source disposes it.</param>
/// <param name="Clock">The clock of budgets, timeouts, retry delays and token expiry.</param>
/// <param name="Logger">Where the source logs (never a secret, a token or personal data).</param>
/// <param name="Environment">Reads an environment variable (the AWS SDKs' conventions read some).</param>
internal sealed record UpstreamContext(UpstreamTransport Transport, TimeProvider Clock, ILogger Logger, Func<string, string?> Environment)
{
    /// <summary>The context of a source built by hand.</summary>
    /// <param name="timeProvider">The clock; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <param name="handler">The caller's handler (it must not follow redirects), or <see langword="null"/> for one OrderHub creates and owns.</param>
    /// <param name="handlerParameterName">The argument the handler was given as, for the exception.</param>
    /// <param name="environment">Reads environment variables; <see langword="null"/> for the process environment.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentException">The handler follows redirects.</exception>
    public static UpstreamContext Create(
        TimeProvider? timeProvider = null,
        ILogger? logger = null,
        HttpMessageHandler? handler = null,
        string handlerParameterName = "handler",
        Func<string, string?>? environment = null) =>
        new(UpstreamTransport.Given(handler, handlerParameterName), timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance, environment ?? System.Environment.GetEnvironmentVariable);

    /// <summary>
    /// The context of a source registered under dependency injection: the <c>IHttpClientFactory</c> chain of its named
    /// client (<see cref="OrderHubBuilder.HttpClientName"/>) at each exchange, the container's clock and logging.
    /// </summary>
    /// <typeparam name="TSource">The source type, the category of its logs.</typeparam>
    /// <param name="services">The container.</param>
    /// <param name="sourceName">The source's name.</param>
    /// <param name="handlerParameterName">What the source's public constructor calls its handler, for the exception.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentException">The configured chain follows redirects.</exception>
    public static UpstreamContext FromServices<TSource>(IServiceProvider services, string sourceName, string handlerParameterName)
    {
        var handlers = services.GetRequiredService<IHttpMessageHandlerFactory>();
        var clientName = OrderHubBuilder.HttpClientName(sourceName);
        return new(
            UpstreamTransport.PerExchange(() => handlers.CreateHandler(clientName), handlerParameterName),
            services.GetRequiredService<TimeProvider>(),
            (ILogger?)services.GetService<ILogger<TSource>>() ?? NullLogger.Instance,
            System.Environment.GetEnvironmentVariable);
    }
}
