using Microsoft.Extensions.DependencyInjection;

namespace OrderHub;

/// <summary>What <c>services.AddOrderHub()</c> returns; provider packages extend it.</summary>
public sealed class OrderHubBuilder
{
    internal OrderHubBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>Gets the service collection the sources are registered in.</summary>
    public IServiceCollection Services { get; }
}
