using System.Reflection;
using Shouldly;
using Xunit;

namespace OrderHub.SellingPartner.Tests;

/// <summary>What a Selling Partner user gets by referencing the provider: no Redis client unless they ask for one.</summary>
public sealed class DependencyClosureTests
{
    [Fact]
    public void SellingPartnerProvider_DependencyClosure_HoldsNoRedisClient()
    {
        var closure = Closure(typeof(SellingPartnerOrderSource).Assembly);

        closure.ShouldContain("OrderHub.RateLimits", "the provider draws its buckets from the one rate-limiting assembly");
        closure.ShouldNotContain(name => name.StartsWith("StackExchange.Redis", StringComparison.Ordinal));
        closure.ShouldNotContain("OrderHub.RateLimits.Redis");
    }

    // Every assembly reachable through references, by name (framework assemblies included, loaded where they can be).
    private static HashSet<string> Closure(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.GetName().Name! };
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(reference.Name!))
                {
                    continue;
                }

                try
                {
                    pending.Push(Assembly.Load(reference));
                }
                catch (FileNotFoundException)
                {
                    // Not deployed next to the tests: its own references cannot be followed, its name is recorded.
                }
            }
        }

        return seen;
    }
}
