using System.CommandLine;
using OrderHub.Cli.Commands;
using OrderHub.Cli.Commands.Changes;
using OrderHub.Cli.Commands.Notifications;
using OrderHub.Cli.Commands.Query;
using OrderHub.Cli.Commands.Sync;
using OrderHub.Cli.Commands.Webhooks;
using Spectre.Console;

// Plain text when the output goes to a pipe or a file, or NO_COLOR is set: no colour codes, and lines wide enough that
// tables never split an id.
if (Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")))
{
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });
    if (Console.IsOutputRedirected)
    {
        AnsiConsole.Profile.Width = 240;
    }
}

var cli = new CliContext();
var root = new RootCommand("orderhub: orders from Amazon Selling Partner and AWS Outposts in one model.")
{
    cli.ConfigOption,
    cli.VerboseOption,
    OrderCommands.Get(cli),
    OrderCommands.List(cli),
    OrderCommands.Create(cli),
    OrderCommands.Cancel(cli),
    SyncCommand.Create(cli),
    OrdersCommand.Create(cli),
    ExportCommand.Create(cli),
    ChangesCommand.Create(cli),
    WebhooksCommand.Create(cli),
    NotificationsCommand.Create(cli),
    QuotaCommand.Create(cli),
    ServeCommand.Create(cli),
    EmulatorCommand.Create(),
    DemoCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("Run 'orderhub --help' (or 'orderhub <command> --help') for what is expected.");
    return OrderHub.Cli.Output.ExitCodes.Usage;
}

// Ctrl+C (or SIGTERM) cancels the command's token; the command then finishes what it is storing and says how to resume.
// System.CommandLine's own default ends the process 2 s after the signal, which a sync finishing its batch on a busy
// machine can overrun: the process would then exit 130 having said nothing.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = StopGracePeriod });

internal static partial class Program
{
    /// <summary>How long a command may take to stop after Ctrl+C before the process is ended anyway.</summary>
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(30);
}
