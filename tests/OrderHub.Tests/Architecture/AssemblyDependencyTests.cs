using Shouldly;
using Xunit;

namespace OrderHub.Tests.Architecture;

/// <summary>The core and the sync engine depend on no resilience, rate-limiting or HTTP library: those are the providers' business.</summary>
public sealed class AssemblyDependencyTests
{
    [Theory]
    [InlineData(typeof(Order))]
    [InlineData(typeof(OrderHub.Sync.OrderSync))]
    public void Assembly_ReferencesNoResilienceRateLimitingOrHttpLibrary(Type typeInAssembly)
    {
        var references = typeInAssembly.Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        references.ShouldNotContain(name => name.StartsWith("Polly", StringComparison.Ordinal));
        references.ShouldNotContain("System.Threading.RateLimiting");
        references.ShouldNotContain("Microsoft.Extensions.Http");
        references.ShouldNotContain("System.Net.Http");
    }
}
