using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;

namespace OrderHub.Cli.Commands;

/// <summary>What every command shares: the global options, settings, and turning errors into exit codes.</summary>
internal sealed class CliContext
{
    public Option<string?> ConfigOption { get; } = new("--config") { Description = "An appsettings-style JSON file (OrderHub:Sources:<name>:...); the environment wins.", Recursive = true };

    public Option<bool> JsonOption { get; } = new("--json") { Description = "Write the unified JSON (stable field names) instead of a table." };

    public Option<bool> VerboseOption { get; } = new("--verbose") { Description = "Log more to standard error: retries, throttling, each sync batch and page (never a secret or personal data).", Recursive = true };

    public static Task<int> RunAsync(Func<Task<int>> action) => RunAsync("cancelled.", action);

    /// <summary>Runs a command, turning errors into exit codes; Ctrl+C ends it with 130 and says what to do next.</summary>
    public static async Task<int> RunAsync(string whenCancelled, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is OrderHubException or OrderHub.Sync.OrderStoreException or OrderHub.RateLimits.QuotaStoreUnavailableException or OrderHub.Sync.OrderSyncHaltedException or OrderHub.Sync.SyncCursorHeldException or OptionsValidationException
            or InvalidDataException // a --config file that is not JSON: the message names the file and the line
            or ArgumentException and not ArgumentNullException)
        {
            Render.Error(e);
            return ExitCodes.For(e);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Kestrel's "Failed to bind to address ...: address already in use", as one line.
            Console.Error.WriteLine($"error: {e.Message.TrimEnd('.')}: another program listens there. Choose another address with --urls.");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine(whenCancelled);
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>Builds the command's services from the settings (<c>--config</c>, shortcuts, environment).</summary>
    public CliHost Host(ParseResult parse, Action<IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration>? services = null) =>
        CliHost.Build(parse.GetValue(ConfigOption), null, services, parse.GetValue(VerboseOption));

    /// <summary>The one configured source that can do something (list, create, cancel), or the one named.</summary>
    public static T RequireCapable<T>(OrderLookup lookup, string? sourceName, string what)
        where T : class, IOrderSource
    {
        if (sourceName is not null)
        {
            return lookup.GetSource(sourceName) as T
                ?? throw new InvalidOrderRequestException($"The source '{sourceName}' cannot {what}.");
        }

        var capable = lookup.Sources.OfType<T>().ToArray();
        return capable.Length switch
        {
            1 => capable[0],
            0 => throw new InvalidOrderRequestException($"No configured source can {what}: configure an AWS Outposts source (AWS_REGION and credentials, or OrderHub:Sources:<name>:Provider = AwsOutposts in --config)."),
            _ => throw new InvalidOrderRequestException($"Several configured sources can {what} ({string.Join(", ", capable.Select(c => c.Name))}); choose one with --source."),
        };
    }

    public static bool Confirm(string question, bool yes)
    {
        if (yes)
        {
            return true;
        }

        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine($"{question} Refusing without --yes when input is not a terminal.");
            return false;
        }

        if (Spectre.Console.AnsiConsole.Confirm(question, defaultValue: false))
        {
            return true;
        }

        Console.Error.WriteLine("declined: nothing was done.");
        return false;
    }
}
