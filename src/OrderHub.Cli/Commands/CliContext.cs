using System.CommandLine;
using OrderHub.Cli.Configuration;
using OrderHub.Cli.Output;

namespace OrderHub.Cli.Commands;

/// <summary>What every command shares: the global options, settings, and turning errors into exit codes.</summary>
internal sealed class CliContext
{
    public Option<string?> ConfigOption { get; } = new("--config") { Description = "A JSON file of settings (the environment variables' names to values); the environment wins.", Recursive = true };

    public Option<bool> JsonOption { get; } = new("--json") { Description = "Write the unified JSON (stable field names) instead of a table." };

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is OrderHubException or OrderHub.Sync.OrderStoreException or OrderHub.Sync.OrderSyncHaltedException)
        {
            Render.Error(e);
            return ExitCodes.For(e);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return ExitCodes.Unexpected;
        }
    }

    public CliSettings Settings(ParseResult parse) => CliSettings.Load(parse.GetValue(ConfigOption));

    /// <summary>Fails with a usage error naming the missing settings when the source is not configured.</summary>
    public static IOrderSource RequireSource(OrderLookup lookup, SourceFactory factory, string name)
    {
        if (lookup.Sources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } source)
        {
            return source;
        }

        var why = factory.Unconfigured.FirstOrDefault(u => u.StartsWith(name, StringComparison.OrdinalIgnoreCase));
        throw new InvalidOrderRequestException(why is null ? $"Unknown source '{name}'; expected sp-api or outposts." : $"The {name} source is not configured: {why[(name.Length + 2)..]}.");
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

        return Spectre.Console.AnsiConsole.Confirm(question, defaultValue: false);
    }
}
