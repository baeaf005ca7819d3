using System.Globalization;
using OrderHub.Emulator.Hosting;

// dotnet run --project src/OrderHub.Emulator.Server -- [--urls http://127.0.0.1:5080] [--sp-rate 0.5] [--sp-burst 30]
var options = new EmulatorOptions();
var url = "http://127.0.0.1:5080";
for (var i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--urls":
            url = args[i + 1];
            break;
        case "--sp-rate":
            options.SpGetOrderRate = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--sp-burst":
            options.SpGetOrderBurst = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Expected --urls, --sp-rate or --sp-burst.");
            return 2;
    }
}

await using var host = await EmulatorHost.StartAsync(options, url);
Console.WriteLine($"OrderHub emulator listening on {host.BaseAddress} (Selling Partner getOrder: {options.SpGetOrderRate.ToString(CultureInfo.InvariantCulture)} req/s, burst {options.SpGetOrderBurst}).");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});
try
{
    await host.WaitForShutdownAsync(stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
