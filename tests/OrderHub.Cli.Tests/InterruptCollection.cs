using Xunit;

namespace OrderHub.Cli.Tests;

/// <summary>
/// The collection of the tests that stop a CLI process with SIGINT and time its stop (<see cref="CliOutputTests"/>,
/// <see cref="IncrementalSyncProcessTests"/>), never in parallel with another: in full runs beside the other process
/// tests, a follower stopped with Ctrl+C sometimes did not stop within a minute, and a sync ran to its end.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InterruptCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Stopped with Ctrl+C";
}
