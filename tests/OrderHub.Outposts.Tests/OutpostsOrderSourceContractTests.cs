using OrderHub.Emulator.Hosting;
using OrderHub.Outposts.Tests.Support;
using OrderHub.Testing;

namespace OrderHub.Outposts.Tests;

/// <summary>The contract every source meets, against the emulator over real sockets with real signatures.</summary>
public sealed class OutpostsOrderSourceContractTests : OrderSourceContractTests
{
    protected override async Task<OrderSourceUnderTest> CreateSourceAsync()
    {
        var emulator = await EmulatorHost.StartAsync();
        var source = OutpostsEmulatorClient.Source(emulator);
        return new OrderSourceUnderTest(
            source,
            emulator.Outposts.OrderIds[0],
            "oo-fffffffffffffffff",
            () => emulator.Outposts.Requests,
            async () =>
            {
                source.Dispose();
                await emulator.DisposeAsync();
            });
    }
}
