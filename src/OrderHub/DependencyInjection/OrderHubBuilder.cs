using Microsoft.Extensions.DependencyInjection;

namespace OrderHub;

/// <summary>Adds order sources to the services <c>AddOrderHub()</c> set up.</summary>
public sealed class OrderHubBuilder
{
    private readonly HashSet<string> _sourceNames = new(StringComparer.OrdinalIgnoreCase);

    internal OrderHubBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>Gets the services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the configuration section a named source's options are bound from: <c>OrderHub:Sources:&lt;name&gt;</c>.</summary>
    /// <param name="sourceName">The source's name.</param>
    /// <returns>The section path.</returns>
    public static string SourceSection(string sourceName) => $"{OrderHubOptions.SectionName}:Sources:{sourceName}";

    /// <summary>
    /// Gets the name of the <c>IHttpClientFactory</c> client a source sends through: <c>OrderHub.&lt;source name&gt;</c>.
    /// Add handlers to it the usual way: <c>services.AddHttpClient(OrderHubBuilder.HttpClientName("sp-eu")).AddHttpMessageHandler(...)</c>.
    /// </summary>
    /// <param name="sourceName">The source's name.</param>
    /// <returns>The client's name.</returns>
    public static string HttpClientName(string sourceName) => $"OrderHub.{sourceName}";

    /// <summary>Claims a source name for a registration; a provider's registration calls it first.</summary>
    /// <param name="sourceName">The name.</param>
    /// <exception cref="ArgumentException">The name is empty, or another source registered through this builder has it.</exception>
    public void ReserveSourceName(string sourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (!_sourceNames.Add(sourceName))
        {
            throw new ArgumentException($"A source named '{sourceName}' is already registered; give each source its own name, such as sp-eu and sp-na.", nameof(sourceName));
        }
    }
}
