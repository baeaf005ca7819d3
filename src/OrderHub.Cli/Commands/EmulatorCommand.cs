using System.CommandLine;
using System.Globalization;
using OrderHub.Cli.Configuration;
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
        var history = new Option<double>("--sp-history-days") { Description = "How far back the generated orders reach: purchased over this many days before the emulator started, the newest an hour before it.", DefaultValueFactory = _ => 90 };
        var sellers = new Option<string?>("--sellers")
        {
            Description = "Several sellers, as region=refresh-token pairs separated by commas (eu=Atzr|eu-seller,na=Atzr|na-seller): each "
                + "with its own orders and quotas, its orders placed in its region's marketplaces (na: US, CA, MX, BR; eu: DE, UK, "
                + "FR, IT, ES, NL, PL, SE, TR; fe: JP, AU, SG). Without it, one seller (Atzr|emulator-seller) in six marketplaces of the three regions.",
        };
        var reportDelay = new Option<double>("--sp-report-delay-seconds") { Description = "How long a report takes from createReport to DONE (IN_QUEUE the first half, IN_PROGRESS the second).", DefaultValueFactory = _ => 5 };
        var reportFatal = new Option<double>("--sp-report-fatal-rate") { Description = "Share of reports that end FATAL (0 to 1), drawn from --seed in the order they are created." };
        var reportScale = new Option<double>("--sp-report-plan-scale") { Description = "Multiplies the rates of the Reports API's usage plans (createReport 0.0167 req/s, getReport 2, getReports 0.0222, getReportDocument 0.0167, cancelReport 0.0222), to compress time.", DefaultValueFactory = _ => 1 };
        var noticeDelay = new Option<double>("--sp-notification-delay-seconds") { Description = "How long after an order changes its ORDER_CHANGE notification reaches the subscribed SQS queue (see --sp-change-every-seconds)." };
        var noticeReorder = new Option<double>("--sp-notification-reorder-seconds") { Description = "Hold each notification back a further random time up to this, so notifications close together arrive out of order." };
        var noticeDuplicates = new Option<double>("--sp-notification-duplicate-rate") { Description = "Share of notifications delivered twice (0 to 1), the same notification id in two messages." };
        var seed = new Option<int>("--seed") { Description = "The seed of the generated orders.", DefaultValueFactory = _ => 42 };
        var serverErrors = new Option<double>("--fault-server-errors") { Description = "Share of order reads answered 500/503 (0 to 1)." };
        var throttle = new Option<double>("--fault-throttle") { Description = "Share of order reads answered 429 (0 to 1)." };
        var truncate = new Option<double>("--fault-truncate") { Description = "Share of order reads whose body is cut short (0 to 1)." };
        var drop = new Option<double>("--fault-drop") { Description = "Share of order reads whose connection is dropped (0 to 1)." };
        var latency = new Option<int>("--fault-latency-ms") { Description = "Latency added to every order read, in milliseconds." };
        var command = new Command("emulator", "Run the local Selling Partner and AWS Outposts emulator until Ctrl+C. Its orders are dated relative to when it starts, so \"the last week\" holds some.")
        {
            urls, spRate, spBurst, searchRate, searchBurst, changeInterval, spOrders, history, sellers, reportDelay, reportFatal, reportScale,
            noticeDelay, noticeReorder, noticeDuplicates, withoutRole, seed,
            serverErrors, throttle, truncate, drop, latency,
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
                SpOrderHistory = parse.GetValue(history) is var days && days > 0 ? TimeSpan.FromDays(days) : throw new ArgumentException("--sp-history-days must be more than 0."),
                Seed = parse.GetValue(seed),
                SpReports =
                {
                    ProcessingDelay = TimeSpan.FromSeconds(parse.GetValue(reportDelay)),
                    FatalRate = parse.GetValue(reportFatal),
                },
                SpNotifications =
                {
                    Delay = TimeSpan.FromSeconds(parse.GetValue(noticeDelay)),
                    ReorderWindow = TimeSpan.FromSeconds(parse.GetValue(noticeReorder)),
                    DuplicateRate = parse.GetValue(noticeDuplicates),
                },
                Faults =
                {
                    ServerErrorRate = parse.GetValue(serverErrors),
                    ThrottleRate = parse.GetValue(throttle),
                    TruncateRate = parse.GetValue(truncate),
                    DropRate = parse.GetValue(drop),
                    Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                },
            };
            options.SpReports.ScaleRates(parse.GetValue(reportScale) is var scale && scale > 0 ? scale : throw new ArgumentException("--sp-report-plan-scale must be more than 0."));
            if (parse.GetValue(sellers) is { } given)
            {
                var parsed = ParseSellers(given);
                options.RefreshTokens = [.. parsed.Select(s => s.RefreshToken)];
                foreach (var (region, refreshToken) in parsed)
                {
                    options.SellerRegions[refreshToken] = region;
                }
            }

            await using var host = await EmulatorHost.StartAsync(options, parse.GetRequiredValue(urls), cancel);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OrderHub emulator on {host.BaseAddress} (getOrder {options.SpGetOrderRate} req/s, burst {options.SpGetOrderBurst}). Point the CLI at it with:"));
            foreach (var (name, value) in DemoCommand.EnvironmentFor(host))
            {
                Console.Out.WriteLine($"  export {name}='{value}'");
            }

            // The first seller's marketplaces, which its order reports are asked for (sync --backfill).
            Console.Out.WriteLine($"  export {CliConfiguration.MarketplacesShortcut}='{string.Join(',', host.SellingPartner.MarketplaceIdsOf(0))}'");

            // Its SQS answers any SQS client (aws sqs, boto3, AWSSDK.SQS), for the queue ORDER_CHANGE notifications go to.
            Console.Out.WriteLine($"  export AWS_ENDPOINT_URL_SQS='{host.SqsEndpoint}'   # its SQS, for aws sqs create-queue and orderhub notifications");
            Console.Out.WriteLine($"  export AWS_ENDPOINT_URL_STS='{host.StsEndpoint}'   # its STS, for AWS profiles with role_arn or web_identity_token_file");

            if (options.SellerRegions.Count > 0)
            {
                // The refresh tokens are the ones given; the lines say which seller is which, without repeating them.
                for (var i = 0; i < options.RefreshTokens.Count; i++)
                {
                    var region = options.SellerRegions.TryGetValue(options.RefreshTokens[i], out var r) ? r : "mixed";
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  seller {i + 1} ({region}, refresh token {i + 1} of --sellers): {host.SellingPartner.OrderIdsOf(i).Count} orders in {string.Join(", ", host.SellingPartner.MarketplaceIdsOf(i))}"));
                }

                Console.Out.WriteLine("  (the variables above are the first seller's; set ORDERHUB_LWA_REFRESH_TOKEN to another's to read its orders)");
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

    /// <summary>Reads <c>--sellers</c>: <c>region=refresh-token</c> pairs separated by commas, each region na, eu or fe.</summary>
    /// <param name="text">The option's value.</param>
    /// <returns>The sellers, in the order given.</returns>
    internal static IReadOnlyList<(string Region, string RefreshToken)> ParseSellers(string text)
    {
        var sellers = new List<(string Region, string RefreshToken)>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A refresh token may hold '=' (base64 padding): only the first one separates the region.
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            var region = split < 0 ? pair : pair[..split].Trim().ToLowerInvariant();
            var refreshToken = split < 0 ? string.Empty : pair[(split + 1)..].Trim();
            if (region is not ("na" or "eu" or "fe") || refreshToken.Length == 0)
            {
                throw new ArgumentException("--sellers takes region=refresh-token pairs separated by commas, each region na, eu or fe (for example eu=Atzr|eu-seller,na=Atzr|na-seller).");
            }

            if (sellers.Any(s => s.RefreshToken == refreshToken))
            {
                throw new ArgumentException("--sellers gives one refresh token twice: each seller needs its own.");
            }

            sellers.Add((region, refreshToken));
        }

        return sellers.Count > 0 ? sellers : throw new ArgumentException("--sellers needs at least one region=refresh-token pair.");
    }
}
