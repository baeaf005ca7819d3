using System.CommandLine;
using System.Globalization;
using OrderHub.Cli.Output;
using OrderHub.Emulator.Hosting;

namespace OrderHub.Cli.Commands;

/// <summary><c>emulator</c>: run the local Selling Partner and Outposts stand-in until stopped.</summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var spRate = new Option<double>("--sp-rate") { Description = "getOrder requests per second per seller.", DefaultValueFactory = _ => 0.5 };
        var spBurst = new Option<int>("--sp-burst") { Description = "getOrder burst per seller.", DefaultValueFactory = _ => 30 };
        var searchRate = new Option<double>("--sp-search-rate") { Description = "searchOrders (and v0 getOrders) page requests per second per seller.", DefaultValueFactory = _ => 0.0056 };
        var searchBurst = new Option<int>("--sp-search-burst") { Description = "searchOrders (and v0 getOrders) burst per seller.", DefaultValueFactory = _ => 20 };
        var changeInterval = new Option<double?>("--sp-change-every-seconds") { Description = "Make the orders change over time: every this many seconds one order moves on a status and a new one arrives (for --follow)." };
        var spOrders = new Option<int>("--sp-orders") { Description = "How many Selling Partner orders to generate.", DefaultValueFactory = _ => 200 };
        var withoutRole = new Option<bool>("--sp-without-restricted-role") { Description = "Act as an application without the restricted role: no restricted data tokens, no buyer or recipient data (to see what OrderHub says then)." };
        var seed = new Option<int>("--seed") { Description = "The seed of the generated orders.", DefaultValueFactory = _ => 42 };
        var serverErrors = new Option<double>("--fault-server-errors") { Description = "Share of order reads answered 500/503 (0 to 1)." };
        var throttle = new Option<double>("--fault-throttle") { Description = "Share of order reads answered 429 (0 to 1)." };
        var truncate = new Option<double>("--fault-truncate") { Description = "Share of order reads whose body is cut short (0 to 1)." };
        var drop = new Option<double>("--fault-drop") { Description = "Share of order reads whose connection is dropped (0 to 1)." };
        var latency = new Option<int>("--fault-latency-ms") { Description = "Latency added to every order read, in milliseconds." };
        var command = new Command("emulator", "Run the local Selling Partner and AWS Outposts emulator until Ctrl+C.")
        {
            urls, spRate, spBurst, searchRate, searchBurst, changeInterval, spOrders, withoutRole, seed, serverErrors, throttle, truncate, drop, latency,
        };
        command.SetAction((parse, cancel) => CliContext.RunAsync(async () =>
        {
            var options = new EmulatorOptions
            {
                SpGetOrderRate = parse.GetValue(spRate),
                SpGetOrderBurst = parse.GetValue(spBurst),
                SpSearchOrdersRate = parse.GetValue(searchRate),
                SpSearchOrdersBurst = parse.GetValue(searchBurst),
                SpGetOrdersRate = parse.GetResult(searchRate) is { Implicit: false } ? parse.GetValue(searchRate) : 0.0167,
                SpGetOrdersBurst = parse.GetValue(searchBurst),
                SpOrderChangeInterval = parse.GetValue(changeInterval) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                SpOrderCount = parse.GetValue(spOrders),
                SpRestrictedRoleGranted = !parse.GetValue(withoutRole),
                Seed = parse.GetValue(seed),
                Faults =
                {
                    ServerErrorRate = parse.GetValue(serverErrors),
                    ThrottleRate = parse.GetValue(throttle),
                    TruncateRate = parse.GetValue(truncate),
                    DropRate = parse.GetValue(drop),
                    Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                },
            };
            await using var host = await EmulatorHost.StartAsync(options, parse.GetRequiredValue(urls), cancel);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OrderHub emulator on {host.BaseAddress} (getOrder {options.SpGetOrderRate} req/s, burst {options.SpGetOrderBurst}). Point the CLI at it with:"));
            foreach (var (name, value) in DemoCommand.EnvironmentFor(host))
            {
                Console.Out.WriteLine($"  export {name}='{value}'");
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancel);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
