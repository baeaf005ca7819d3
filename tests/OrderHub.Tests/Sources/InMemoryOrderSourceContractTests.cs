using OrderHub.Testing;

namespace OrderHub.Tests.Sources;

/// <summary>Runs the contract every source must meet against the in-memory source, so the contract itself is exercised.</summary>
public sealed class InMemoryOrderSourceContractTests : OrderSourceContractTests
{
    protected override Task<OrderSourceUnderTest> CreateSourceAsync()
    {
        var source = new InMemoryOrderSource("memory", InMemoryOrderSource.ThreeSevenSeven).Add("111-2222222-3333333");
        return Task.FromResult(new OrderSourceUnderTest(source, "111-2222222-3333333", "999-9999999-9999999", () => source.Requests));
    }
}
